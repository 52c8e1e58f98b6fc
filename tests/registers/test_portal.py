"""The Member State portal at /portal/: one section per register, the crimes register's for a
concerned delegate, nothing for anyone else, and a query count that does not grow with cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from registers.crimes import CRIMES
from registers.kernel import registry
from registers.kernel.registry import PortalSection, Register
from registers.models import CaseAccess
from tests.registers.conftest import Cases
from tests.registers.factories import StepFactory, case_with


def test_the_delegate_sees_the_crimes_section_of_its_state(
    cases: Cases, user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(user_with_role(Role.MEMBER_STATE_DELEGATE))
    client.get(f"/registers/crimes/{cases.bgd.pk}/")
    response = client.get("/portal/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Member State portal: Bangladesh" in page
    section = page[page.index('id="h-crimes"') :]
    assert "Crimes against peacekeepers concerning Bangladesh" in section
    assert f'href="/registers/crimes/{cases.bgd.pk}/">Case {cases.bgd.pk}</a>' in section
    log = section[section.index('id="h-log"') :]
    assert f">{cases.bgd.pk}</a>" in log and "Member State delegate" in log
    for other in (cases.other, cases.minusca):
        assert f"/registers/crimes/{other.pk}/" not in page
    # The portal's first address shows the same page.
    assert client.get("/registers/portal/").content.decode().count('id="h-crimes"') == 1


def test_the_cases_the_portal_lists_are_logged_for_the_delegate(
    cases: Cases, user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    delegate = user_with_role(Role.MEMBER_STATE_DELEGATE)
    assert client_for(delegate).get("/portal/").status_code == 200
    listed = set(
        CaseAccess.objects.filter(user=delegate, action=CaseAccess.Action.LIST).values_list(
            "case_id", flat=True
        )
    )
    assert cases.bgd.pk in listed
    assert not listed & {cases.other.pk, cases.minusca.pk}


@pytest.mark.parametrize(
    "role",
    [Role.REGISTER_OFFICER, Role.SENIOR_LEADERSHIP, Role.PLANNING_UNIT, Role.REVIEWER],
)
def test_anyone_but_a_delegate_gets_404(
    role: str,
    cases: Cases,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
) -> None:
    assert client_for(user_with_role(role)).get("/portal/").status_code == 404


def test_outsiders_get_404_and_anonymous_users_sign_in(
    cases: Cases, outsider: User, client_for: Callable[[User | None], Client]
) -> None:
    response = Client().get("/portal/")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client_for(outsider).get("/portal/").status_code == 404


def test_the_header_links_the_portal_for_delegates_only(
    plan: Any, user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    for role, shown in [(Role.MEMBER_STATE_DELEGATE, True), (Role.REGISTER_OFFICER, False)]:
        page = client_for(user_with_role(role)).get(f"/plans/{plan.code}/").content.decode()
        assert ('href="/portal/"' in page) is shown, role


def test_portal_query_count_does_not_grow_with_cases(
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
    django_assert_num_queries: Any,
) -> None:
    def many(n: int) -> None:
        for i in range(n):
            case = case_with(["BGD", "PAK"], mission="monusco" if i % 2 else "minusca")
            StepFactory.create(case=case)

    client = client_for(user_with_role(Role.MEMBER_STATE_DELEGATE))
    many(2)
    client.get("/portal/")  # warm up (session, sites, plan)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/portal/").status_code == 200
    many(12)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/portal/").status_code == 200


def test_every_registered_register_contributes_its_section(
    cases: Cases,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def nothing_for_states(user: User, params: QueryDict) -> PortalSection | None:
        asked.append(user.username)
        return None

    other = Register(
        code="other",
        name="Another register",
        gate=CRIMES.gate,
        shared=CRIMES.shared,
        access_log=CRIMES.access_log,
        portal_section=nothing_for_states,
        report_section=None,
        dashboard_section=None,
    )
    monkeypatch.setattr(registry, "_REGISTERS", {"crimes": CRIMES, "other": other})
    delegate = user_with_role(Role.MEMBER_STATE_DELEGATE)
    page = client_for(delegate).get("/portal/").content.decode()
    assert asked == [delegate.username]
    assert page.count('id="h-crimes"') == 1
