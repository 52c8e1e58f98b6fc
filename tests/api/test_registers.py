"""The crimes register through `/api/v1/registers/crimes/`: who sees which case (the pages' gate),
the fields shared with a delegate, the filters, the access log, the statistics, recording a case
through the service, and the query count of the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Role, User
from core.models import AuditEntry
from registers.models import Case, CaseAccess
from reporting.models import Sensitivity
from tests.api.agreement import Row, assert_pages_and_api_agree
from tests.conftest import ROLE_TARGETS
from tests.registers.conftest import Cases
from tests.registers.factories import StepFactory, case_with

CASES = "/api/v1/registers/crimes/cases/"
STATISTICS = "/api/v1/registers/crimes/statistics/"
Client = Callable[..., APIClient]


@pytest.fixture
def cases(db: None) -> Cases:
    """As the register's tests: BGD's case (MONUSCO, Bangladeshi and Nepalese victims), another
    State's (MINUSMA, Nepalese) and MINUSCA's (Pakistani)."""
    return Cases(
        bgd=case_with(["BGD", "NPL"], mission="monusco", internal_notes="Liaison notes."),
        other=case_with(["NPL"], mission="minusma"),
        minusca=case_with(["PAK"], mission="minusca"),
    )


def _ids(client: APIClient, query: str = "") -> set[int]:
    response = client.get(f"{CASES}{query}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_delegates_token_made_by_the_command_lists_exactly_its_states_cases(
    cases: Cases, user_with_role: Callable[[str], User], outsider: User
) -> None:
    delegate = user_with_role(Role.MEMBER_STATE_DELEGATE)  # of BGD
    out = StringIO()
    call_command("token", "create", delegate.username, "--read-only", stdout=out, stderr=StringIO())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {out.getvalue().strip()}")
    assert _ids(client) == {cases.bgd.pk}
    assert client.get(f"{CASES}{cases.bgd.pk}/").status_code == 200
    assert client.get(f"{CASES}{cases.other.pk}/").status_code == 404
    # An outsider's token sees no case, and 404 on every one.
    out = StringIO()
    call_command("token", "create", outsider.username, stdout=out, stderr=StringIO())
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION=f"Bearer {out.getvalue().strip()}")
    for case in (cases.bgd, cases.other, cases.minusca):
        response = stranger.get(f"{CASES}{case.pk}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    assert stranger.get(CASES).status_code == 404


def test_pages_and_api_agree_on_every_case_for_every_role(
    cases: Cases, user_with_role: Callable[[str], User], outsider: User
) -> None:
    users = {str(role): user_with_role(role) for role in ROLE_TARGETS} | {"outsider": outsider}
    rows = [
        Row(
            who=f"{who} on {name}",
            user=user,
            page=f"/registers/crimes/{case.pk}/",
            api=f"{CASES}{case.pk}/",
        )
        for who, user in users.items()
        for name, case in (("BGD's", cases.bgd), ("MINUSMA's", cases.other))
    ]
    assert assert_pages_and_api_agree(rows) > 0


def test_anonymous_gets_401_as_a_problem(cases: Cases) -> None:
    response = APIClient().get(CASES)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_delegate_reads_only_the_fields_shared_with_states(
    cases: Cases, user_with_role: Callable[[str], User], api_client_for: Client
) -> None:
    StepFactory.create(case=cases.bgd)
    delegate = api_client_for(user_with_role(Role.MEMBER_STATE_DELEGATE))
    body = delegate.get(f"{CASES}{cases.bgd.pk}/").json()
    assert body["description"] == "Convoy ambushed on the supply route."
    assert "internal_notes" not in body and "sensitivity" not in body
    assert {v["nationality"] for v in body["victims"]} == {"BGD", "NPL"}
    assert body["follow_up"] and all("source" in s for s in body["follow_up"])

    Case.objects.filter(pk=cases.bgd.pk).update(sensitivity=Sensitivity.CONFIDENTIAL)
    body = delegate.get(f"{CASES}{cases.bgd.pk}/").json()
    assert "description" not in body and "suspected_perpetrators" not in body
    assert body["follow_up"] and not any("source" in s for s in body["follow_up"])

    officer = api_client_for(user_with_role(Role.REGISTER_OFFICER))
    body = officer.get(f"{CASES}{cases.bgd.pk}/").json()
    assert body["internal_notes"] == "Liaison notes."
    assert body["description"] == "Convoy ambushed on the supply route."
    assert body["mission"] == "MONUSCO" and body["incident_date"] == "2022-03-14"


def test_the_list_filters_as_the_case_list_page(
    cases: Cases, user_with_role: Callable[[str], User], api_client_for: Client
) -> None:
    Case.objects.filter(pk=cases.other.pk).update(
        incident_date=dt.date(2020, 5, 1), status=Case.Status.CLOSED
    )
    Case.objects.filter(pk=cases.minusca.pk).update(incident_type=Case.IncidentType.IED)
    client = api_client_for(user_with_role(Role.REGISTER_OFFICER))
    assert _ids(client) == {cases.bgd.pk, cases.other.pk, cases.minusca.pk}
    assert _ids(client, "?year=2020") == {cases.other.pk}
    assert _ids(client, "?mission=minusca") == {cases.minusca.pk}
    assert _ids(client, "?state=npl") == {cases.bgd.pk, cases.other.pk}
    assert _ids(client, "?status=closed") == {cases.other.pk}
    assert _ids(client, "?incident_type=ied") == {cases.minusca.pk}
    assert _ids(client, "?state=BGD&year=2022") == {cases.bgd.pk}
    listed = client.get(f"{CASES}?ordering=incident_date").json()["results"]
    assert listed[0]["id"] == cases.other.pk
    assert client.get(f"{CASES}?page_size=1").json()["pages"] == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [("year=twenty", "year"), ("status=lost", "status"), ("incident_type=x", "incident_type")],
)
def test_an_invalid_filter_is_a_400_problem_naming_it(
    query: str,
    field: str,
    cases: Cases,
    user_with_role: Callable[[str], User],
    api_client_for: Client,
) -> None:
    client = api_client_for(user_with_role(Role.REGISTER_OFFICER))
    response = client.get(f"{CASES}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_every_case_read_is_logged_as_an_api_read_in_one_insert(
    cases: Cases, user_with_role: Callable[[str], User], api_client_for: Client
) -> None:
    officer = user_with_role(Role.REGISTER_OFFICER)
    client = api_client_for(officer)
    with CaptureQueriesContext(connection) as listing:
        assert client.get(f"{CASES}?page_size=2").status_code == 200
    inserts = [
        q for q in listing.captured_queries if "INSERT" in q["sql"] and "caseaccess" in q["sql"]
    ]
    assert len(inserts) == 1
    logged = CaseAccess.objects.filter(user=officer, action=CaseAccess.Action.API)
    assert logged.count() == 2  # the page's cases, not all of them
    client.get(f"{CASES}{cases.minusca.pk}/")
    last = CaseAccess.objects.order_by("-id").first()
    assert last is not None and (last.case_id, last.action) == (cases.minusca.pk, "api")
    assert (last.role, last.organisation) == (Role.REGISTER_OFFICER, "OPSP")
    # A refused read logs nothing.
    delegate = api_client_for(user_with_role(Role.MEMBER_STATE_DELEGATE))
    before = CaseAccess.objects.count()
    assert delegate.get(f"{CASES}{cases.other.pk}/").status_code == 404
    assert CaseAccess.objects.count() == before


def _many(n: int) -> None:
    for i in range(n):
        case = case_with(["BGD", "PAK"], mission="monusco" if i % 2 else "minusca")
        StepFactory.create(case=case)


@pytest.mark.parametrize("role", [Role.REGISTER_OFFICER, Role.MEMBER_STATE_DELEGATE])
def test_the_list_query_count_does_not_grow_with_cases(
    role: str,
    user_with_role: Callable[[str], User],
    api_client_for: Client,
    django_assert_num_queries: Any,
) -> None:
    client = api_client_for(user_with_role(role))
    _many(3)
    client.get(CASES)  # the token's last use is written once a minute
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(CASES).json()["results"]) == 3
    _many(6)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(CASES).json()["results"]) == 9


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PLANNING_UNIT, 200),
        (Role.MEMBER_STATE_DELEGATE, 200),
        (Role.REGISTER_OFFICER, 200),
        (Role.REVIEWER, 404),
    ],
)
def test_statistics_as_the_statistics_page(
    role: str,
    status: int,
    cases: Cases,
    user_with_role: Callable[[str], User],
    api_client_for: Client,
    client_for: Callable[[User | None], Any],
) -> None:
    user = user_with_role(role)
    response = api_client_for(user).get(STATISTICS)
    assert response.status_code == status
    assert client_for(user).get("/registers/crimes/statistics/").status_code == status
    if status != 200:
        return
    body = response.json()
    counted = sum(row["cases"] for row in body["by_year"])
    assert counted == (1 if role == Role.MEMBER_STATE_DELEGATE else 3)
    assert {"by_mission", "by_incident_type", "by_nationality", "followup"} <= set(body)
    assert response["Cache-Control"] == "no-store, private"


# Recording a case -------------------------------------------------------------------------------

NEW_CASE = {
    "incident_date": "2024-02-01",
    "mission": "MINUSCA",
    "country": "caf",
    "place": "Bria",
    "incident_type": "ambush",
    "description": "Patrol attacked.",
    "sensitivity": "internal",
}


def test_a_register_officer_records_a_case_through_the_service(
    db: None, user_with_role: Callable[[str], User], api_client_for: Client
) -> None:
    officer = user_with_role(Role.REGISTER_OFFICER)
    response = api_client_for(officer, read_only=False).post(CASES, NEW_CASE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert (case.mission.entity.code, case.country and case.country.iso3) == ("minusca", "CAF")
    assert case.created_by == officer and body["place"] == "Bria"
    assert AuditEntry.objects.filter(
        action="register.case.created", object_id=str(case.pk), actor_id=officer.pk
    ).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"incident_date": "2999-01-01"}, "incident_date"),
        ({"incident_date": "yesterday"}, "incident_date"),
        ({"mission": "atlantis"}, "mission"),
        ({"mission": None}, "mission"),
        ({"country": "ZZZ"}, "country"),
        ({"incident_type": "dragon"}, "incident_type"),
        ({"latitude": "4.5"}, ""),  # one coordinate without the other: the whole record
    ],
)
def test_an_invalid_case_is_a_400_problem_naming_the_field_and_writes_nothing(
    change: dict[str, Any],
    field: str,
    db: None,
    user_with_role: Callable[[str], User],
    api_client_for: Client,
) -> None:
    client = api_client_for(user_with_role(Role.REGISTER_OFFICER), read_only=False)
    response = client.post(CASES, NEW_CASE | change, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field] and errors[0]["message"]
    assert not Case.objects.exists()


def test_a_json_array_is_refused_with_a_message(
    db: None, user_with_role: Callable[[str], User], api_client_for: Client
) -> None:
    client = api_client_for(user_with_role(Role.REGISTER_OFFICER), read_only=False)
    response = client.post(CASES, [NEW_CASE], format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["message"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("role", "read_only", "status"),
    [
        (Role.REGISTER_OFFICER, True, 403),  # a read-only token never writes
        (Role.MEMBER_STATE_DELEGATE, False, 404),
        (Role.FOCAL_POINT, False, 404),
        (Role.PLANNING_UNIT, False, 404),
    ],
)
def test_only_a_register_officers_read_write_token_records_a_case(
    role: str,
    read_only: bool,
    status: int,
    db: None,
    user_with_role: Callable[[str], User],
    api_client_for: Client,
) -> None:
    client = api_client_for(user_with_role(role), read_only=read_only)
    assert client.post(CASES, NEW_CASE, format="json").status_code == status
    assert not Case.objects.exists()


def test_a_mission_officer_may_not_record_a_case_of_another_mission(
    db: None, api_client_for: Client
) -> None:
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory.create()
    MembershipFactory(user=user, role=Role.REGISTER_OFFICER, entity="monusco")
    response = api_client_for(user, read_only=False).post(CASES, NEW_CASE, format="json")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["mission"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc",
        "?page=999",
        "?page_size=-1",
        "?ordering=secret",
        "?year=99999",
        "?state=%00%00",
        "?mission=' OR 1=1",
        "?state=toolong",
    ],
)
def test_odd_queries_are_never_a_server_error(
    query: str, cases: Cases, user_with_role: Callable[[str], User], api_client_for: Client
) -> None:
    client = api_client_for(user_with_role(Role.MEMBER_STATE_DELEGATE))
    response = client.get(f"{CASES}{query}")
    assert response.status_code in (200, 400, 404), response.content
    if response.status_code == 200:
        assert {row["id"] for row in response.json()["results"]} <= {cases.bgd.pk}


@pytest.mark.parametrize(
    "body", [{}, {"mission": ["minusca"]}, {"incident_date": {"a": 1}}, {"latitude": "x" * 500}]
)
def test_odd_records_are_refused_never_a_server_error(
    body: dict[str, Any], db: None, user_with_role: Callable[[str], User], api_client_for: Client
) -> None:
    client = api_client_for(user_with_role(Role.REGISTER_OFFICER), read_only=False)
    response = client.post(CASES, NEW_CASE | body if body else body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]
    assert not Case.objects.exists()
