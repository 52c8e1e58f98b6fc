"""Dashboards: the state and trend of the plan for leadership, drilled down priority → result →
deliverable → entity's update. Each view opens the page's frame through the one gate
(`pages.base.frame_for`: internal pages, 404 for anyone else; the filters read from the
address), has the page built by its module in `dashboards/pages/`, and renders it, or one of its
charts as CSV (`?csv=<chart id>`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dashboards import charts
from dashboards.pages.base import DashboardPage, frame_for
from dashboards.pages.deliverable import deliverable_page
from dashboards.pages.entities import entities_page
from dashboards.pages.indicators import indicators_page
from dashboards.pages.obstacles import obstacles_page
from dashboards.pages.overview import overview_page
from dashboards.pages.priority import priority_page
from dashboards.pages.registers import registers_page
from dashboards.pages.result import result_page
from dashboards.pages.scorecard import scorecard_page
from dashboards.pages.wps import wps_page
from dashboards.sections import SECTIONS


def _respond(request: HttpRequest, page: DashboardPage, template: str) -> HttpResponse:
    frame = page.frame
    wanted = request.GET.get("csv")
    if wanted:
        chart = page.chart(wanted)
        if chart is None:
            raise Http404(_("No such chart."))
        return charts.csv_response(chart, page=frame.section, cycle=frame.cycle)
    return render(
        request,
        template,
        {
            "plan": frame.plan,
            "tree": frame.tree,
            "filters": frame.filters,
            "cycle": frame.cycle,
            "entities": frame.entities,
            "sections": SECTIONS,
            "section": frame.section,
            "charts": {c.id: c for c in page.charts},
            "rating_columns": charts.rating_columns(),
            "fixed": page.fixed,
            "nav": "dashboards",
            **page.own(),
        },
    )


def overview(request: HttpRequest, plan_code: str) -> HttpResponse:
    """All seven priorities on one page: ratings, their trend, late inputs."""
    page = overview_page(frame_for(request, plan_code, section="overview"))
    return _respond(request, page, "dashboards/overview.html")


def priority(request: HttpRequest, plan_code: str, number: int) -> HttpResponse:
    """One priority: its results' ratings and trends, and every deliverable's tally."""
    page = priority_page(frame_for(request, plan_code, section="overview"), number)
    return _respond(request, page, "dashboards/priority.html")


def result(request: HttpRequest, plan_code: str, code: str) -> HttpResponse:
    """One result: its deliverables' ratings and trends."""
    page = result_page(frame_for(request, plan_code, section="overview"), code)
    return _respond(request, page, "dashboards/result.html")


def deliverable(request: HttpRequest, plan_code: str, code: str) -> HttpResponse:
    """One deliverable: each entity's update in the cycle (linked), and its ratings over time."""
    page = deliverable_page(frame_for(request, plan_code, section="overview"), code)
    return _respond(request, page, "dashboards/deliverable.html")


def entities(request: HttpRequest, plan_code: str) -> HttpResponse:
    """Every entity's validated ratings in the cycle, deliverable by deliverable (a heatmap), and
    its share on track and late inputs."""
    page = entities_page(frame_for(request, plan_code, section="entities"))
    return _respond(request, page, "dashboards/entities.html")


def scorecard(request: HttpRequest, plan_code: str, entity_code: str) -> HttpResponse:
    """One entity: its ratings over the cycles, its updates in the cycle, its obstacles."""
    page = scorecard_page(frame_for(request, plan_code, section="entities"), entity_code)
    return _respond(request, page, "dashboards/scorecard.html")


def indicators(request: HttpRequest, plan_code: str) -> HttpResponse:
    page = indicators_page(frame_for(request, plan_code, section="indicators"))
    return _respond(request, page, "dashboards/indicators.html")


def wps(request: HttpRequest, plan_code: str) -> HttpResponse:
    """Deliverables with the WPS/gender marker: their ratings and trend against the whole plan,
    and the WPS indicators."""
    page = wps_page(frame_for(request, plan_code, section="wps"))
    return _respond(request, page, "dashboards/wps.html")


def obstacles(request: HttpRequest, plan_code: str) -> HttpResponse:
    page = obstacles_page(frame_for(request, plan_code, section="obstacles"))
    return _respond(request, page, "dashboards/obstacles.html")


def registers(request: HttpRequest, plan_code: str) -> HttpResponse:
    """Crimes against peacekeepers, as far as the register's own rules let the user see them."""
    page = registers_page(frame_for(request, plan_code, section="registers"))
    return _respond(request, page, "dashboards/registers.html")
