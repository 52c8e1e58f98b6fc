"""Result: its deliverables' ratings and trends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards import selectors
from dashboards.charts import Group
from dashboards.pages.base import DashboardPage, Frame
from dashboards.pages.rows import SummaryRow, summary_rows
from dashboards.pages.trends import trend_charts
from plans.models import Deliverable, Result


@dataclass(frozen=True, kw_only=True)
class ResultPage(DashboardPage):
    result: Result
    rows: tuple[SummaryRow, ...]
    deliverables: Mapping[str, Deliverable]


def result_page(frame: Frame, code: str) -> ResultPage:
    result = next((r for r in frame.tree.results if r.code == code), None)
    if result is None:
        raise Http404(_("No such result."))
    frame = frame.without_priority()
    deliverables = frame.tree.deliverables_of(code)
    groups = [Group(d.code, d.code) for d in deliverables]
    tallies = selectors.tallies(
        frame.updates().filter(assignment__deliverable__result=result),
        group="deliverable",
        cycles=frame.filters.trend_cycles,
        today=timezone.localdate(),
    )
    return ResultPage(
        frame=frame,
        charts=trend_charts(frame, tallies, groups, level="deliverable"),
        fixed=("priority",),
        result=result,
        rows=summary_rows(groups, tallies, frame.filters),
        deliverables={d.code: d for d in deliverables},
    )
