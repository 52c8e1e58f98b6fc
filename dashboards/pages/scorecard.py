"""Scorecard: one entity's updates in the cycle (linked), its ratings and late inputs by cycle,
and its obstacles by category and cycle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Entity
from dashboards import charts, selectors
from dashboards.charts import Chart, Group
from dashboards.pages.base import DashboardPage, Frame
from dashboards.pages.rows import UpdateRow, update_rows
from dashboards.selectors import Tally
from reporting.models import Obstacle, ProgressUpdate


@dataclass(frozen=True, kw_only=True)
class ScorecardPage(DashboardPage):
    entity: Entity
    tally: Tally  # in the selected cycle
    updates: tuple[UpdateRow, ...]


def scorecard_page(frame: Frame, code: str) -> ScorecardPage:
    entity = frame.entity(code)
    if entity is None:
        raise Http404(_("No such entity."))
    frame = frame.for_entity(entity)
    today = timezone.localdate()
    updates = frame.updates()
    tallies = selectors.tallies(
        updates, group="plan", cycles=frame.filters.trend_cycles, today=today
    )
    by_cycle = {cycle_id: tally for (_key, cycle_id), tally in tallies.items()}
    page_charts = _charts(frame, entity, updates, tallies, by_cycle)
    current = selectors.update_cells(
        updates, cycles=[frame.cycle] if frame.cycle else [], today=today
    )
    deliverables = {d.code: d for d in frame.tree.deliverables}
    current.sort(
        key=lambda c: (
            deliverables[c["deliverable"]].position if c["deliverable"] in deliverables else 0
        )
    )
    now = by_cycle.get(frame.cycle.pk) if frame.cycle else None
    return ScorecardPage(
        frame=frame,
        charts=page_charts,
        fixed=("entity",),
        entity=entity,
        tally=now or Tally(),
        updates=update_rows(current, deliverables=deliverables),
    )


def _charts(
    frame: Frame,
    entity: Entity,
    updates: QuerySet[ProgressUpdate],
    tallies: dict[tuple[Any, int], Tally],
    by_cycle: dict[int, Tally],
) -> tuple[Chart, ...]:
    cycles = frame.filters.trend_cycles
    names = {"entity": entity.label}
    return (
        charts.ratings_chart(
            "ratings",
            title=_("Ratings of %(entity)s by cycle (validated updates)") % names,
            groups=[Group(c.pk, c.code) for c in cycles],
            tallies=by_cycle,
            group_title=_("Cycle"),
        ),
        charts.late_chart(
            "late",
            title=_("Late inputs of %(entity)s by cycle") % names,
            cycles=cycles,
            series=[Group(frame.plan.pk, entity.label)],
            tallies=tallies,
            series_title=_("Entity"),
        ),
        charts.obstacles_chart(
            "obstacles",
            title=_("Obstacles reported by %(entity)s, by category and cycle") % names,
            cycles=cycles,
            counts=selectors.obstacle_counts(updates, cycles=cycles),
            categories=Obstacle.Category.choices,
        ),
    )
