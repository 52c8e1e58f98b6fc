"""Aggregates over a queryset of cases, for dashboards, the report and the portal. Each function
runs a fixed number of queries (one or two) whatever the number of cases, and returns plain
lists of dicts or numbers. The caller decides which cases (pass `cases_visible_to(user)`, or
`Case.objects.all()` for the report)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.lookups import GreaterThan

from core.models import MemberState, Mission
from registers.models import STAGE_BITS, Case, FollowUpStep, Victim

# Judicial follow-up, as indicator 4.1.2-a of the plan defines it: the host State has taken at
# least one judicial step (investigation opened, arrest, charges, trial, verdict or sentence).
JUDICIAL_STAGES = [s.value for s in FollowUpStep.Stage]
JUDICIAL_BITS = sum(STAGE_BITS[stage] for stage in JUDICIAL_STAGES)

KILLED = Q(outcome=Victim.Outcome.KILLED)
INJURED = Q(outcome=Victim.Outcome.INJURED)

# Counted from the cases' own columns (year stored by the database, victims' tallies kept by
# `services.tallies_refresh`): one pass over the cases, no date function per row, no join to the
# victims.
CASE_TALLIES = {
    "cases": Count("pk"),
    "killed": Sum("victims_killed", default=0),
    "injured": Sum("victims_injured", default=0),
}


def reached(bits: int) -> GreaterThan:
    """The condition that a case reached any of the stages of these bits."""
    return GreaterThan(F("stages_reached").bitand(bits), 0)


def _victims(cases: QuerySet[Case]) -> QuerySet[Victim]:
    if not cases.query.where:  # every case: no need to test each victim's case
        return Victim.objects.all()
    return Victim.objects.filter(case__in=cases.values("pk"))


def _mission_names(ids: Any) -> dict[int, str]:
    return dict(Mission.objects.filter(pk__in=list(ids)).values_list("pk", "entity__acronym"))


def cases_by_year(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """[{"year", "cases", "killed", "injured"}], oldest first. One query."""
    rows: Any = (
        cases.order_by()
        .values(year=F("incident_year"))
        .annotate(**CASE_TALLIES)
        .order_by("incident_year")
    )
    return [dict(row) for row in rows]


def cases_by_year_and_mission(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """[{"year", "mission_id", "mission", "cases", "killed", "injured"}], by year then mission:
    what a chart stacked by mission draws, and the totals by year or by mission add up from it.
    Two queries (the counts, then the missions' names)."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in cases.order_by()
        .values("mission_id", year=F("incident_year"))
        .annotate(**CASE_TALLIES)
    ]
    names = _mission_names({row["mission_id"] for row in rows})
    for row in rows:
        row["mission"] = names.get(row["mission_id"], "")
    rows.sort(key=lambda row: (row["year"], row["mission"]))
    return rows


def cases_by_mission(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """[{"mission_id", "mission", "cases", "killed", "injured"}], most cases first. Two queries
    (the counts, then the missions' names)."""
    rows: Any = list(cases.order_by().values("mission_id").annotate(**CASE_TALLIES))
    names = _mission_names(row["mission_id"] for row in rows)
    out = [
        {
            "mission_id": row["mission_id"],
            "mission": names.get(row["mission_id"], ""),
            "cases": row["cases"],
            "killed": row["killed"],
            "injured": row["injured"],
        }
        for row in rows
    ]
    out.sort(key=lambda row: (-row["cases"], row["mission"]))
    return out


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
    Member State count under iso3 None. Two queries (the counts, then the States' names)."""
    rows = list(
        _victims(cases)
        .order_by()
        .values("nationality_id")
        .annotate(
            victims=Count("pk"),
            killed=Count("pk", filter=KILLED),
            injured=Count("pk", filter=INJURED),
        )
    )
    states = {
        pk: (iso3, name)
        for pk, iso3, name in MemberState.objects.filter(
            pk__in=[r["nationality_id"] for r in rows if r["nationality_id"] is not None]
        ).values_list("pk", "iso3", "name")
    }
    out = [
        {
            "iso3": states.get(row["nationality_id"], (None, ""))[0],
            "name": states.get(row["nationality_id"], (None, ""))[1],
            "victims": row["victims"],
            "killed": row["killed"],
            "injured": row["injured"],
        }
        for row in rows
    ]
    out.sort(key=lambda row: (-row["victims"], row["name"]))
    return out


def followup_share(cases: QuerySet[Case], *, by: Any = None) -> dict[str, Any]:
    """{"cases", "with_followup", "share"}: the share (percent, None without cases) of cases in
    which the host State took at least one judicial step (by a date, if given). One query
    without a date (the cases' stages reached), two with one (the steps' dates)."""
    if by is None:
        counts = cases.order_by().aggregate(
            total=Count("pk"), done=Count("pk", filter=reached(JUDICIAL_BITS))
        )
        total, done = counts["total"], counts["done"]
    else:
        steps = FollowUpStep.objects.filter(
            case__in=cases.values("pk"), stage__in=JUDICIAL_STAGES, date__lte=by
        )
        total = cases.order_by().count()
        done = steps.order_by().values("case_id").distinct().count()
    return {
        "cases": total,
        "with_followup": done,
        "share": _share(done, total),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def followup_by_year(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """[{"year", "cases", "with_followup", "share"}] by year of the incident, oldest first: the
    share of the year's cases in which the host State has taken a judicial step (to date). One
    query."""
    rows = (
        cases.order_by()
        .values(year=F("incident_year"))
        .annotate(cases=Count("pk"), with_followup=Count("pk", filter=reached(JUDICIAL_BITS)))
        .order_by("incident_year")
    )
    return [{**row, "share": _share(row["with_followup"], row["cases"])} for row in rows]


def followup_by_mission(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """[{"mission", "cases", <stage>: cases that reached it, …}], most cases first. Two
    queries (the counts, then the missions' names)."""
    rows: Any = list(
        cases.order_by()
        .values("mission_id")
        .annotate(
            cases=Count("pk"),
            **{stage: Count("pk", filter=reached(STAGE_BITS[stage])) for stage in JUDICIAL_STAGES},
        )
    )
    names = _mission_names(row["mission_id"] for row in rows)
    out: list[dict[str, Any]] = [
        {"mission": names.get(row.pop("mission_id"), ""), **row} for row in rows
    ]
    out.sort(key=lambda row: (-row["cases"], row["mission"]))
    return out
