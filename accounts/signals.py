"""Receivers of the sign-in signals (Django's, allauth's and allauth.mfa's): the sign-in history,
the log-in throttles, the session's idle clock, and the end of a one-time password. Connected
by `AccountsConfig.ready()`."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts import services, throttle
from accounts.mfa import SECOND_FACTORS
from accounts.middleware import session_started
from accounts.models import SignInEvent, User


def _method_of(request: HttpRequest, user: User) -> SignInEvent.Method:
    """The second factor this sign-in used, else the password."""
    for record in reversed(get_authentication_records(request, user)):
        if record.get("method") == "mfa" and record.get("type") in SignInEvent.Method.values:
            return SignInEvent.Method(record["type"])
    return SignInEvent.Method.PASSWORD


@receiver(user_logged_in, dispatch_uid="a4p-signed-in")
def signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    session_started(request, user)
    throttle.login_succeeded(user.get_username())
    services.sign_in_event_record(
        username=user.get_username(),
        user=user,
        outcome=SignInEvent.Outcome.SUCCESS,
        method=_method_of(request, user),
        ip=throttle.client_ip(request),
    )


@receiver(user_login_failed, dispatch_uid="a4p-sign-in-failed")
def password_refused(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")
    # django-axes (connected first) marks the request when this failure trips or meets a lock.
    locked = bool(getattr(request, "axes_locked_out", False))
    throttle.login_failed(request, username)
    services.sign_in_event_record(
        username=username,
        outcome=SignInEvent.Outcome.LOCKED if locked else SignInEvent.Outcome.FAILED_PASSWORD,
        method=SignInEvent.Method.PASSWORD,
        ip=throttle.client_ip(request),
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="a4p-second-factor-failed")
def second_factor_refused(
    sender: Any, request: HttpRequest | None, user: User, authenticator: Authenticator, **kw: Any
) -> None:
    services.sign_in_event_record(
        username=user.get_username(),
        user=user,
        outcome=SignInEvent.Outcome.FAILED_SECOND_FACTOR,
        method=SignInEvent.Method(authenticator.type),
        ip=throttle.client_ip(request),
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="a4p-second-factor-enrolled")
def second_factor_enrolled(
    sender: Any, request: HttpRequest | None, user: User, authenticator: Authenticator, **kw: Any
) -> None:
    # Enrolling proved the new factor (a code from the app, a touch of the key): this session
    # counts as verified with it, so the user is not asked for it again at once.
    if request is not None and authenticator.type in SECOND_FACTORS:
        record_authentication(
            request, user, method="mfa", type=authenticator.type, id=authenticator.pk
        )


@receiver(account_signals.password_changed, dispatch_uid="a4p-password-changed")
@receiver(account_signals.password_set, dispatch_uid="a4p-password-set")
@receiver(account_signals.password_reset, dispatch_uid="a4p-password-reset")
def password_chosen(sender: Any, user: User, **kwargs: Any) -> None:
    services.password_chosen(user=user)
