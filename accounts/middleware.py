"""The session rules of signed-in users (docs/accounts.md).

- `IdleTimeoutMiddleware`: a session with no request for `A4P_IDLE_MINUTES` (Member State
  delegates: `A4P_IDLE_MINUTES_DELEGATE`) is logged out and sent to log in again with a message.
  This is on top of the absolute lifetime `SESSION_COOKIE_AGE`. The last activity is written to
  the session at most once a minute, so a page costs no session write.
- `AccountGateMiddleware`: a signed-in user who still owes something reaches only the pages that
  settle it (plus log-out and the language switch): first the second factor of a session that
  has not used it, then a new password (`User.must_change_password`, set by `a4p user add`), then
  the enrolment of a second factor for the roles that must have one (`accounts.mfa`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import mfa
from accounts.access import access_for
from accounts.models import Role, User

Handler = Callable[[HttpRequest], HttpResponse]

LAST_ACTIVITY_KEY = "a4p_last_activity"
IDLE_LIMIT_KEY = "a4p_idle_seconds"
ACTIVITY_WRITE_SECONDS = 60


def idle_seconds(user: User) -> int:
    if Role.MEMBER_STATE_DELEGATE in access_for(user).roles:
        return int(settings.A4P_IDLE_MINUTES_DELEGATE) * 60
    return int(settings.A4P_IDLE_MINUTES) * 60


def session_started(request: HttpRequest, user: User) -> None:
    """At sign-in: the session's idle limit (the roles held now) and its first activity."""
    request.session[IDLE_LIMIT_KEY] = idle_seconds(user)
    request.session[LAST_ACTIVITY_KEY] = timezone.now().timestamp()


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            assert isinstance(user, User)
            now = timezone.now().timestamp()
            last = request.session.get(LAST_ACTIVITY_KEY)
            limit = request.session.get(IDLE_LIMIT_KEY)
            if limit is None:
                limit = request.session[IDLE_LIMIT_KEY] = idle_seconds(user)
            if last is not None and now - last > limit:
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity.")
                    % {"minutes": limit // 60},
                )
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= ACTIVITY_WRITE_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


# Pages open to anyone signed in, whatever they owe.
ALWAYS_OPEN = frozenset({"logout", "account_logout", "set_language"})
VERIFY_PAGES = ALWAYS_OPEN | {"mfa_reauthenticate", "mfa_reauthenticate_webauthn"}
PASSWORD_PAGES = ALWAYS_OPEN | {"account_change_password"}
ENROLMENT_PAGES = VERIFY_PAGES | {
    "mfa_index",
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_add_webauthn",
    "mfa_list_webauthn",
    "account_reauthenticate",
}


def _redirect(request: HttpRequest, view_name: str) -> HttpResponseRedirect:
    query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return HttpResponseRedirect(f"{reverse(view_name)}?{query}")


class AccountGateMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or request.resolver_match is None:
            return None
        assert isinstance(user, User)
        page = request.resolver_match.view_name
        # Cheapest first: a session verified with a second factor owes no enrolment.
        verified = mfa.session_has_second_factor(request)
        required = not verified and mfa.mfa_required(user)
        enrolled = verified or (required and mfa.has_second_factor(user))
        if required and enrolled and page not in VERIFY_PAGES:
            messages.info(request, _("Confirm your sign-in with your second factor."))
            return _redirect(request, "mfa_reauthenticate")
        if user.must_change_password and page not in PASSWORD_PAGES:
            messages.info(request, _("Choose your own password before going on."))
            return _redirect(request, "account_change_password")
        if required and not enrolled and page not in ENROLMENT_PAGES:
            messages.info(
                request,
                _(
                    "Your role requires a second factor: set up an authenticator app or a "
                    "security key to go on."
                ),
            )
            return _redirect(request, "mfa_index")
        return None
