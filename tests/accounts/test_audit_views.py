"""The audit trail's page (accounts/audit_views.py): who reads it (administrators and the planning
unit; 404 for every other role, log-in for the anonymous), its filters, its pages of 50, its CSV
export, and a query count that does not grow with the entries."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from core import audit
from core.models import AuditEntry, Entity
from tests.factories import AuditEntryFactory, MembershipFactory, UserFactory

PAGE = reverse("audit-trail")
EXPORT = reverse("audit-trail-export")
READERS = [Role.PLANNING_UNIT, Role.ADMINISTRATOR]
OTHERS = [role for role in Role if role not in READERS]

Login = Callable[[User | None], Client]
MakeUser = Callable[[str], User]


@pytest.fixture(autouse=True)
def empty_trail(db: None) -> None:
    """Start from an empty trail: loading the shipped plan once per session wrote entries."""
    AuditEntry.objects.all().delete()


@pytest.fixture
def planner(user_with_role: MakeUser) -> User:
    return user_with_role(Role.PLANNING_UNIT)


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


def _csv(response: object) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text.decode("utf-8").lstrip("\ufeff"))))


# Who reads it


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("url", [PAGE, EXPORT])
def test_administrators_and_the_planning_unit_read_the_trail(
    user_with_role: MakeUser, client_for: Login, role: str, url: str
) -> None:
    AuditEntryFactory.create(action="cycle.created")
    response = client_for(user_with_role(role)).get(url)
    assert response.status_code == 200
    assert "cycle.created" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", OTHERS)
@pytest.mark.parametrize("url", [PAGE, EXPORT])
def test_every_other_role_gets_404(
    user_with_role: MakeUser, client_for: Login, role: str, url: str
) -> None:
    AuditEntryFactory.create()
    assert client_for(user_with_role(role)).get(url).status_code == 404


@pytest.mark.parametrize("url", [PAGE, EXPORT])
def test_a_user_with_no_role_gets_404(outsider: User, client_for: Login, url: str) -> None:
    assert client_for(outsider).get(url).status_code == 404


def test_an_administrator_by_role_alone_reads_it(client_for: Login) -> None:
    """Not a Django superuser: the role is enough."""
    admin = UserFactory.create()
    MembershipFactory(user=admin, role=Role.ADMINISTRATOR)
    assert client_for(admin).get(PAGE).status_code == 200


@pytest.mark.parametrize("url", [PAGE, EXPORT])
def test_anonymous_users_are_sent_to_log_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "linked"), [(Role.PLANNING_UNIT, True), (Role.FOCAL_POINT, False)]
)
def test_the_navigation_links_the_trail_for_its_readers_only(
    user_with_role: MakeUser, client_for: Login, role: str, linked: bool
) -> None:
    page = client_for(user_with_role(role)).get(reverse("profile")).content.decode()
    assert (f'href="{PAGE}"' in page) is linked


def test_the_page_is_in_french(planner: User, client_for: Login) -> None:
    page = client_for(planner).get(PAGE, headers={"accept-language": "fr"}).content.decode()
    assert "Journal d\N{RIGHT SINGLE QUOTATION MARK}audit" in page
    assert "Aucune entrée du journal ne correspond à ces filtres." in page


# What it shows


def test_an_entry_written_by_a_service_shows_who_what_and_which_object(
    planner: User, client_for: Login
) -> None:
    entity = Entity.objects.get(code="minusca")
    audit.log(action="entity.renamed", obj=entity, actor=planner, data={"from": "Old"})
    page = client_for(planner).get(PAGE).content.decode()
    assert planner.username in page
    assert "entity.renamed" in page
    assert f"<code>{entity.pk}</code>" in page
    assert "&quot;from&quot;: &quot;Old&quot;" in page


def test_an_entry_without_actor_is_the_systems(planner: User, client_for: Login) -> None:
    AuditEntryFactory.create(actor=None)
    assert "the system" in client_for(planner).get(PAGE).content.decode()


# Filters


def _shown(client: Client, **params: str) -> set[str]:
    response = client.get(PAGE, params)
    assert response.status_code == 200
    return {entry.object_id for entry, _label, _details in response.context["rows"]}


def test_the_filters_each_narrow_the_trail(planner: User, client_for: Login) -> None:
    alice = UserFactory.create(username="alice")
    AuditEntryFactory.create(object_id="a", actor=alice, action="submit", at=_at(1))
    AuditEntryFactory.create(object_id="b", action="submit", object_type="plans.plan", at=_at(5))
    AuditEntryFactory.create(object_id="c", action="validate", at=_at(9))
    client = client_for(planner)
    assert _shown(client) == {"a", "b", "c"}
    assert _shown(client, actor="ALICE") == {"a"}
    assert _shown(client, object_type="plans.plan") == {"b"}
    assert _shown(client, object_id="c") == {"c"}
    assert _shown(client, action="submit") == {"a", "b"}
    assert _shown(client, action="submit", actor="alice") == {"a"}


def test_the_date_range_includes_both_days(planner: User, client_for: Login) -> None:
    AuditEntryFactory.create(object_id="before", at=_at(4, 23))
    AuditEntryFactory.create(object_id="first", at=_at(5, 0))
    AuditEntryFactory.create(object_id="last", at=_at(9, 23))
    AuditEntryFactory.create(object_id="after", at=_at(10, 0))
    client = client_for(planner)
    assert _shown(client, since="2024-03-05", until="2024-03-09") == {"first", "last"}
    assert _shown(client, since="2024-03-10") == {"after"}
    assert _shown(client, until="2024-03-04") == {"before"}


def test_a_bad_filter_is_named_and_the_others_still_apply(planner: User, client_for: Login) -> None:
    AuditEntryFactory.create(object_id="x", action="submit")
    AuditEntryFactory.create(object_id="y", action="validate")
    response = client_for(planner).get(PAGE, {"since": "2024-13-45", "action": "submit"})
    assert response.status_code == 200
    assert "since" in response.context["form"].errors
    assert "Enter a valid date." in response.content.decode()
    assert {e.object_id for e, _l, _d in response.context["rows"]} == {"x"}


def test_a_period_ending_before_it_starts_is_refused_on_its_end(
    planner: User, client_for: Login
) -> None:
    response = client_for(planner).get(PAGE, {"since": "2024-03-09", "until": "2024-03-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["until"] == [
        "The end of the period is before its start."
    ]


@pytest.mark.parametrize("params", [{"action": "no-such-action"}, {"object_type": "x.y"}])
def test_an_unknown_choice_is_an_error_not_a_500(
    planner: User, client_for: Login, params: dict[str, str]
) -> None:
    AuditEntryFactory.create()
    response = client_for(planner).get(PAGE, params)
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


# Pages and queries


def test_fifty_entries_a_page_newest_first(planner: User, client_for: Login) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(action="a", object_type="t", object_id=str(n), at=_at(1 + n // 10, n % 10))
        for n in range(51)
    )
    client = client_for(planner)
    first = client.get(PAGE).context["rows"]
    assert len(first) == 50
    assert first[0][0].object_id == "50"
    second = client.get(PAGE, {"page": "2"}).context["rows"]
    assert [e.object_id for e, _l, _d in second] == ["0"]
    assert client.get(PAGE, {"page": "nonsense"}).status_code == 200


def _entries(count: int) -> None:
    for n in range(count):
        AuditEntryFactory.create(action=f"action.{n % 3}", object_type=f"app.model{n % 4}")


def _queries(client: Client, url: str, **params: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [PAGE, EXPORT])
def test_the_query_count_does_not_grow_with_the_entries(
    planner: User, client_for: Login, url: str
) -> None:
    client = client_for(planner)
    _entries(3)
    few = _queries(client, url)
    _entries(60)  # each with its own actor
    assert _queries(client, url) == few
    assert _queries(client, url, action="action.1", since="2024-01-01") == few


# Export


def test_the_export_has_every_filtered_entry_and_no_formula(
    planner: User, client_for: Login
) -> None:
    bob = UserFactory.create(username="bob")
    AuditEntryFactory.create(actor=bob, action="submit", object_id="=HYPERLINK(1)", at=_at(2))
    AuditEntryFactory.create(actor=bob, action="submit", data={"note": "été"}, at=_at(3))
    AuditEntryFactory.create(action="validate", at=_at(4))
    for _n in range(60):
        AuditEntryFactory.create(actor=bob, action="other")
    response = client_for(planner).get(EXPORT, {"actor": "bob", "action": "submit"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="audit-trail.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["when", "who", "action", "object type", "object id", "details"]
    assert rows[1] == [
        "2024-03-03T12:00:00+00:00",
        "bob",
        "submit",
        "reporting.progressupdate",
        rows[1][4],
        '{"note": "été"}',
    ]
    assert rows[2][4] == "'=HYPERLINK(1)"
    assert len(rows) == 3
    assert len(_csv(client_for(planner).get(EXPORT, {"actor": "bob"}))) == 63


def test_the_page_links_the_export_with_its_filters(planner: User, client_for: Login) -> None:
    page = client_for(planner).get(PAGE, {"action": "", "actor": "bob"}).content.decode()
    assert f'href="{EXPORT}?actor=bob"' in page
