"""Re-authentication before sensitive actions: a sign-in older than A4P_REAUTH_MINUTES is sent
to confirm the password (or second factor), then comes back to the action."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.core.exceptions import ReauthenticationRequired
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import Role, User
from accounts.reauth import require_recent_auth
from tests.signin import PASSWORD, age_sign_in, give_totp, sign_in

pytestmark = [pytest.mark.mfa, pytest.mark.django_db]


def reauth_url(next_url: str) -> str:
    return f"{reverse('account_reauthenticate')}?next={next_url.replace('/', '%2F')}"


def test_recording_a_case_after_a_stale_sign_in_asks_for_the_password_then_comes_back(
    client: Client, user_with_role: Callable[[str], User]
) -> None:
    officer = user_with_role(Role.REGISTER_OFFICER)
    sign_in(client, officer, give_totp(officer))
    new_case = reverse("register-case-new")
    assert client.get(new_case).status_code == 200  # just signed in
    age_sign_in(client, minutes=16)
    stale = client.get(new_case)
    assert stale.status_code == 302
    assert stale["Location"] == reauth_url(new_case)
    wrong = client.post(stale["Location"], {"password": "not-it"})
    assert wrong.status_code == 200
    back = client.post(stale["Location"], {"password": PASSWORD})
    assert back.status_code == 302
    assert back["Location"] == new_case
    assert client.get(new_case).status_code == 200


def test_the_admin_asks_for_a_recent_sign_in_before_a_change_not_to_look(
    client: Client, user_with_role: Callable[[str], User]
) -> None:
    admin = user_with_role(Role.ADMINISTRATOR)
    sign_in(client, admin, give_totp(admin))
    age_sign_in(client, minutes=30)
    change = reverse("admin:accounts_user_change", args=[admin.pk])
    assert client.get(change).status_code == 200
    response = client.post(change, {"username": "renamed"})
    assert response.status_code == 302
    assert response["Location"] == reauth_url(change)
    admin.refresh_from_db()
    assert admin.username != "renamed"


def test_the_admin_log_in_is_the_site_log_in(client: Client) -> None:
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_decorator_lets_safe_methods_pass_when_asked(rf: RequestFactory, db: None) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("done")

    request = rf.get("/")
    request.user = User(pk=1, username="someone")
    request.session = {}  # type: ignore[assignment]
    assert require_recent_auth(unsafe_only=True)(view)(request).status_code == 200
    with pytest.raises(ReauthenticationRequired):
        require_recent_auth(view)(request)
    post = rf.post("/")
    post.user, post.session = request.user, request.session
    with pytest.raises(ReauthenticationRequired):
        require_recent_auth(unsafe_only=True)(view)(post)
