"""The register's cases as JSON, for the API: a case in a list (`case_item`) and a case read
alone (`case_detail`), each with the fields the reader may read (`selectors.CASE_SHARING`); the
list's filters, the form a case recorded through the API is validated by, and the statistics."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.models import MemberState, Mission
from registers.access import RegisterAccess
from registers.forms import CaseForm, MissionChoice
from registers.kernel.sharing import reading
from registers.models import Case, Victim
from registers.pages import SMALL_CELLS, STAT_TABLES
from registers.selectors import CASE_SHARING, cases_filtered, editable_missions, with_followup
from registers.stats import followup_by_mission, followup_share


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


# What the generic resource of `/api/v1/` reads (`crimes.CRIMES.api_resources`) ---------------


def list_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases of a list page, with what `case_item` reads, in one query."""
    return with_followup(cases).select_related("mission__entity", "country")


def detail_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """A case with what `case_detail` reads (its victims and follow-up)."""
    return cases.select_related("mission__entity", "country").prefetch_related(
        Prefetch("victims", queryset=Victim.objects.select_related("nationality")), "steps"
    )


class CaseFilter(filters.FilterSet):
    """The case list page's filters (`selectors.cases_filtered`), and the type of incident."""

    year = filters.NumberFilter(method="_narrow", min_value=1940, max_value=2100)
    mission = filters.CharFilter(method="_narrow", max_length=30)
    state = filters.CharFilter(method="_narrow", min_length=3, max_length=3)
    status = filters.ChoiceFilter(method="_narrow", choices=Case.Status.choices)
    incident_type = filters.ChoiceFilter(choices=Case.IncidentType.choices)

    class Meta:
        model = Case
        fields = ["year", "mission", "state", "status", "incident_type"]

    def _narrow(self, queryset: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        if name == "year":
            value = int(value)
        return cases_filtered(queryset, **{name: value})


class ApiCaseForm(CaseForm):
    """The create page's form, with the mission by its code and the State by its ISO3 code (the
    API's stable identifiers)."""

    mission = MissionChoice(
        queryset=Mission.objects.none(), to_field_name="entity__code", label=_("Mission")
    )
    country = forms.ModelChoiceField(
        queryset=MemberState.objects.all(), to_field_name="iso3", required=False
    )


def _lower_codes(data: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if isinstance(values.get("mission"), str):
        values["mission"] = values["mission"].lower()
    if isinstance(values.get("country"), str):
        values["country"] = values["country"].upper()
    return values


def case_form(reader: RegisterAccess, data: Mapping[str, Any]) -> ApiCaseForm:
    """The form a case recorded through the API is validated by: the create page's."""
    return ApiCaseForm(_lower_codes(data), missions=editable_missions(reader))


def statistics(cases: QuerySet[Case]) -> dict[str, Any]:
    """The statistics page's aggregates (its tables, with its small-cell suppression)."""
    below = SMALL_CELLS
    return {
        "small_cells": below,
        "by_year": STAT_TABLES["by-year"].read(cases, small_cells=below),
        "by_mission": STAT_TABLES["by-mission"].read(cases, small_cells=below),
        "by_incident_type": STAT_TABLES["by-incident-type"].read(cases, small_cells=below),
        "by_nationality": STAT_TABLES["by-nationality"].read(cases, small_cells=below),
        "followup": followup_share(cases),
        "followup_by_mission": followup_by_mission(cases),
    }
