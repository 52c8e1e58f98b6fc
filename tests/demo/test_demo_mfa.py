"""The demo's second factor: the users whose role needs one get an authenticator app with a
fixed, printed secret, and `a4p demo code USERNAME` prints its current code."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from demo.users import DEMO_USERS, demo_password, demo_totp_secret, demo_users_ensure
from tests.factories import UserFactory
from tests.signin import give_totp, totp_code

pytestmark = pytest.mark.django_db


def secret_of(username: str) -> str | None:
    totp = Authenticator.objects.filter(user__username=username, type="totp").first()
    return decrypt(totp.data["secret"]) if totp else None


def test_users_who_need_a_second_factor_get_the_demo_authenticator() -> None:
    demo_users_ensure()
    for spec in DEMO_USERS:
        expected = demo_totp_secret(spec.username) if spec.needs_mfa else None
        assert secret_of(spec.username) == expected, spec.username
    demo_users_ensure()
    assert Authenticator.objects.filter(user__username="planner").count() == 1


def test_a_changed_password_or_an_own_authenticator_is_kept() -> None:
    someone = UserFactory.create(username="leader")  # made by someone else, own password
    demo_users_ensure()
    assert secret_of("leader") is None
    registrar = User.objects.get(username="registrar")
    Authenticator.objects.filter(user=registrar).delete()
    own = give_totp(registrar)
    demo_users_ensure()
    assert secret_of("registrar") == own
    assert someone.check_password("a-long-test-password")


def test_demo_code_prints_the_current_code() -> None:
    demo_users_ensure()
    out = StringIO()
    call_command("demo", "code", "planner", stdout=out)
    assert out.getvalue().strip() in {
        totp_code(demo_totp_secret("planner"), step) for step in (0, -1)
    }


@pytest.mark.parametrize(
    ("username", "message"),
    [("focal.minusca", "has no demo authenticator"), ("nobody", "No user is called nobody")],
)
def test_demo_code_refuses_users_without_the_demo_authenticator(
    username: str, message: str
) -> None:
    demo_users_ensure()
    with pytest.raises(CommandError, match=message):
        call_command("demo", "code", username, stdout=StringIO())


def test_demo_code_runs_only_on_a_demo_install(settings: Any) -> None:
    demo_users_ensure()
    settings.A4P_DEMO = False
    with pytest.raises(CommandError, match="A4P_DEMO=true"):
        call_command("demo", "code", "planner", stdout=StringIO())


@pytest.mark.mfa
def test_a_demo_user_signs_in_with_the_printed_code(client: Client) -> None:
    demo_users_ensure()
    client.post(reverse("login"), {"login": "delegate.bgd", "password": demo_password()})
    out = StringIO()
    call_command("demo", "code", "delegate.bgd", stdout=out)
    response = client.post(reverse("mfa_authenticate"), {"code": out.getvalue().strip()})
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 200
