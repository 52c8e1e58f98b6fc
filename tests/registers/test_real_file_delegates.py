"""The issue's acceptance: with the real UN fatalities file imported, a delegate of a
troop-contributing country sees exactly the cases involving its nationals or its territory, with
their follow-up, and the access log shows the visit. Skipped when the file is absent."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from core.models import Mission
from registers.models import Case
from registers.selectors import cases_visible_to
from tests.factories import MembershipFactory, UserFactory
from tests.registers.test_import import REAL_FILE

pytestmark = pytest.mark.django_db


def delegate_of(iso3: str) -> User:
    user = UserFactory.create(username=f"delegate.{iso3.lower()}")
    MembershipFactory(user=user, role=Role.MEMBER_STATE_DELEGATE, member_state=iso3)
    return user


def expected_incidents(iso3: str) -> set[tuple[str, str]]:
    """From the file itself: (mission, date) of every malicious act with a victim of that
    nationality, or in a mission the State hosts; missions the register knows only."""
    known: dict[str, tuple[str, set[str]]] = {}
    for mission in Mission.objects.select_related("entity").prefetch_related("host_states"):
        hosts = {s.iso3 for s in mission.host_states.all()}
        for code in [mission.entity.acronym, *mission.aliases]:
            known[code.upper()] = (mission.entity.acronym, hosts)
    found = set()
    with REAL_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["type_of_incident"].strip() != "Malicious Act":
                continue
            match = known.get(row["mission_acronym"].strip().upper())
            if match is None:
                continue
            acronym, hosts = match
            if row["isocode3"].strip() == iso3 or iso3 in hosts:
                found.add((acronym, row["incident_date"].strip()))
    return found


@pytest.mark.skipif(not REAL_FILE.exists(), reason="the UN fatalities file is not available here")
@pytest.mark.parametrize("iso3", ["BGD", "LBN"])  # a contributor of troops; a host State
def test_delegate_sees_exactly_its_cases_and_the_log_shows_the_visit(
    iso3: str, client_for: Callable[[User | None], Client]
) -> None:
    call_command("import", "fatalities", str(REAL_FILE), "--no-progress", stdout=io.StringIO())
    delegate = delegate_of(iso3)
    seen = {
        (acronym, date.isoformat())
        for acronym, date in cases_visible_to(delegate).values_list(
            "mission__entity__acronym", "incident_date"
        )
    }
    expected = expected_incidents(iso3)
    assert expected  # the file has such cases
    assert seen == expected
    assert Case.objects.count() > len(seen)  # and there are others it does not see

    client = client_for(delegate)
    case = cases_visible_to(delegate).order_by("-incident_date").first()
    assert case is not None
    page = client.get(reverse("register-case", args=[case.pk]))
    assert page.status_code == 200
    assert "Follow-up" in page.content.decode()
    other = Case.objects.exclude(pk__in=cases_visible_to(delegate).values("pk")).first()
    assert other is not None
    assert client.get(reverse("register-case", args=[other.pk])).status_code == 404
    portal = client.get(reverse("register-portal")).content.decode()
    log = portal[portal.index('id="h-log"') :]
    assert "Nobody has opened these cases yet." not in log
    first_row = log[log.index("<tbody>") : log.index("</tr>", log.index("<tbody>"))]
    assert f">{case.pk}</a>" in first_row  # the newest entry is this visit
    assert "Member State delegate" in first_row  # by role, not by name
    assert delegate.username not in log
