"""The rows of the register's CSV exports (written by `core.export.csv_response`): the list of
cases, one row per case, and one case, one row per fact, victim and follow-up step. Each reader
gets the fields they may read (`selectors.CASE_SHARING`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from registers.kernel.sharing import Reading
from registers.models import Case
from registers.selectors import CASE_SHARING
from registers.sop import STAGES

Column = tuple[str, Callable[[Any, Reading], object]]


def _withheld(name: str) -> Column:
    """A column of a case field, empty for a reader who may not read it."""
    return (name, lambda c, r: getattr(c, name) if r.shows(CASE_SHARING, name) else "")


def _stage(stage: str) -> Column:
    return (f"{stage}_date", lambda c, r: getattr(c, f"first_{stage}") or "")


# For cases annotated by `selectors.with_followup`, marked overdue by `pages.mark_overdue`.
CASE_COLUMNS: list[Column] = [
    ("case", lambda c, r: c.pk),
    ("incident_date", lambda c, r: c.incident_date.isoformat()),
    ("mission", lambda c, r: c.mission.entity.acronym),
    ("state", lambda c, r: c.country.iso3 if c.country else ""),
    ("place", lambda c, r: c.place),
    ("incident_type", lambda c, r: c.get_incident_type_display()),
    ("killed", lambda c, r: c.killed),
    ("injured", lambda c, r: c.injured),
    ("status", lambda c, r: c.get_status_display()),
    *[_stage(stage) for stage in STAGES],
    ("overdue", lambda c, r: c.overdue.stage if c.overdue else ""),
    _withheld("description"),
    _withheld("suspected_perpetrators"),
    # UN staff only, as in the case export: a concerned State never reads the sensitivity.
    _withheld("sensitivity"),
]


def case_list_header() -> list[str]:
    return [name for name, _get in CASE_COLUMNS]


def case_list_rows(
    cases: Sequence[Case], reading_of: Callable[[Case], Reading]
) -> Iterator[list[object]]:
    for case in cases:
        read = reading_of(case)
        yield [get(case, read) for _name, get in CASE_COLUMNS]


def case_rows(case: Case, read: Reading) -> Iterator[list[object]]:
    """One case read through `selectors.case_for`: its facts, victims and follow-up steps."""
    facts: list[tuple[str, object]] = [
        ("case", case.pk),
        ("incident_date", case.incident_date.isoformat()),
        ("mission", case.mission.entity.acronym),
        ("state", case.country.iso3 if case.country else ""),
        ("place", case.place),
        ("incident_type", case.get_incident_type_display()),
        ("status", case.get_status_display()),
        ("latitude", case.latitude if case.latitude is not None else ""),
        ("longitude", case.longitude if case.longitude is not None else ""),
        ("description", case.description),
        ("suspected_perpetrators", case.suspected_perpetrators),
        ("internal_notes", case.internal_notes),
        ("sensitivity", case.sensitivity),
    ]
    for name, value in facts:
        if read.shows(CASE_SHARING, name):
            yield ["case", name, value]
    for n, victim in enumerate(case.victims.all(), start=1):
        nationality = victim.nationality.iso3 if victim.nationality else victim.nationality_label
        details = [
            nationality,
            victim.get_personnel_type_display(),
            victim.get_sex_display(),
            victim.get_outcome_display(),
        ]
        yield ["victim", n, "; ".join(details)]
    sources = read.shows(CASE_SHARING, "followup_source")
    for step in case.steps.all():
        source = step.source if sources else ""
        yield ["follow-up", step.get_stage_display(), f"{step.date.isoformat()}; {source}"]
