"""Signing in for real in tests marked `mfa`: the password, then a TOTP code computed from the
secret with allauth's own TOTP functions."""

from __future__ import annotations

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import encrypt
from django.test import Client
from django.urls import reverse

from accounts.models import User

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's


def give_totp(user: User, secret: str | None = None) -> str:
    """Enrol the user with an authenticator app; returns its secret (base32)."""
    secret = secret or generate_totp_secret()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
    )
    return secret


def totp_code(secret: str, step: int = 0) -> str:
    """The code of the current 30-second step (or one step later: the tolerance admits it)."""
    counter = int(time.time()) // app_settings.TOTP_PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client: Client, user: User, secret: str | None = None) -> None:
    """Log in through the pages: password, then the TOTP code when the account has one."""
    response = client.post(reverse("login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    if secret is not None:
        assert response["Location"] == reverse("mfa_authenticate")
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert response.status_code == 302, response.content.decode()[:2000]
    assert client.session.get("_auth_user_id") == str(user.pk)


def age_sign_in(client: Client, minutes: int) -> None:
    """Move the session's authentication records `minutes` into the past."""
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    for record in records:
        record["at"] -= minutes * 60
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()
