"""The dashboards' Registers section: numbers against the test's own count over the cases,
victims and follow-up steps it made, the register's access rules, and a query count that does
not grow with the data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from demo.synthetic import make_cases
from registers.models import Case, FollowUpStep, Victim
from tests.factories import MembershipFactory, UserFactory

PLAN = "a4p-plus-2021-2023"
URL = f"/plans/{PLAN}/dashboard/registers/"
YEARS = {2022}  # the years of the history's cycles (2022-H1, 2022-H2)


@pytest.fixture
def register(history: dict[str, Any]) -> dict[str, Any]:
    """Synthetic cases from mid-2020 to 2023: some inside the cycles' years, some outside."""
    make_cases(n=120, seed=7, start=dt.date(2020, 6, 1), end=dt.date(2023, 12, 31))
    return history


def expected(*, mission: str | None = None, years: set[int] = YEARS) -> dict[str, Any]:
    """The figures computed here from the records themselves, not through the tallies."""
    cases = {
        c.pk: c
        for c in Case.objects.select_related("mission__entity")
        if c.incident_date.year in years and (mission is None or c.mission.entity.code == mission)
    }
    by_mission: Counter[str] = Counter(c.mission.entity.acronym for c in cases.values())
    by_type: Counter[str] = Counter(c.incident_type for c in cases.values())
    killed: Counter[int] = Counter()
    injured: Counter[int] = Counter()
    for v in Victim.objects.filter(case_id__in=list(cases)):
        year = cases[v.case_id].incident_date.year
        (killed if v.outcome == Victim.Outcome.KILLED else injured)[year] += 1
    followed = {s.case_id for s in FollowUpStep.objects.filter(case_id__in=list(cases))}
    return {
        "cases": len(cases),
        "by_mission": by_mission,
        "by_type": by_type,
        "killed": killed,
        "injured": injured,
        "followed": len(followed),
    }


def csv_rows(client: Client, chart: str, query: str = "") -> list[list[str]]:
    response = client.get(f"{URL}?csv={chart}{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def leader() -> User:
    user = UserFactory.create()
    MembershipFactory(user=user, role=Role.SENIOR_LEADERSHIP, entity="dpo")
    return user


def test_leadership_sees_every_case_of_the_years_as_counted_here(
    register: dict[str, Any], client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(leader())
    response = client.get(URL)
    assert response.status_code == 200
    assert b'aria-current="page"' in response.content
    want = expected()
    assert want["cases"] > 0
    missions = csv_rows(client, "missions")
    assert missions[0] == ["Mission", "Cases", "Killed", "Injured"]
    assert {r[0]: int(r[1]) for r in missions[1:]} == dict(want["by_mission"])
    assert sum(int(r[2]) for r in missions[1:]) == sum(want["killed"].values())
    assert sum(int(r[3]) for r in missions[1:]) == sum(want["injured"].values())
    victims = csv_rows(client, "victims")
    assert victims[1:] == [
        [
            str(y),
            str(want["killed"][y]),
            str(want["injured"][y]),
            str(want["killed"][y] + want["injured"][y]),
        ]
        for y in sorted(YEARS)
    ]
    cases = csv_rows(client, "cases")
    assert cases[0][0] == "Year" and cases[0][-1] == "Total"
    assert [int(r[-1]) for r in cases[1:]] == [want["cases"]]
    types = csv_rows(client, "types")
    labels = dict(Case.IncidentType.choices)
    assert {r[0]: int(r[1]) for r in types[1:]} == {
        str(labels[k]): n for k, n in want["by_type"].items()
    }
    followup = csv_rows(client, "followup")
    share = round(want["followed"] * 100 / want["cases"], 1)
    assert followup[1:] == [["2022", str(want["cases"]), str(want["followed"]), f"{share:.1f}"]]


def test_the_cycle_sets_the_years(
    register: dict[str, Any],
    grow: Callable[[], None],
    client_for: Callable[[User | None], Client],
) -> None:
    grow()  # 2023-H1: the years run 2022 to 2023
    client = client_for(leader())
    both = csv_rows(client, "cases")
    assert [r[0] for r in both[1:]] == ["2022", "2023"]
    assert sum(int(r[-1]) for r in both[1:]) == expected(years={2022, 2023})["cases"]
    only = csv_rows(client, "cases", "&cycle=2022-H2")
    assert [r[0] for r in only[1:]] == ["2022"]


def test_a_mission_user_counts_its_mission_only(
    register: dict[str, Any], focal: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(focal)  # focal point of MINUSCA
    want = expected(mission="minusca")
    assert 0 < want["cases"] < expected()["cases"]
    missions = csv_rows(client, "missions")
    assert [(r[0], int(r[1])) for r in missions[1:]] == [("MINUSCA", want["cases"])]
    # Choosing another mission as entity cannot widen what the gate lets through.
    other = csv_rows(client, "missions", "&entity=monusco")
    assert other[1:] == []


def test_the_entity_filter_narrows_to_a_mission(
    register: dict[str, Any], client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(leader())
    missions = csv_rows(client, "missions", "&entity=minusca")
    assert [(r[0], int(r[1])) for r in missions[1:]] == [
        ("MINUSCA", expected(mission="minusca")["cases"])
    ]
    response = client.get(URL + "?entity=dpo-ousg-iapu")
    assert response.status_code == 200
    assert "is not a mission" in response.content.decode()


def test_the_planning_unit_sees_aggregates_of_every_case(
    register: dict[str, Any], planner: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(planner)
    response = client.get(URL)
    assert "not its cases" in response.content.decode()
    total = sum(int(r[1]) for r in csv_rows(client, "missions")[1:])
    assert total == expected()["cases"]


def test_a_role_without_register_access_reads_a_sentence(
    register: dict[str, Any], reviewer: User, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(reviewer).get(URL)  # reviewer of an HQ office
    assert response.status_code == 200
    assert "gives no access to the register" in response.content.decode()
    assert b"chart-cases" not in response.content


def test_delegates_anonymous_and_outsiders_get_404(
    register: dict[str, Any],
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
) -> None:
    assert Client().get(URL).status_code == 404
    delegate = client_for(user_with_role(Role.MEMBER_STATE_DELEGATE))
    assert delegate.get(URL).status_code == 404
    assert delegate.get(URL + "?csv=missions").status_code == 404


def test_query_count_does_not_grow_with_the_data(
    register: dict[str, Any], client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(leader())
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    make_cases(n=300, seed=8, start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31))
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries) <= 18
