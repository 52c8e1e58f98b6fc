"""The three charts of the overview, priority and result pages: ratings in the cycle, the share's
trend, and late inputs, one bar or line per priority, result or deliverable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from django.utils.translation import gettext as _

from dashboards import charts
from dashboards.charts import Chart, Group
from dashboards.pages.base import Frame
from dashboards.pages.rows import in_cycle
from dashboards.selectors import Tally

Level = Literal["priority", "result", "deliverable"]


def _titles(level: Level, code: str) -> tuple[str, str, str, str]:
    """The charts' titles and the series' name; whole sentences for the translators."""
    if level == "priority":
        return (
            _("Ratings by priority, %(cycle)s (validated updates)") % {"cycle": code},
            _("Share on track or completed, by priority and cycle"),
            _("Late inputs by cycle and priority"),
            _("Priority"),
        )
    if level == "result":
        return (
            _("Ratings by result, %(cycle)s (validated updates)") % {"cycle": code},
            _("Share on track or completed, by result and cycle"),
            _("Late inputs by cycle and result"),
            _("Result"),
        )
    return (
        _("Ratings by deliverable, %(cycle)s (validated updates)") % {"cycle": code},
        _("Share on track or completed, by deliverable and cycle"),
        _("Late inputs by cycle and deliverable"),
        _("Deliverable"),
    )


def trend_charts(
    frame: Frame,
    tallies: dict[tuple[Any, int], Tally],
    groups: Sequence[Group],
    *,
    level: Level,
) -> tuple[Chart, ...]:
    ratings_title, trend_title, late_title, series_title = _titles(
        level, frame.cycle.code if frame.cycle else ""
    )
    cycles = frame.filters.trend_cycles
    return (
        charts.ratings_chart(
            "ratings",
            title=ratings_title,
            groups=groups,
            tallies=in_cycle(tallies, frame.cycle),
            group_title=series_title,
        ),
        charts.trend_chart(
            "trend",
            title=trend_title,
            cycles=cycles,
            series=groups,
            tallies=tallies,
            series_title=series_title,
        ),
        charts.late_chart(
            "late",
            title=late_title,
            cycles=cycles,
            series=groups,
            tallies=tallies,
            series_title=series_title,
        ),
    )
