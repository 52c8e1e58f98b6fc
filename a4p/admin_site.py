"""The Django admin with the sign-in rules of the rest of the site: it signs in through allauth's
log-in (password, second factor, throttles), and every change made in it (a POST: save, delete,
bulk action, password change) needs a recent sign-in (`accounts.reauth.require_recent_auth`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from accounts.reauth import require_recent_auth


class AdminSite(admin.AdminSite):
    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Any:
        if getattr(view, "__name__", "") != "logout":
            view = require_recent_auth(unsafe_only=True)(view)
        return super().admin_view(view, cacheable)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return secure_admin_login(super().login)(request, extra_context)
