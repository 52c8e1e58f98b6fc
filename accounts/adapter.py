"""How django-allauth behaves here: no public sign-up, the client address from REMOTE_ADDR, the
log-in throttles of `accounts.throttle`, and re-authentication counted from the last sign-in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse

from accounts import reauth, services, throttle
from accounts.models import SignInEvent


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are provisioned by administrators (`a4p user add`, the admin).
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        ip = throttle.client_ip(request)
        if not ip:
            raise PermissionDenied("no client address")
        return ip

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # Replaces allauth's per-username failure limit, which would lock the account.
        username = str(credentials.get("username") or "")
        refusal = throttle.login_refusal(request, username)
        if refusal is not None:
            services.sign_in_event_record(
                username=username,
                outcome=SignInEvent.Outcome(refusal.outcome),
                method=SignInEvent.Method.PASSWORD,
                ip=throttle.client_ip(request),
            )
            raise ValidationError(refusal.message)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # Adding or removing a second factor right after signing in needs no second password.
        request = context.request
        return request is None or not reauth.recently_authenticated(request)

    def get_password_change_redirect_url(self, request: HttpRequest) -> str:
        return reverse("profile")
