"""Priorities (the overview): all seven priorities on one page, their ratings, the share's trend
and late inputs, and a whole-plan line."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import Truncator

from dashboards import selectors
from dashboards.charts import Group
from dashboards.pages.base import DashboardPage, Frame
from dashboards.pages.rows import SummaryRow, share_change, standing, total_of
from dashboards.pages.trends import trend_charts
from dashboards.selectors import Tally
from plans.models import Priority


@dataclass(frozen=True)
class PriorityRow(SummaryRow):
    priority: Priority


@dataclass(frozen=True, kw_only=True)
class OverviewPage(DashboardPage):
    rows: tuple[PriorityRow, ...]
    total: Tally
    total_change: float | None


def overview_page(frame: Frame) -> OverviewPage:
    filters = frame.filters
    tallies = selectors.tallies(
        frame.updates(),
        group="priority",
        cycles=filters.trend_cycles,
        today=timezone.localdate(),
    )
    shown = [p for p in frame.tree.priorities if filters.priority in (None, p.number)]
    groups = [Group(p.number, f"{p.number}. {Truncator(p.title).words(5)}") for p in shown]
    rows = tuple(
        PriorityRow(group, *standing(group.key, tallies, filters), priority=priority)
        for group, priority in zip(groups, shown, strict=True)
    )
    total = total_of(row.tally for row in rows)
    previous = filters.previous
    before = total_of(
        tally for (_key, cycle_id), tally in tallies.items() if previous and cycle_id == previous.pk
    )
    return OverviewPage(
        frame=frame,
        charts=trend_charts(frame, tallies, groups, level="priority"),
        rows=rows,
        total=total,
        total_change=share_change(total, before),
    )
