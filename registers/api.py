"""The register's cases as JSON, for the API: a case in a list (`case_item`) and a case read
alone (`case_detail`), each with the fields the reader may read (`selectors.CASE_SHARING`)."""

from __future__ import annotations

from typing import Any

from registers.access import RegisterAccess
from registers.kernel.sharing import reading
from registers.models import Case
from registers.selectors import CASE_SHARING


def _facts(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "incident_date": case.incident_date.isoformat(),
        "mission": case.mission.entity.acronym,
        "state": case.country.iso3 if case.country else None,
        "place": case.place,
        "incident_type": case.incident_type,
        "status": case.status,
    }


def case_item(case: Case, reader: RegisterAccess) -> dict[str, Any]:
    """A case annotated by `selectors.with_followup`, in a list."""
    return {
        **_facts(case),
        "killed": case.killed,  # type: ignore[attr-defined]
        "injured": case.injured,  # type: ignore[attr-defined]
    }


def case_detail(case: Case, reader: RegisterAccess) -> dict[str, Any]:
    """A case read through `selectors.case_for`, with its victims and follow-up."""
    read = reading(full=reader.full_view(case), sensitivity=case.sensitivity)
    item = _facts(case)
    for name in ("description", "suspected_perpetrators", "internal_notes", "sensitivity"):
        if read.shows(CASE_SHARING, name):
            item[name] = getattr(case, name)
    item["victims"] = [
        {
            "nationality": v.nationality.iso3 if v.nationality else None,
            "personnel_type": v.personnel_type,
            "sex": v.sex,
            "outcome": v.outcome,
        }
        for v in case.victims.all()
    ]
    sources = read.shows(CASE_SHARING, "followup_source")
    item["follow_up"] = [
        {"stage": s.stage, "date": s.date.isoformat()} | ({"source": s.source} if sources else {})
        for s in case.steps.all()
    ]
    return item
