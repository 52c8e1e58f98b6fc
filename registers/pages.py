"""Page builders of the register of crimes against peacekeepers: what the case pages, the
statistics page and the register's section of the Member State portal show, built from the
selectors so that the views only parse, call and render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User
from plans.selectors import current_plan
from registers import selectors, services, stats
from registers.access import register_access_for
from registers.kernel.registry import PortalSection
from registers.kernel.statistics import StatTable, bars
from registers.models import Case, CaseAccess
from registers.sop import STAGES, Overdue, overdue, overdue_for

PAGE_SIZE = 50
OVERDUE_SHOWN = 20
# The statistics are for signed-in readers of the register: exact counts, nothing withheld.
SMALL_CELLS = 0

STAT_TABLES = {
    "by-year": StatTable(
        stats.cases_by_year,
        ("year", "cases", "killed", "injured"),
        counts=("cases", "killed", "injured"),
    ),
    "by-mission": StatTable(
        stats.cases_by_mission,
        ("mission", "cases", "killed", "injured"),
        counts=("cases", "killed", "injured"),
    ),
    "by-incident-type": StatTable(
        stats.cases_by_incident_type, ("label", "cases"), counts=("cases",)
    ),
    "by-nationality": StatTable(
        stats.victims_by_nationality,
        ("iso3", "name", "victims", "killed", "injured"),
        counts=("victims", "killed", "injured"),
    ),
}
PORTAL_TABLES = ("by-year", "by-mission")


def page_context(user: User | AnonymousUser, **extra: Any) -> dict[str, Any]:
    """What every page of the register gives the templates."""
    return {
        "plan": current_plan(user),
        "nav": "registers",
        "register_access": register_access_for(user),
        **extra,
    }


def mark_overdue(cases: list[Case], today: dt.date) -> list[Case]:
    """Mark cases annotated by `selectors.with_followup`: the stage overdue, and whether the host
    State took any step."""
    for case in cases:
        case.overdue = overdue_for(case, today)  # type: ignore[attr-defined]
        case.has_followup = any(  # type: ignore[attr-defined]
            getattr(case, f"first_{stage}") for stage in STAGES
        )
    return cases


def case_overdue(case: Case) -> Overdue | None:
    """The overdue stage of a case read through `selectors.case_for` (its steps prefetched)."""
    reached: dict[str, dt.date | None] = dict.fromkeys(STAGES)
    for step in case.steps.all():
        first = reached[step.stage]
        if first is None or step.date < first:
            reached[step.stage] = step.date
    return overdue(
        incident_date=case.incident_date,
        status=case.status,
        reached=reached,
        today=timezone.localdate(),
    )


def _tables(cases: QuerySet[Case], *, small_cells: int) -> dict[str, Any]:
    """By year and by mission, with their bar charts: the statistics page and the portal."""
    by_year = STAT_TABLES["by-year"].read(cases, small_cells=small_cells)
    by_mission = STAT_TABLES["by-mission"].read(cases, small_cells=small_cells)
    return {
        "by_year": by_year,
        "by_mission": by_mission,
        "year_chart": bars(by_year, "year", "cases"),
        "mission_chart": bars(by_mission, "mission", "cases"),
    }


def statistics_page(cases: QuerySet[Case]) -> dict[str, Any]:
    """The aggregates of the statistics page over the cases the reader may count."""
    return {
        **_tables(cases, small_cells=SMALL_CELLS),
        "by_type": STAT_TABLES["by-incident-type"].read(cases, small_cells=SMALL_CELLS),
        "by_nationality": STAT_TABLES["by-nationality"].read(cases, small_cells=SMALL_CELLS),
        "followup": stats.followup_share(cases),
        "followup_by_mission": stats.followup_by_mission(cases),
        "stages": STAGES,
    }


def _overdue_part(concerned: QuerySet[Case], today: dt.date) -> dict[str, Any]:
    """The longest overdue first: the portal lists a few, the case list marks them all."""
    late = selectors.overdue_among(concerned, today)
    longest = sorted(late, key=lambda pk: (-late[pk].days_late, pk))[:OVERDUE_SHOWN]
    shown = selectors.cases_annotated(longest)
    for case in shown.values():
        case.overdue = late[case.pk]  # type: ignore[attr-defined]
    return {
        "overdue_count": len(late),
        "overdue_shown": [shown[pk] for pk in longest],
        "overdue_more": max(0, len(late) - OVERDUE_SHOWN),
    }


def portal_section(user: User, params: QueryDict) -> PortalSection:
    """The cases that concern the delegate's State with their follow-up, the overdue follow-up,
    the aggregates, the recent changes and the log of who looked at the cases."""
    states = register_access_for(user).states
    concerned = selectors.cases_concerning(states)
    today = timezone.localdate()
    page = selectors.page_of(concerned, params.get("page"), PAGE_SIZE)
    shown = mark_overdue(list(page.object_list), today)
    overdue_part = _overdue_part(concerned, today)
    # What the delegate reads here is logged like any list: one row per case shown, one insert.
    listed = {case.pk for case in shown} | {case.pk for case in overdue_part["overdue_shown"]}
    services.accesses_record(user=user, case_ids=sorted(listed), action=CaseAccess.Action.LIST)
    # A delegate may read each of these cases: their counts are never withheld.
    tables = _tables(concerned, small_cells=0)
    log = Paginator(selectors.access_log_for_states(states), PAGE_SIZE)
    return PortalSection(
        template="registers/_portal_crimes.html",
        context={
            "page": page,
            **overdue_part,
            "followup": stats.followup_share(concerned),
            "killed": sum(row["killed"] for row in tables["by_year"]),
            "injured": sum(row["injured"] for row in tables["by_year"]),
            **tables,
            "log": log.get_page(params.get("log")),
            "notifications": selectors.case_notifications(user)[:20],
            "stages": STAGES,
        },
    )
