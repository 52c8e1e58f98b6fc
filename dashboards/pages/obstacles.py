"""Obstacles: by category and cycle, with how many were escalated."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dashboards import charts, selectors
from dashboards.pages.base import DashboardPage, Frame
from reporting.models import Obstacle


def obstacles_page(frame: Frame) -> DashboardPage:
    cycles = frame.filters.trend_cycles
    chart = charts.obstacles_chart(
        "obstacles",
        title=_("Obstacles by category and cycle"),
        cycles=cycles,
        counts=selectors.obstacle_counts(frame.updates(), cycles=cycles),
        categories=Obstacle.Category.choices,
    )
    return DashboardPage(frame=frame, charts=(chart,))
