"""Log-in, log-out, roles and memberships, and the demo cast."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role, User
from core.models import Entity, MemberState
from demo.users import DEMO_USERS, demo_password, demo_users_ensure
from tests.factories import UserFactory


def test_log_in_and_out(db: None, client: Client) -> None:
    UserFactory(username="amina")
    response = client.post(reverse("login"), {"login": "amina", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(db: None, client: Client) -> None:
    UserFactory(username="amina")
    response = client.post(reverse("login"), {"login": "amina", "password": "wrong"})
    assert response.status_code == 200
    assert "The username and/or password you specified are not correct" in (
        response.content.decode()
    )
    assert response.context["form"]["login"].value() == "amina"


def test_profile_lists_the_roles(
    db: None, client: Client, user_with_role: Callable[[str], User]
) -> None:
    client.force_login(user_with_role(Role.MEMBER_STATE_DELEGATE))
    text = client.get(reverse("profile")).content.decode()
    assert "Member State delegate" in text and "Bangladesh" in text


def test_a_forgotten_password_is_reset_through_the_e_mailed_link(db: None, client: Client) -> None:
    UserFactory(username="amina", email="amina@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "amina@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["amina@example.org"]
    body = str(mail.outbox[0].body)
    found = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", body)
    assert found is not None, body
    # The link hides its key in the session, then asks for the new password.
    form = client.get(found.group(1), follow=True)
    assert form.status_code == 200 and "password1" in form.content.decode()
    new = "a-new-peacekeeping-password"
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else found.group(1),
        {"password1": new, "password2": new},
    )
    assert done.status_code == 302
    client.logout()
    assert client.post(reverse("login"), {"login": "amina", "password": new}).status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    assert User.objects.get(username="amina").check_password(new)


def test_profile_needs_a_log_in(db: None, client: Client) -> None:
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "entity", "state"),
    [
        (Role.FOCAL_POINT, None, None),
        (Role.REVIEWER, None, None),
        (Role.MEMBER_STATE_DELEGATE, None, None),
        (Role.MEMBER_STATE_DELEGATE, "dpo-oma", "BGD"),
        (Role.PLANNING_UNIT, None, "BGD"),
    ],
)
def test_memberships_must_name_what_the_role_acts_for(
    db: None, role: Role, entity: str | None, state: str | None
) -> None:
    user = UserFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=user,
            role=role,
            entity=Entity.objects.get(code=entity) if entity else None,
            member_state=MemberState.objects.get(iso3=state) if state else None,
        )


@pytest.mark.slow
def test_demo_creates_one_user_per_role_and_is_idempotent(db: None, client: Client) -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=StringIO())
    text = out.getvalue()
    assert demo_password() in text
    assert {u.role for u in DEMO_USERS} == set(Role)
    for spec in DEMO_USERS:
        assert spec.username in text
        user = User.objects.get(username=spec.username)
        assert list(user.memberships.values_list("role", flat=True)) == [spec.role]
    assert client.login(username="planner", password=demo_password())
    assert User.objects.get(username="admin").is_superuser


def test_demo_refuses_to_run_outside_a_demo_install(db: None, settings: Any) -> None:
    settings.A4P_DEMO = False
    with pytest.raises(CommandError, match="A4P_DEMO=true"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()


def test_demo_users_keep_a_password_changed_since_and_an_existing_account_gets_none(
    db: None,
) -> None:
    admin = UserFactory.create(username="admin", is_superuser=False)
    admin.set_password("chosen-by-the-owner")
    admin.save()
    demo_users_ensure()
    planner = User.objects.get(username="planner")
    assert planner.check_password(demo_password())
    planner.set_password("changed-since")
    planner.save()
    demo_users_ensure()
    planner.refresh_from_db()
    admin.refresh_from_db()
    assert planner.check_password("changed-since")
    assert admin.check_password("chosen-by-the-owner")
    assert not admin.check_password(demo_password())
    assert not admin.is_superuser
