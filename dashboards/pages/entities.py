"""Entities: a heatmap of every entity's validated ratings in the cycle, deliverable by
deliverable, and a line per entity (its share on track, late inputs) linking to its
scorecard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Entity
from dashboards import charts, selectors
from dashboards.charts import Chart, Group
from dashboards.pages.base import DashboardPage, Frame
from dashboards.pages.rows import SummaryRow, standing
from reporting.models import ProgressUpdate


@dataclass(frozen=True)
class EntityRow(SummaryRow):
    entity: Entity | None


@dataclass(frozen=True, kw_only=True)
class EntitiesPage(DashboardPage):
    rows: tuple[EntityRow, ...]
    abbreviations: tuple[tuple[str, str], ...]  # (letters in a cell, the rating they stand for)


def entities_page(frame: Frame) -> EntitiesPage:
    today = timezone.localdate()
    cycle = frame.cycle
    shown = [c for c in (frame.filters.previous, cycle) if c]
    updates = frame.updates()
    tallies = selectors.tallies(updates, group="entity", cycles=shown, today=today)
    cells = selectors.update_cells(updates, cycles=[cycle] if cycle else [], today=today)
    codes = sorted({c["entity"] for c in cells}, key=lambda e: frame.entity_label(e).lower())
    groups = [Group(e, frame.entity_label(e)) for e in codes]
    labels = charts.rating_labels()
    return EntitiesPage(
        frame=frame,
        charts=(_heatmap(frame, cells, groups),),
        rows=tuple(
            EntityRow(group, *standing(group.key, tallies, frame.filters), frame.entity(group.key))
            for group in groups
        ),
        abbreviations=tuple(
            (abbr, labels[code]) for code, abbr in charts.rating_abbreviations().items()
        ),
    )


def _heatmap(frame: Frame, cells: list[dict[str, Any]], groups: Sequence[Group]) -> Chart:
    in_cells = {c["deliverable"] for c in cells}
    return charts.heatmap_chart(
        "heatmap",
        title=_("Validated ratings by entity and deliverable, %(cycle)s")
        % {"cycle": frame.cycle.code if frame.cycle else ""},
        columns=[Group(d.code, d.code) for d in frame.tree.deliverables if d.code in in_cells],
        rows_=groups,
        ratings={
            (c["entity"], c["deliverable"]): c["rating"]
            for c in cells
            if c["state"] == ProgressUpdate.State.VALIDATED and c["rating"]
        },
        x_title=_("Deliverable"),
        y_title=_("Entity"),
    )
