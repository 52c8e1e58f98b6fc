"""The computed indicators of the register of crimes against peacekeepers, per mission and
cycle. The registration (`registers.crimes`) hands them to `indicators.computed` at start-up;
the plan file names them in `computed:`."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from indicators.computed import Result
from registers.models import Case, FollowUpStep, Victim
from reporting.models import Cycle


def _mission_cases() -> QuerySet[Case]:
    return Case.objects.filter(mission__entity__kind="mission")


def crimes_cases(cycle: Cycle) -> Result:
    """Per mission: cases of crimes against its personnel with the incident in the period
    (register of crimes against peacekeepers)."""
    rows = (
        _mission_cases()
        .filter(incident_date__gte=cycle.period_start, incident_date__lte=cycle.period_end)
        .order_by()
        .values("mission_id")
        .annotate(n=Count("pk"))
    )
    return {row["mission_id"]: (Decimal(row["n"]), None, None) for row in rows}


def crimes_personnel_killed(cycle: Cycle) -> Result:
    """Per mission: its personnel killed by malicious acts in the period (indicator 4.1-a)."""
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
    stepped = FollowUpStep.objects.filter(case=OuterRef("pk"), date__lte=cycle.period_end)
    rows = (
        _mission_cases()
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


CRIMES_COMPUTED = {
    "crimes_cases": crimes_cases,
    "crimes_personnel_killed": crimes_personnel_killed,
    "crimes_judicial_followup": crimes_judicial_followup,
}
