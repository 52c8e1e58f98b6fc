"""`a4p user add`: an account with one membership, a one-time password to change at first
sign-in or a reset link by e-mail, and clear refusals that write nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, User
from core.models import MemberState
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def add(*args: str) -> str:
    out = StringIO()
    call_command("user", "add", *args, stdout=out)
    return out.getvalue()


def test_a_focal_point_gets_a_one_time_password_to_change_at_first_sign_in(
    client: Client,
) -> None:
    text = add("amina", "--role", "focal_point", "--entity", "minusca", "--email", "a@un.org")
    password = text.rsplit(": ", 1)[1].strip()
    user = User.objects.get(username="amina")
    assert user.must_change_password and user.check_password(password)
    assert list(user.memberships.values_list("role", "entity__code")) == [
        ("focal_point", "minusca")
    ]
    client.post(reverse("login"), {"login": "amina", "password": password})
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_change_password"))
    new = "a-brand-new-passphrase"
    changed = client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": new, "password2": new},
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/accounts/me/").status_code == 200


def test_a_delegate_with_send_reset_gets_the_link_by_e_mail() -> None:
    text = add("farhan", "--role", "member_state_delegate", "--state", "bgd", "--email",
               "f@mission.example", "--send-reset")  # fmt: skip
    assert "password-reset link was sent" in text
    user = User.objects.get(username="farhan")
    assert not user.has_usable_password() and not user.must_change_password
    assert user.memberships.get().member_state_id == MemberState.objects.get(iso3="BGD").pk
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["f@mission.example"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_an_administrator_needs_no_target() -> None:
    add("alex", "--role", "administrator")
    assert Membership.objects.get(user__username="alex").entity is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "wizard"], "Unknown role wizard"),
        (["x", "--role", "focal_point"], "acts for an entity: give --entity"),
        (["x", "--role", "focal_point", "--entity", "nowhere"], "Unknown entity code nowhere"),
        (["x", "--role", "member_state_delegate"], "give --state ISO3"),
        (["x", "--role", "member_state_delegate", "--state", "ZZZ"], "Unknown Member State ZZZ"),
        (["x", "--role", "planning_unit", "--state", "BGD"], "Only a Member State delegate"),
        (["taken", "--role", "administrator"], "exists already"),
        (["x", "--role", "administrator", "--send-reset"], "give --email"),
        (["x", "--role", "administrator", "--email", "not-an-address"], "not an e-mail"),
    ],
)
def test_refusals_name_the_problem_and_write_nothing(args: list[str], message: str) -> None:
    UserFactory.create(username="Taken")
    before = (User.objects.count(), Membership.objects.count())
    with pytest.raises(CommandError, match=message):
        add(*args)
    assert (User.objects.count(), Membership.objects.count()) == before
    assert mail.outbox == []


def test_list_shows_accounts_and_roles() -> None:
    add("amina", "--role", "reviewer", "--entity", "asg-africa")
    out = StringIO()
    call_command("user", "list", stdout=out)
    assert "amina\treviewer\tasg-africa" in out.getvalue()
