"""The register of crimes against peacekeepers as a registration on the register kernel: its
gate and shared fields (`selectors`), its access log, its section of the Member State portal
(`pages.portal_section`), of the consolidated report (`report.crimes_report_section`) and of the
dashboards (`crimes_dashboard_section`), its computed indicators and its API resource.
`RegistersConfig.ready()` registers it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from registers import api, pages, selectors, services, stats
from registers.access import register_access_for
from registers.computed import CRIMES_COMPUTED
from registers.kernel.registry import ApiResource, ApiWrite, Register
from registers.models import CaseAccess
from registers.report import crimes_report_section


def crimes_dashboard_section(
    *,
    user: User | AnonymousUser,
    first_year: int,
    last_year: int,
    mission_id: int | None = None,
) -> dict[str, Any] | None:
    """What the dashboards' Registers page draws: cases by year and mission, cases by type of
    incident and the judicial follow-up by year, over the cases whose aggregates the user may
    see; None for a user the register gives nothing."""
    cases = selectors.cases_for_statistics(user)
    if cases is None:
        return None
    cases = cases.filter(incident_year__gte=first_year, incident_year__lte=last_year)
    if mission_id is not None:
        cases = cases.filter(mission_id=mission_id)
    return {
        "cells": stats.cases_by_year_and_mission(cases),
        "by_type": stats.cases_by_incident_type(cases),
        "followup_by_year": stats.followup_by_year(cases),
        "aggregates_only": not register_access_for(user).any_cases,
    }


CRIMES = Register(
    code="crimes",
    name=_("Crimes against peacekeepers"),
    gate=selectors.CASES,
    shared=selectors.CASE_SHARING,
    access_log=CaseAccess,
    portal_section=pages.portal_section,
    report_section=crimes_report_section,
    dashboard_section=crimes_dashboard_section,
    computed=CRIMES_COMPUTED,
    api_resources=(
        ApiResource(
            "cases",
            gate=selectors.CASES,
            item=api.case_item,
            detail=api.case_detail,
            prepare_list=api.list_rows,
            prepare_detail=api.detail_rows,
            filterset=api.CaseFilter,
            ordering=("-incident_date", "-pk"),
            ordering_fields=("incident_date", "pk"),
            write=ApiWrite(
                form=api.case_form, save=services.case_create, refused=(services.RegisterError,)
            ),
        ),
    ),
    api_statistics=api.statistics,
    small_cells=pages.SMALL_CELLS,
)
