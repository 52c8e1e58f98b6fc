"""Indicators whose values are calculated, never typed. Each calculation takes a cycle and
returns {entity_id: (value, numerator, denominator)} for the entities it concerns; the
recalculation service stores them as ordinary values, so tables and charts treat them alike.

Registers (crimes against peacekeepers, SOFA violations…) add their calculations here as they
arrive."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q

if TYPE_CHECKING:
    from reporting.models import Cycle

Result = dict[int, tuple[Decimal | None, Decimal | None, Decimal | None]]

GOOD_RATINGS = ["on_track", "completed"]


def deliverables_on_track(cycle: Cycle) -> Result:
    """Per entity: share of its rated updates in the cycle rated on track or completed."""
    from reporting.models import ProgressUpdate

    rows = (
        ProgressUpdate.objects.filter(cycle=cycle)
        .exclude(rating="")
        .values("assignment__entity_id")
        .annotate(rated=Count("id"), good=Count("id", filter=Q(rating__in=GOOD_RATINGS)))
    )
    return {
        row["assignment__entity_id"]: (
            Decimal(row["good"]) * 100 / row["rated"],
            Decimal(row["good"]),
            Decimal(row["rated"]),
        )
        for row in rows
    }


def updates_validated(cycle: Cycle) -> Result:
    """Per entity: share of its updates in the cycle that were validated."""
    from reporting.models import ProgressUpdate

    rows = (
        ProgressUpdate.objects.filter(cycle=cycle, assignment__active=True)
        .values("assignment__entity_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(state="validated")))
    )
    return {
        row["assignment__entity_id"]: (
            Decimal(row["done"]) * 100 / row["total"],
            Decimal(row["done"]),
            Decimal(row["total"]),
        )
        for row in rows
        if row["total"]
    }


def obstacles_escalated(cycle: Cycle) -> Result:
    """Per entity: number of obstacles escalated to leadership in the cycle."""
    from reporting.models import Obstacle

    rows = (
        Obstacle.objects.filter(update__cycle=cycle, escalate=True)
        .values("update__assignment__entity_id")
        .annotate(n=Count("id"))
    )
    return {row["update__assignment__entity_id"]: (Decimal(row["n"]), None, None) for row in rows}


def _mission_cases(cycle: Cycle) -> Any:
    from registers.models import Case

    return Case.objects.filter(mission__entity__kind="mission")


def crimes_cases(cycle: Cycle) -> Result:
    """Per mission: cases of crimes against its personnel with the incident in the period
    (register of crimes against peacekeepers)."""
    rows = (
        _mission_cases(cycle)
        .filter(incident_date__gte=cycle.period_start, incident_date__lte=cycle.period_end)
        .order_by()
        .values("mission_id")
        .annotate(n=Count("pk"))
    )
    return {row["mission_id"]: (Decimal(row["n"]), None, None) for row in rows}


def crimes_personnel_killed(cycle: Cycle) -> Result:
    """Per mission: its personnel killed by malicious acts in the period (indicator 4.1-a)."""
    from registers.models import Victim

    rows = (
        Victim.objects.filter(
            outcome=Victim.Outcome.KILLED,
            case__incident_date__gte=cycle.period_start,
            case__incident_date__lte=cycle.period_end,
        )
        .order_by()
        .values("case__mission_id")
        .annotate(n=Count("pk"))
    )
    return {row["case__mission_id"]: (Decimal(row["n"]), None, None) for row in rows}


def crimes_judicial_followup(cycle: Cycle) -> Result:
    """Per mission: share of its recorded cases (incident up to the period's end) in which the
    host State had taken a judicial step by the period's end (indicator 4.1.2-a)."""
    from registers.models import FollowUpStep

    stepped = FollowUpStep.objects.filter(case=OuterRef("pk"), date__lte=cycle.period_end)
    rows = (
        _mission_cases(cycle)
        .filter(incident_date__lte=cycle.period_end)
        .order_by()
        .values("mission_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(Exists(stepped))))
    )
    return {
        row["mission_id"]: (
            Decimal(row["done"]) * 100 / row["total"],
            Decimal(row["done"]),
            Decimal(row["total"]),
        )
        for row in rows
        if row["total"]
    }


COMPUTED: dict[str, Callable[[Cycle], Result]] = {
    "deliverables_on_track": deliverables_on_track,
    "updates_validated": updates_validated,
    "obstacles_escalated": obstacles_escalated,
    "crimes_cases": crimes_cases,
    "crimes_personnel_killed": crimes_personnel_killed,
    "crimes_judicial_followup": crimes_judicial_followup,
}
