"""Aggregates over a queryset of cases, for dashboards, the report and the portal. Each function
runs a fixed number of queries (one or two) whatever the number of cases, and returns plain
lists of dicts or numbers. The caller decides which cases (pass `cases_visible_to(user)`, or
`Case.objects.all()` for the report)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear

from registers.models import Case, FollowUpStep, Victim

# Judicial follow-up, as indicator 4.1.2-a of the plan defines it: the host State has taken at
# least one judicial step (investigation opened, arrest, charges, trial, verdict or sentence).
JUDICIAL_STAGES = [s.value for s in FollowUpStep.Stage]

KILLED = Q(outcome=Victim.Outcome.KILLED)
INJURED = Q(outcome=Victim.Outcome.INJURED)


def _victims(cases: QuerySet[Case]) -> QuerySet[Victim]:
    return Victim.objects.filter(case__in=cases.values("pk"))


def _merge(case_rows: Any, victim_rows: Any, key: str) -> list[dict[str, Any]]:
    by_key = {row[key]: row for row in victim_rows}
    merged = []
    for row in case_rows:
        found = by_key.get(row[key], {})
        merged.append({**row, "killed": found.get("killed", 0), "injured": found.get("injured", 0)})
    return merged


def cases_by_year(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """[{"year", "cases", "killed", "injured"}], oldest first. Two queries."""
    rows = list(
        cases.order_by()
        .annotate(year=ExtractYear("incident_date"))
        .values("year")
        .annotate(cases=Count("pk"))
        .order_by("year")
    )
    victims = list(
        _victims(cases)
        .order_by()
        .annotate(year=ExtractYear("case__incident_date"))
        .values("year")
        .annotate(killed=Count("pk", filter=KILLED), injured=Count("pk", filter=INJURED))
    )
    return _merge(rows, victims, "year")


def cases_by_mission(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """[{"mission_id", "mission", "cases", "killed", "injured"}], most cases first. Two queries."""
    rows = [
        {"mission_id": r["mission_id"], "mission": r["acronym"], "cases": r["cases"]}
        for r in cases.order_by()
        .values("mission_id", acronym=F("mission__entity__acronym"))
        .annotate(cases=Count("pk"))
        .order_by("-cases", "acronym")
    ]
    victims = list(
        _victims(cases)
        .order_by()
        .values(mission_id=F("case__mission_id"))
        .annotate(killed=Count("pk", filter=KILLED), injured=Count("pk", filter=INJURED))
    )
    return _merge(rows, victims, "mission_id")


def cases_by_incident_type(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """[{"incident_type", "label", "cases"}], most cases first. One query."""
    labels = dict(Case.IncidentType.choices)
    rows = (
        cases.order_by()
        .values("incident_type")
        .annotate(cases=Count("pk"))
        .order_by("-cases", "incident_type")
    )
    return [
        {
            "incident_type": row["incident_type"],
            "label": str(labels.get(row["incident_type"], row["incident_type"])),
            "cases": row["cases"],
        }
        for row in rows
    ]


def victims_by_nationality(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """[{"iso3", "name", "victims", "killed", "injured"}], most victims first; victims without a
    Member State count under iso3 None. One query."""
    rows = (
        _victims(cases)
        .order_by()
        .values("nationality__iso3", "nationality__name")
        .annotate(
            victims=Count("pk"),
            killed=Count("pk", filter=KILLED),
            injured=Count("pk", filter=INJURED),
        )
        .order_by("-victims", "nationality__name")
    )
    return [
        {
            "iso3": row["nationality__iso3"],
            "name": row["nationality__name"] or "",
            "victims": row["victims"],
            "killed": row["killed"],
            "injured": row["injured"],
        }
        for row in rows
    ]


def followup_share(cases: QuerySet[Case], *, by: Any = None) -> dict[str, Any]:
    """{"cases", "with_followup", "share"}: the share (percent, None without cases) of cases in
    which the host State took at least one judicial step (by a date, if given). Two queries."""
    steps = FollowUpStep.objects.filter(case__in=cases.values("pk"), stage__in=JUDICIAL_STAGES)
    if by is not None:
        steps = steps.filter(date__lte=by)
    total = cases.order_by().count()
    done = steps.order_by().values("case_id").distinct().count()
    return {
        "cases": total,
        "with_followup": done,
        "share": round(done * 100 / total, 1) if total else None,
    }


def followup_by_mission(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """[{"mission", "cases", <stage>: cases that reached it, …}], most cases first. Two
    queries."""
    rows = {
        r["mission"]: {**r, **dict.fromkeys(JUDICIAL_STAGES, 0)} for r in _cases_per_mission(cases)
    }
    reached = (
        FollowUpStep.objects.filter(case__in=cases.values("pk"))
        .order_by()
        .values("stage", acronym=F("case__mission__entity__acronym"))
        .annotate(n=Count("case_id", distinct=True))
    )
    for row in reached:
        if row["acronym"] in rows:
            rows[row["acronym"]][row["stage"]] = row["n"]
    return list(rows.values())


def _cases_per_mission(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    return [
        {"mission": r["acronym"], "cases": r["cases"]}
        for r in cases.order_by()
        .values(acronym=F("mission__entity__acronym"))
        .annotate(cases=Count("pk"))
        .order_by("-cases", "acronym")
    ]
