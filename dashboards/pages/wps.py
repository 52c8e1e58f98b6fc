"""Women, peace and security: the deliverables with the WPS/gender marker, their ratings, the
share on track of WPS deliverables against the whole plan, and the WPS indicators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards import charts, selectors
from dashboards.charts import Chart, Group
from dashboards.pages.base import DashboardPage, Frame
from dashboards.pages.indicators import WPS, IndicatorChart, indicator_charts
from dashboards.pages.rows import SummaryRow, in_cycle, summary_rows
from dashboards.selectors import Tally
from plans.models import Deliverable


@dataclass(frozen=True, kw_only=True)
class WpsPage(DashboardPage):
    rows: tuple[SummaryRow, ...]
    deliverables: Mapping[str, Deliverable]
    indicator_charts: tuple[IndicatorChart, ...]


def wps_page(frame: Frame) -> WpsPage:
    today = timezone.localdate()
    cycles = frame.filters.trend_cycles
    marked = [
        d
        for d in frame.tree.deliverables_marked(WPS)
        if frame.filters.priority in (None, d.result.priority.number)
    ]
    base = frame.updates()
    wps_updates = base.filter(assignment__deliverable__markers__code=WPS)
    by_deliverable = selectors.tallies(wps_updates, group="deliverable", cycles=cycles, today=today)
    wps_total = selectors.tallies(wps_updates, group="plan", cycles=cycles, today=today, late=False)
    all_total = selectors.tallies(base, group="plan", cycles=cycles, today=today, late=False)
    both = {(WPS, k[1]): t for k, t in wps_total.items()} | {
        ("all", k[1]): t for k, t in all_total.items()
    }
    groups = [Group(d.code, d.code) for d in marked]
    pairs = indicator_charts(frame, wps_only=True)
    return WpsPage(
        frame=frame,
        charts=(*_charts(frame, groups, by_deliverable, both), *(p.chart for p in pairs)),
        fixed=("marker",),
        rows=summary_rows(groups, by_deliverable, frame.filters),
        deliverables={d.code: d for d in marked},
        indicator_charts=pairs,
    )


def _charts(
    frame: Frame,
    groups: list[Group],
    by_deliverable: dict[tuple[Any, int], Tally],
    both: dict[tuple[Any, int], Tally],
) -> tuple[Chart, ...]:
    return (
        charts.ratings_chart(
            "ratings",
            title=_("Ratings of the WPS deliverables, %(cycle)s (validated updates)")
            % {"cycle": frame.cycle.code if frame.cycle else ""},
            groups=groups,
            tallies=in_cycle(by_deliverable, frame.cycle),
            group_title=_("Deliverable"),
        ),
        charts.trend_chart(
            "trend",
            title=_("Share on track or completed: WPS deliverables against the whole plan"),
            cycles=frame.filters.trend_cycles,
            series=[Group(WPS, _("WPS deliverables")), Group("all", _("All deliverables"))],
            tallies=both,
            series_title=_("Deliverables"),
        ),
    )
