"""Priority: its results' ratings and trends, and every deliverable's tally, result by result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dashboards import selectors
from dashboards.charts import Group
from dashboards.pages.base import DashboardPage, Frame
from dashboards.pages.rows import Row, SummaryRow, summary_rows
from dashboards.pages.trends import trend_charts
from plans.models import Deliverable, Priority, Result


@dataclass(frozen=True)
class ResultSection(Row):
    """A result's table of its deliverables."""

    result: Result
    rows: tuple[SummaryRow, ...]
    deliverables: Mapping[str, Deliverable]


@dataclass(frozen=True, kw_only=True)
class PriorityPage(DashboardPage):
    priority: Priority
    rows: tuple[SummaryRow, ...]
    results: Mapping[str, Result]
    result_sections: tuple[ResultSection, ...]


def priority_page(frame: Frame, number: int) -> PriorityPage:
    priority = next((p for p in frame.tree.priorities if p.number == number), None)
    if priority is None:
        raise Http404(_("No such priority."))
    frame = frame.without_priority()
    filters = frame.filters
    today = timezone.localdate()
    updates = frame.updates().filter(assignment__deliverable__result__priority=priority)
    results = frame.tree.results_of(number)
    groups = [Group(r.code, f"{r.code} {Truncator(r.title).words(5)}") for r in results]
    tallies = selectors.tallies(updates, group="result", cycles=filters.trend_cycles, today=today)
    shown = [c for c in (filters.previous, frame.cycle) if c]
    by_deliverable = selectors.tallies(updates, group="deliverable", cycles=shown, today=today)
    sections = []
    for result in results:
        deliverables = frame.tree.deliverables_of(result.code)
        sections.append(
            ResultSection(
                result=result,
                rows=summary_rows(
                    [Group(d.code, d.code) for d in deliverables], by_deliverable, filters
                ),
                deliverables={d.code: d for d in deliverables},
            )
        )
    return PriorityPage(
        frame=frame,
        charts=trend_charts(frame, tallies, groups, level="result"),
        fixed=("priority",),
        priority=priority,
        rows=summary_rows(groups, tallies, filters),
        results={r.code: r for r in results},
        result_sections=tuple(sections),
    )
