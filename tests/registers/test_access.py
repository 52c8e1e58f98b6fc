"""The access matrix: every role against the list, a case page, the exports, the API, the
statistics and the portal; the 404 probe; what a delegate sees of a case; the access log."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import Role, User
from registers.models import Case, CaseAccess
from registers.selectors import case_for, cases_visible_to
from reporting.models import Sensitivity
from tests.factories import MembershipFactory, UserFactory
from tests.registers.conftest import Cases
from tests.registers.factories import case_with

ALL = {"bgd", "other", "minusca"}

# role -> (cases seen, statistics page, portal)
MATRIX: dict[str, tuple[set[str], bool, bool]] = {
    Role.PLANNING_UNIT: (set(), True, False),
    Role.FOCAL_POINT: ({"minusca"}, True, False),  # a MINUSCA focal point: a mission user
    Role.REVIEWER: (set(), False, False),  # an ASG office, not a mission
    Role.SENIOR_LEADERSHIP: (ALL, True, False),
    Role.MEMBER_STATE_DELEGATE: ({"bgd"}, True, True),
    Role.REGISTER_OFFICER: (ALL, True, False),
    Role.ADMINISTRATOR: (ALL, True, False),
}


def _page(content: bytes, pk: int) -> str:
    """A 404 page without what differs by request: the path and the CSRF token."""
    text = content.decode().replace(f"/registers/crimes/{pk}/", "/registers/crimes/N/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def _status(client: Client, url: str) -> int:
    return client.get(url).status_code


@pytest.mark.parametrize("role", list(MATRIX))
def test_access_matrix(
    role: str,
    cases: Cases,
    user_with_role: Callable[[str], User],
    client_for: Callable[[User | None], Client],
) -> None:
    seen, statistics, portal = MATRIX[role]
    client = client_for(user_with_role(role))
    any_case = bool(seen)
    ok = {True: 200, False: 404}
    assert _status(client, "/registers/crimes/") == ok[any_case]
    assert _status(client, "/registers/crimes/export.csv") == ok[any_case]
    assert _status(client, "/api/v1/registers/crimes/cases/") == ok[any_case]
    assert _status(client, "/registers/crimes/statistics/") == ok[statistics]
    assert _status(client, "/registers/crimes/statistics/by-year.csv") == ok[statistics]
    assert _status(client, "/registers/portal/") == ok[portal]
    assert _status(client, "/registers/portal/by-mission.csv") == ok[portal]
    for name in ALL:
        pk = getattr(cases, name).pk
        expected = ok[name in seen]
        assert _status(client, f"/registers/crimes/{pk}/") == expected, name
        assert _status(client, f"/registers/crimes/{pk}/export.csv") == expected, name
        assert _status(client, f"/api/v1/registers/crimes/cases/{pk}/") == expected, name
    if any_case:
        listed = {c["id"] for c in client.get("/api/v1/registers/crimes/cases/").json()["results"]}
        assert listed == {getattr(cases, n).pk for n in seen}


def test_outsider_and_anonymous(
    cases: Cases, outsider: User, client_for: Callable[[User | None], Client]
) -> None:
    anonymous = client_for(None)
    response = anonymous.get(f"/registers/crimes/{cases.bgd.pk}/")
    assert response.status_code == 302 and "/login" in response["Location"]
    client = client_for(outsider)
    for url in ["/registers/", "/registers/crimes/", f"/registers/crimes/{cases.bgd.pk}/"]:
        assert client.get(url).status_code == 404
    assert not CaseAccess.objects.exists()


def test_probe_of_another_states_case_is_404_like_a_missing_one(
    cases: Cases, user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(user_with_role(Role.MEMBER_STATE_DELEGATE))
    missing = Case.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    forbidden = client.get(f"/registers/crimes/{cases.other.pk}/")
    absent = client.get(f"/registers/crimes/{missing}/")
    assert forbidden.status_code == absent.status_code == 404
    assert _page(forbidden.content, cases.other.pk) == _page(absent.content, missing)
    # Nothing on the list or the portal betrays the other cases.
    body = client.get("/registers/crimes/").content.decode()
    assert f"/registers/crimes/{cases.other.pk}/" not in body
    assert "MINUSMA" not in client.get("/registers/portal/").content.decode()
    assert not CaseAccess.objects.filter(case=cases.other).exists()


def test_territory_host_state_and_case_state(
    cases: Cases, client_for: Callable[[User | None], Client]
) -> None:
    car = MembershipFactory.create(role=Role.MEMBER_STATE_DELEGATE, member_state="CAF").user
    assert set(cases_visible_to(car)) == {cases.minusca}
    # A case whose State is given explicitly follows it rather than the mission's hosts.
    elsewhere = case_with(["PAK"], mission="minusca", country="CMR")
    assert elsewhere not in set(cases_visible_to(car))
    cameroon = MembershipFactory.create(role=Role.MEMBER_STATE_DELEGATE, member_state="CMR").user
    assert set(cases_visible_to(cameroon)) == {elsewhere}


def test_case_for_rejects_junk_ids(cases: Cases) -> None:
    user = MembershipFactory.create(role=Role.REGISTER_OFFICER, entity="dpo-opsp").user
    from django.http import Http404

    for junk in ["abc", None, "1; drop table"]:
        with pytest.raises(Http404):
            case_for(user, junk)
    assert case_for(user, str(cases.bgd.pk)) == cases.bgd


def test_mission_register_officer_sees_and_edits_only_its_mission(
    cases: Cases, client_for: Callable[[User | None], Client]
) -> None:
    officer = MembershipFactory.create(role=Role.REGISTER_OFFICER, entity="minusca").user
    assert set(cases_visible_to(officer)) == {cases.minusca}
    client = client_for(officer)
    step = {
        "followup-stage": "investigation",
        "followup-date": "2022-04-01",
        "followup-source": "Note verbale",
    }
    ok = client.post(f"/registers/crimes/{cases.minusca.pk}/followup/add/", step)
    assert ok.status_code == 302
    refused = client.post(f"/registers/crimes/{cases.bgd.pk}/followup/add/", step)
    assert refused.status_code == 404


def test_read_only_roles_cannot_write(
    cases: Cases, user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    for role in (Role.SENIOR_LEADERSHIP, Role.ADMINISTRATOR, Role.MEMBER_STATE_DELEGATE):
        client = client_for(user_with_role(role))
        response = client.post(
            f"/registers/crimes/{cases.bgd.pk}/status/add/", {"status-status": "closed"}
        )
        assert response.status_code == 404, role
        assert client.get("/registers/crimes/new/").status_code == 404, role
    cases.bgd.refresh_from_db()
    assert cases.bgd.status == Case.Status.REPORTED


def test_delegate_sees_only_the_fields_shared_with_states(
    cases: Cases, user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    delegate = user_with_role(Role.MEMBER_STATE_DELEGATE)
    client = client_for(delegate)
    page = client.get(f"/registers/crimes/{cases.bgd.pk}/").content.decode()
    assert "Convoy ambushed" in page
    assert "Liaison notes." not in page  # internal notes never reach a State
    export = client.get(f"/registers/crimes/{cases.bgd.pk}/export.csv").content.decode()
    assert "Liaison notes." not in export and "Convoy ambushed" in export
    assert (
        "internal_notes" not in client.get(f"/api/v1/registers/crimes/cases/{cases.bgd.pk}/").json()
    )

    Case.objects.filter(pk=cases.bgd.pk).update(sensitivity=Sensitivity.CONFIDENTIAL)
    page = client.get(f"/registers/crimes/{cases.bgd.pk}/").content.decode()
    assert "Convoy ambushed" not in page and "Armed group" not in page
    assert "Confidential: not shared with Member States." in page
    listing = client.get("/registers/crimes/export.csv").content.decode()
    assert "Convoy ambushed" not in listing
    # UN staff still see everything.
    officer = client_for(user_with_role(Role.REGISTER_OFFICER))
    page = officer.get(f"/registers/crimes/{cases.bgd.pk}/").content.decode()
    assert "Convoy ambushed" in page and "Liaison notes." in page


def test_every_view_and_export_is_logged_and_the_state_sees_its_log(
    cases: Cases, user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    officer = user_with_role(Role.REGISTER_OFFICER)
    client = client_for(officer)
    client.get(f"/registers/crimes/{cases.bgd.pk}/")
    client.get(f"/registers/crimes/{cases.other.pk}/export.csv")
    client.get("/registers/crimes/export.csv")
    client.get(f"/api/v1/registers/crimes/cases/{cases.minusca.pk}/")
    log = list(CaseAccess.objects.order_by("id").values_list("case_id", "action", "user_id"))
    assert log[:2] == [(cases.bgd.pk, "view", officer.pk), (cases.other.pk, "export", officer.pk)]
    assert sorted(c for c, a, _u in log[2:5]) == sorted(
        [cases.bgd.pk, cases.other.pk, cases.minusca.pk]
    )
    assert {a for _c, a, _u in log[2:5]} == {"export"}
    assert log[5] == (cases.minusca.pk, "api", officer.pk)
    entry = CaseAccess.objects.filter(case=cases.bgd).first()
    assert entry is not None and entry.role == Role.REGISTER_OFFICER
    assert entry.organisation == "OPSP"
    assert entry.at <= dt.datetime.now(tz=dt.UTC)

    delegate = user_with_role(Role.MEMBER_STATE_DELEGATE)
    client = client_for(delegate)
    client.get(f"/registers/crimes/{cases.bgd.pk}/")
    portal = client.get("/registers/portal/").content.decode()
    # The log shows who looked at Bangladesh's case (as role and organisation, not names): the
    # officer's view and list export, the delegate's view, and this very page's listing…
    assert portal.count(f'href="/registers/crimes/{cases.bgd.pk}/">{cases.bgd.pk}</a>') == 4
    assert "Register officer" in portal and "Bangladesh" in portal
    assert officer.last_name not in portal
    # …and nothing about the other cases.
    assert f">{cases.other.pk}</a>" not in portal and f">{cases.minusca.pk}</a>" not in portal


def test_registers_link_in_the_header(
    user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client], plan: Any
) -> None:
    for role, shown in [
        (Role.MEMBER_STATE_DELEGATE, True),
        (Role.REGISTER_OFFICER, True),
        (Role.REVIEWER, False),
    ]:
        client = client_for(user_with_role(role))
        page = client.get(f"/plans/{plan.code}/").content.decode()
        assert ('href="/registers/"' in page) is shown, role


def test_home_sends_each_role_to_its_page(
    user_with_role: Callable[[str], User], client_for: Callable[[User | None], Client]
) -> None:
    for role, target in [
        (Role.MEMBER_STATE_DELEGATE, "/registers/portal/"),
        (Role.REGISTER_OFFICER, "/registers/crimes/"),
        (Role.PLANNING_UNIT, "/registers/crimes/statistics/"),
    ]:
        response = client_for(user_with_role(role)).get("/registers/")
        assert response.status_code == 302 and response["Location"] == target, role


def test_two_states_of_one_case_each_see_it(cases: Cases) -> None:
    nepal = UserFactory.create()
    MembershipFactory.create(user=nepal, role=Role.MEMBER_STATE_DELEGATE, member_state="NPL")
    assert set(cases_visible_to(nepal)) == {cases.bgd, cases.other}
