"""The second factor: mandatory for some roles, optional for others, checked through the real
log-in (password, then a TOTP code computed from the secret)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.mfa import mfa_required
from accounts.models import Role, SignInEvent, User
from tests.factories import UserFactory
from tests.signin import PASSWORD, give_totp, sign_in, totp_code

pytestmark = [pytest.mark.mfa, pytest.mark.django_db]

PLAN = "a4p-plus-2021-2023"


def reaches(client: Client, page: str) -> bool:
    """The page (or where it sends a signed-in user, e.g. / to /work/) answers, not a gate."""
    response = client.get(page, follow=True)
    hops = [url for url, _status in response.redirect_chain]
    return response.status_code == 200 and not any("/accounts/2fa/" in url for url in hops)


PAGES = ["/", "/portal/", f"/plans/{PLAN}/", "/registers/", "/reports/", "/accounts/me/", "/admin/"]


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.PLANNING_UNIT, True),
        (Role.REGISTER_OFFICER, True),
        (Role.SENIOR_LEADERSHIP, True),
        (Role.MEMBER_STATE_DELEGATE, True),
        (Role.FOCAL_POINT, False),
        (Role.REVIEWER, False),
    ],
)
def test_the_roles_that_must_have_a_second_factor(
    user_with_role: Callable[[str], User], role: Role, required: bool
) -> None:
    assert mfa_required(user_with_role(role)) is required


def test_staff_and_superusers_must_have_one_and_outsiders_need_not(outsider: User) -> None:
    assert not mfa_required(outsider)
    assert mfa_required(UserFactory.create(is_staff=True))
    assert mfa_required(UserFactory.create(is_superuser=True))


def test_a_delegate_without_a_second_factor_reaches_nothing_but_enrolment(
    client: Client, user_with_role: Callable[[str], User]
) -> None:
    delegate = user_with_role(Role.MEMBER_STATE_DELEGATE)
    sign_in(client, delegate)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("mfa_index")), page
    text = client.get(reverse("mfa_index")).content.decode()
    assert "Your role requires a second factor" in text
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    language = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert language.status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_enrolling_an_authenticator_app_opens_the_site(
    client: Client,
    user_with_role: Callable[[str], User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Outside the test's transaction allauth's after-commit signal runs at once, inside the
    # request; here it would wait for the end of the test.
    monkeypatch.setattr(transaction, "on_commit", lambda func, *args, **kwargs: func())
    delegate = user_with_role(Role.MEMBER_STATE_DELEGATE)
    sign_in(client, delegate)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/portal/").status_code == 302
    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=delegate, type="totp").exists()
    assert client.get("/portal/").status_code == 200


def test_an_enrolled_delegate_signs_in_with_a_code_and_gets_in(
    client: Client, user_with_role: Callable[[str], User]
) -> None:
    delegate = user_with_role(Role.MEMBER_STATE_DELEGATE)
    secret = give_totp(delegate)
    response = client.post(reverse("login"), {"login": delegate.username, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in by the password alone
    assert client.get("/portal/").status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    for page in ["/", "/portal/", "/accounts/me/"]:
        assert reaches(client, page), page
    outcomes = list(
        SignInEvent.objects.filter(user=delegate).values_list("outcome", "method").order_by("pk")
    )
    assert outcomes == [("failed_second_factor", "totp"), ("success", "totp")]


def test_an_enrolled_user_whose_session_skipped_the_second_factor_must_give_it(
    client: Client, user_with_role: Callable[[str], User]
) -> None:
    """A session opened without the second factor (here `force_login`, like any sign-in
    path that bypasses allauth's stages) cannot get in until it gives the code."""
    planner = user_with_role(Role.PLANNING_UNIT)
    secret = give_totp(planner)
    client.force_login(planner)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("mfa_reauthenticate")), page
    # Enrolled: adding another factor is not a way round it.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("mfa_reauthenticate")
    )
    response = client.post(
        reverse("mfa_reauthenticate") + "?next=/registers/", {"code": totp_code(secret)}
    )
    assert response.status_code == 302
    assert reaches(client, "/")


def test_a_focal_point_without_a_second_factor_is_not_forced(
    client: Client, user_with_role: Callable[[str], User]
) -> None:
    focal = user_with_role(Role.FOCAL_POINT)
    sign_in(client, focal)
    for page in ["/", f"/plans/{PLAN}/", "/accounts/me/"]:
        assert reaches(client, page), page
    assert client.get(reverse("mfa_index")).status_code == 200  # may enrol if they wish


def test_a_reviewer_who_enrolled_gives_the_code_at_sign_in(
    client: Client, user_with_role: Callable[[str], User]
) -> None:
    reviewer = user_with_role(Role.REVIEWER)
    secret = give_totp(reviewer)
    sign_in(client, reviewer, secret)
    assert reaches(client, "/")


def test_the_login_page_has_no_sign_up_and_sign_up_is_closed(client: Client) -> None:
    text = client.get(reverse("login")).content.decode()
    assert "sign up" not in text.lower()
    assert reverse("account_reset_password") in text
    closed = client.get(reverse("account_signup"))
    assert closed.status_code == 200
    assert "Sign Up Closed" in closed.content.decode()
    client.post(
        reverse("account_signup"),
        {"username": "intruder", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(username="intruder").exists()


def test_the_security_key_page_runs_only_static_scripts_under_the_csp(
    client: Client, user_with_role: Callable[[str], User]
) -> None:
    sign_in(client, user_with_role(Role.FOCAL_POINT))
    response = client.get(reverse("mfa_add_webauthn"))
    text = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", text)
    assert '/static/mfa/js/webauthn.js"' in text
    assert scripts and all("src=" in attrs or "application/json" in attrs for attrs in scripts)
    assert "style=" not in text
    assert "script-src 'self'" in response["Content-Security-Policy"]
