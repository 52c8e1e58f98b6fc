"""The register kernel: the crimes register's registration and what it contributes, the concern
relation, the fields shared with States, small-cell suppression and the one CSV writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Role, User
from core.export import csv_response
from indicators.computed import COMPUTED, register_computed
from registers import computed
from registers.crimes import CRIMES
from registers.kernel.registry import register, registers
from registers.kernel.sharing import reading
from registers.kernel.statistics import suppressed
from registers.models import Case
from registers.report import crimes_report_section
from registers.selectors import CASE_CONCERN, CASE_SHARING
from reporting.models import Sensitivity
from tests.factories import MembershipFactory
from tests.registers.conftest import Cases
from tests.registers.factories import case_with, state


def test_the_crimes_register_registers_itself_with_its_contributions() -> None:
    assert CRIMES in registers()
    assert CRIMES.model is Case and CRIMES.concern is CASE_CONCERN
    assert CRIMES.report_section is crimes_report_section
    assert [resource.name for resource in CRIMES.api_resources] == ["cases"]
    assert CRIMES.api_statistics is not None
    # Its computed indicators reach the indicators' registry once the apps are ready.
    for key in ("crimes_cases", "crimes_personnel_killed", "crimes_judicial_followup"):
        assert COMPUTED[key] is getattr(computed, key)
    assert {"deliverables_on_track", "updates_validated", "obstacles_escalated"} <= set(COMPUTED)


def test_a_code_or_a_computed_key_cannot_be_taken_twice() -> None:
    register(CRIMES)  # the same registration again changes nothing
    with pytest.raises(ImproperlyConfigured):
        register(replace(CRIMES, name="A copy"))
    with pytest.raises(ImproperlyConfigured):
        register_computed("crimes_cases", computed.crimes_judicial_followup)


def test_concern_is_the_union_of_the_grounds(cases: Cases) -> None:
    hosted = case_with(["PAK"], mission="minusca", country="CMR")
    bgd, cod, cmr = state("BGD").pk, state("COD").pk, state("CMR").pk
    concerning = {c.pk for c in Case.objects.filter(CASE_CONCERN.filter([bgd, cmr]))}
    assert concerning == {cases.bgd.pk, hosted.pk}
    assert {c.pk for c in Case.objects.filter(CASE_CONCERN.filter([cod]))} == {cases.bgd.pk}
    # Nationals, then the mission's host State when the case has no State of its own.
    assert CASE_CONCERN.states_of(cases.bgd) == {bgd, state("NPL").pk, cod}
    assert CASE_CONCERN.states_of(hosted) == {state("PAK").pk, cmr}


def test_a_state_reads_the_narrative_unless_confidential_and_never_the_staff_fields() -> None:
    shared = reading(full=False, sensitivity=Sensitivity.INTERNAL)
    withheld = reading(full=False, sensitivity=Sensitivity.CONFIDENTIAL)
    staff = reading(full=True, sensitivity=Sensitivity.CONFIDENTIAL)
    assert shared.shows(CASE_SHARING, "description")
    assert not withheld.shows(CASE_SHARING, "description")
    assert withheld.shows(CASE_SHARING, "place")
    assert not shared.shows(CASE_SHARING, "internal_notes")
    assert staff.shows(CASE_SHARING, "internal_notes") and staff.shows(CASE_SHARING, "description")


def test_the_dashboard_section_follows_the_register_access(
    cases: Cases, user_with_role: Callable[[str], User], outsider: User
) -> None:
    assert CRIMES.dashboard_section is not None
    years = {"first_year": 2020, "last_year": 2024}
    assert CRIMES.dashboard_section(user=outsider, **years) is None
    planner = CRIMES.dashboard_section(user=user_with_role(Role.PLANNING_UNIT), **years)
    assert planner is not None and planner["aggregates_only"]
    assert sum(cell["cases"] for cell in planner["cells"]) == 3
    officer = MembershipFactory.create(role=Role.REGISTER_OFFICER, entity="minusca").user
    mission = CRIMES.dashboard_section(user=officer, **years, mission_id=cases.bgd.mission_id)
    assert mission is not None and mission["cells"] == []


def test_the_report_section_is_reachable_through_the_registry(cases: Cases) -> None:
    assert CRIMES.report_section is not None
    section = CRIMES.report_section(
        period_start=dt.date(2022, 1, 1), period_end=dt.date(2022, 12, 31), public=True
    )
    assert section is not None and ("Cases recorded", 3) in section["facts"]


def test_small_cells_are_withheld_below_the_threshold() -> None:
    rows = [{"year": 2021, "cases": 2, "killed": 0}, {"year": 2022, "cases": 12, "killed": 4}]
    assert suppressed(rows, ("cases", "killed"), below=0) == rows
    assert suppressed(rows, ("cases", "killed"), below=5) == [
        {"year": 2021, "cases": None, "killed": 0},
        {"year": 2022, "cases": 12, "killed": None},
    ]


def test_the_csv_writer_writes_a_byte_order_mark_a_header_and_the_rows() -> None:
    response = csv_response("t.csv", ["a", "b"], [[1, "x,y"], ["", None]])
    assert response["Content-Disposition"] == 'attachment; filename="t.csv"'
    assert response.content == '\ufeffa,b\r\n1,"x,y"\r\n,\r\n'.encode()
