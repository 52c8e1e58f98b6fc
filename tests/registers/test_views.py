"""Register pages: query counts that do not grow with rows, forms that explain refusals,
the follow-up workflow and the notifications it sends to the concerned States."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import Role, User
from core.models import AuditEntry, Mission
from registers import pages
from registers.models import Case, CaseAccess, FollowUpStep
from registers.sop import overdue
from reporting.models import Notification
from tests.factories import MembershipFactory
from tests.registers.conftest import Cases
from tests.registers.factories import CaseFactory, StepFactory, case_with


def _many(n: int) -> None:
    for i in range(n):
        case = case_with(["BGD", "PAK"], mission="monusco" if i % 2 else "minusca")
        StepFactory.create(case=case)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.REGISTER_OFFICER, "/registers/crimes/"),
        (Role.REGISTER_OFFICER, "/registers/crimes/export.csv"),
        (Role.REGISTER_OFFICER, "/registers/crimes/statistics/"),
        (Role.REGISTER_OFFICER, "/api/v1/registers/crimes/cases/"),
        (Role.MEMBER_STATE_DELEGATE, "/registers/portal/"),
        (Role.MEMBER_STATE_DELEGATE, "/registers/crimes/"),
        (Role.MEMBER_STATE_DELEGATE, "/registers/crimes/export.csv"),
    ],
)
def test_query_count_does_not_grow_with_cases(
    role: str,
    url: str,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
) -> None:
    client = client_for(user_with_role(role))
    _many(2)
    client.get(url)  # warm up (session, sites, plan)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many(12)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(20):
        client.get(url)


@pytest.mark.parametrize(
    ("url", "action"),
    [("/registers/crimes/", CaseAccess.Action.LIST), ("/api/v1/registers/crimes/cases/", "api")],
)
def test_listing_cases_logs_one_read_per_case_shown_in_one_insert(
    url: str,
    action: str,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
    django_assert_num_queries: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    viewer = user_with_role(Role.REGISTER_OFFICER)
    client = client_for(viewer)
    _many(3)
    client.get(url)  # warm up (session, sites, plan)
    CaseAccess.objects.all().delete()
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    inserts = [
        q for q in three.captured_queries if "INSERT" in q["sql"] and "caseaccess" in q["sql"]
    ]
    assert len(inserts) == 1
    logged = CaseAccess.objects.filter(user=viewer, action=action)
    assert sorted(logged.values_list("case_id", flat=True)) == sorted(
        Case.objects.values_list("pk", flat=True)
    )
    assert {(e.role, e.organisation) for e in logged} == {(Role.REGISTER_OFFICER, "OPSP")}
    _many(9)
    CaseAccess.objects.all().delete()
    with django_assert_num_queries(len(three.captured_queries)):
        assert client.get(url).status_code == 200
    assert CaseAccess.objects.filter(user=viewer, action=action).count() == 12


def test_a_list_page_logs_only_the_cases_on_that_page(
    user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    viewer = user_with_role(Role.REGISTER_OFFICER)
    client = client_for(viewer)
    for _n in range(pages.PAGE_SIZE + 3):
        CaseFactory.create()
    client.get("/registers/crimes/?page=2")
    logged = CaseAccess.objects.filter(user=viewer, action=CaseAccess.Action.LIST)
    assert logged.count() == 3


def test_case_page_query_count(
    cases: Cases,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(user_with_role(Role.REGISTER_OFFICER))
    for _ in range(5):
        StepFactory.create(case=cases.bgd)
    client.get(f"/registers/crimes/{cases.bgd.pk}/")
    with django_assert_max_num_queries(22):
        assert client.get(f"/registers/crimes/{cases.bgd.pk}/").status_code == 200


def test_officer_records_a_case_with_its_follow_up_and_states_are_told(
    user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    officer = user_with_role(Role.REGISTER_OFFICER)
    bangladesh = MembershipFactory.create(role=Role.MEMBER_STATE_DELEGATE, member_state="BGD").user
    congo = MembershipFactory.create(role=Role.MEMBER_STATE_DELEGATE, member_state="COD").user
    nepal = MembershipFactory.create(role=Role.MEMBER_STATE_DELEGATE, member_state="NPL").user
    client = client_for(officer)
    monusco = Mission.objects.get(entity__code="monusco")
    response = client.post(
        "/registers/crimes/new/",
        {
            "incident_date": "2023-05-02",
            "mission": monusco.pk,
            "incident_type": "ied",
            "place": "Beni",
            "latitude": "0.49",
            "longitude": "29.47",
            "description": "Convoy hit an IED.",
            "sensitivity": "internal",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    client.post(
        f"/registers/crimes/{case.pk}/victim/add/",
        {"victim-nationality": bangladesh.memberships.get().member_state_id,
         "victim-personnel_type": "military", "victim-sex": "male", "victim-outcome": "killed"},
    )  # fmt: skip
    assert case.victims.get().nationality.iso3 == "BGD"  # type: ignore[union-attr]
    response = client.post(
        f"/registers/crimes/{case.pk}/followup/add/",
        {"followup-stage": "charges", "followup-date": "2023-09-01",
         "followup-source": "Prosecutor's statement"},
    )  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.PROSECUTION
    told = set(Notification.objects.filter(kind="case_changed").values_list("user", flat=True))
    assert told == {bangladesh.pk, congo.pk}  # nationals, and the host State
    assert nepal.pk not in told
    note = Notification.objects.filter(user=bangladesh).get()
    assert note.link == f"/registers/crimes/{case.pk}/"
    other = Client()
    other.force_login(bangladesh)
    page = other.get("/notifications/").content.decode()
    assert f'href="/registers/crimes/{case.pk}/"' in page
    assert AuditEntry.objects.filter(
        object_type="registers.case", object_id=str(case.pk)
    ).count() == 3  # fmt: skip
    # Closing needs a reason; the refusal is shown on the page with what was typed.
    refused = client.post(f"/registers/crimes/{case.pk}/status/add/", {"status-status": "closed"})
    assert refused.status_code == 400
    assert "Give the reason for closing the case." in refused.content.decode()
    client.post(
        f"/registers/crimes/{case.pk}/status/add/",
        {"status-status": "closed", "status-reason": "Suspects deceased"},
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert Notification.objects.filter(user=bangladesh).count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"followup-stage": "trial", "followup-date": "2000-01-01", "followup-source": "x"},
         "A follow-up step cannot come before the incident."),
        ({"followup-stage": "trial", "followup-date": "2999-01-01", "followup-source": "x"},
         "cannot be in the future"),
        ({"followup-stage": "trial", "followup-date": "31/02/2023", "followup-source": "x"},
         "Enter a valid date."),
        ({"followup-stage": "coup", "followup-date": "2023-01-01", "followup-source": "x"},
         "Select a valid choice."),
    ],
)  # fmt: skip
def test_bad_follow_up_is_refused_with_a_reason(
    data: dict[str, str],
    message: str,
    cases: Cases,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
) -> None:
    client = client_for(user_with_role(Role.REGISTER_OFFICER))
    response = client.post(f"/registers/crimes/{cases.bgd.pk}/followup/add/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and data["followup-source"] in page
    assert not FollowUpStep.objects.exists()


def test_bad_case_form_keeps_what_was_typed(
    user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(user_with_role(Role.REGISTER_OFFICER))
    response = client.post(
        "/registers/crimes/new/",
        {"incident_date": "2999-01-01", "place": "Kidal", "latitude": "12", "incident_type": "ied"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot be in the future" in page and "Give both coordinates, or neither." in page
    assert 'value="Kidal"' in page
    assert not Case.objects.exists()


def test_overdue_follow_up_is_shown_in_words(
    user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    late = case_with(["BGD"], mission="monusco", incident_date=dt.date(2023, 1, 10))
    on_time = case_with(["BGD"], mission="monusco", incident_date=dt.date(2023, 1, 10))
    StepFactory.create(case=on_time, date=dt.date(2023, 1, 20))
    StepFactory.create(case=on_time, date=dt.date(2023, 6, 20), stage="verdict")
    Case.objects.filter(pk=on_time.pk).update(status=Case.Status.ADJUDICATED)
    old = case_with(["BGD"], mission="monusco", incident_date=dt.date(2015, 1, 10))
    client = client_for(user_with_role(Role.MEMBER_STATE_DELEGATE))
    portal = client.get("/registers/portal/").content.decode()
    assert portal.count("Overdue by") == 1
    assert f"Case {late.pk} (MONUSCO, 2023-01-10)" in portal
    assert "host-State investigation" in portal
    assert f"Case {old.pk} (MONUSCO" not in portal  # before resolution 2589: no time limit
    page = client.get(f"/registers/crimes/{late.pk}/").content.decode()
    assert "Overdue by" in page


def test_portal_lists_the_longest_overdue_first_and_counts_the_rest(
    user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    cases = [
        case_with(["BGD"], mission="monusco", incident_date=dt.date(2022, 1, 1) + dt.timedelta(n))
        for n in range(23)
    ]
    client = client_for(user_with_role(Role.MEMBER_STATE_DELEGATE))
    portal = client.get("/registers/portal/").content.decode()
    overdue_part = portal[
        portal.index('id="h-overdue"') : portal.index("</section>", portal.index('id="h-overdue"'))
    ]
    assert overdue_part.count("Overdue by") == 20
    assert f"Case {cases[0].pk} (MONUSCO" in overdue_part  # the oldest is the longest overdue
    assert f"Case {cases[-1].pk} (MONUSCO" not in overdue_part
    assert "3 more cases have follow-up overdue" in overdue_part
    assert "<strong>23</strong>" in portal


def test_sop_time_limits() -> None:
    today = dt.date(2024, 1, 1)
    base: dict[str, Any] = {"incident_date": dt.date(2023, 1, 1), "today": today}
    assert overdue(status="reported", reached={}, **base).stage == "investigation"  # type: ignore[union-attr]
    reached = {"investigation": dt.date(2023, 1, 15)}
    assert overdue(status="investigation", reached=reached, **base) is None
    reached = {"investigation": dt.date(2022, 12, 1)}
    since_2021 = {"incident_date": dt.date(2021, 9, 1), "today": today}
    late = overdue(status="investigation", reached=reached, **since_2021)
    assert late is not None and late.stage == "charges" and late.days_late == 31
    assert overdue(status="closed", reached={}, **base) is None
    before_2589 = {"incident_date": dt.date(2020, 1, 1), "today": today}
    assert overdue(status="reported", reached={}, **before_2589) is None
