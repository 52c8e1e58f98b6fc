"""Deliverable: each entity's update in the cycle (linked), and a heatmap of its validated ratings
by entity and cycle."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards import charts, selectors
from dashboards.charts import Group
from dashboards.pages.base import DashboardPage, Frame
from dashboards.pages.rows import UpdateRow, update_rows
from plans.models import Deliverable
from reporting.models import ProgressUpdate


@dataclass(frozen=True, kw_only=True)
class DeliverablePage(DashboardPage):
    deliverable: Deliverable
    updates: tuple[UpdateRow, ...]


def deliverable_page(frame: Frame, code: str) -> DeliverablePage:
    deliverable = next((d for d in frame.tree.deliverables if d.code == code), None)
    if deliverable is None:
        raise Http404(_("No such deliverable."))
    frame = frame.without_priority()
    cycles = frame.filters.trend_cycles
    cells = selectors.update_cells(
        frame.updates().filter(assignment__deliverable=deliverable),
        cycles=cycles,
        today=timezone.localdate(),
    )
    heat = charts.heatmap_chart(
        "history",
        title=_("Validated ratings of %(code)s by entity and cycle") % {"code": code},
        columns=[Group(c.pk, c.code) for c in cycles],
        rows_=[Group(e, frame.entity_label(e)) for e in sorted({c["entity"] for c in cells})],
        ratings={
            (c["entity"], c["cycle_id"]): c["rating"]
            for c in cells
            if c["state"] == ProgressUpdate.State.VALIDATED and c["rating"]
        },
        x_title=_("Cycle"),
        y_title=_("Entity"),
    )
    current = [c for c in cells if frame.cycle and c["cycle_id"] == frame.cycle.pk]
    current.sort(key=lambda c: (c["role"] != "lead", c["entity"]))
    return DeliverablePage(
        frame=frame,
        charts=(heat,),
        fixed=("priority",),
        deliverable=deliverable,
        updates=update_rows(current, entities={e.code: e for e in frame.entities}),
    )
