"""Indicators: per indicator, target against actual over the cycles, and the actual of each sex
where the indicator is broken down by sex."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dashboards import charts, selectors
from dashboards.charts import Chart
from dashboards.pages.base import DashboardPage, Frame
from indicators.models import Indicator
from indicators.selectors import Row as TrackingRow
from indicators.selectors import tracking_table
from reporting.models import Cycle

WPS = "wps"


class IndicatorChart(NamedTuple):
    indicator: Indicator
    chart: Chart


@dataclass(frozen=True, kw_only=True)
class IndicatorsPage(DashboardPage):
    indicator_charts: tuple[IndicatorChart, ...]


def indicators_page(frame: Frame) -> IndicatorsPage:
    pairs = indicator_charts(frame, wps_only=False)
    return IndicatorsPage(frame=frame, charts=tuple(p.chart for p in pairs), indicator_charts=pairs)


def indicator_charts(frame: Frame, *, wps_only: bool) -> tuple[IndicatorChart, ...]:
    """Target against actual for each indicator the filters select, with the actual of each sex
    where the indicator is disaggregated by sex. Four queries for any number of indicators."""
    cycles = frame.filters.trend_cycles
    marker = frame.filters.marker
    entity_id = frame.filters.entity.pk if frame.filters.entity else None
    rows = tracking_table(
        frame.plan,
        cycles=cycles,
        priority=frame.filters.priority,
        entity_id=entity_id,
        wps_only=wps_only or bool(marker and marker.code == WPS),
    )
    rows = [r for r in rows if r.indicator.retired_in_id is None]
    if marker and marker.code != WPS:
        marked = {d.pk for d in frame.tree.deliverables_marked(marker.code)}
        rows = [r for r in rows if r.indicator.deliverable_id in marked]
    by_sex = selectors.sex_series([r.indicator for r in rows], cycles=cycles, entity_id=entity_id)
    names = sorted({name for (_i, _c, name) in by_sex})
    return tuple(
        IndicatorChart(row.indicator, _chart(row, cycles, _sex_lines(row, cycles, names, by_sex)))
        for row in rows
    )


def _sex_lines(
    row: TrackingRow,
    cycles: list[Cycle],
    names: list[str],
    by_sex: dict[tuple[int, int, str], Decimal],
) -> dict[str, list[Decimal | None]]:
    """The actual of each sex by cycle, for the sexes the indicator has any value of."""
    lines = {name: [by_sex.get((row.indicator.pk, c.pk, name)) for c in cycles] for name in names}
    return {name: values for name, values in lines.items() if any(v is not None for v in values)}


def _chart(row: TrackingRow, cycles: list[Cycle], by_sex: dict[str, list[Decimal | None]]) -> Chart:
    indicator = row.indicator
    return charts.indicator_chart(
        f"indicator-{indicator.code}",
        title=f"{indicator.code} {Truncator(indicator.name).words(12)}",
        cycles=cycles,
        targets=[cell.target for cell in row.cells],
        actuals=[cell.actual for cell in row.cells],
        by_sex=by_sex,
        value_title="%" if indicator.unit == Indicator.Unit.PERCENT else _("Value"),
    )
