"""Recent authentication before sensitive actions (docs/accounts.md, "Re-authentication").

`require_recent_auth` guards a view: unless the user signed in or re-authenticated within
`A4P_REAUTH_MINUTES` (15), they are sent to allauth's re-authentication page (password, or
second factor) and then brought back to the action; a POST is replayed after re-authentication,
so nothing typed is lost. Used for publishing a report, recording or editing a register record,
managing users in the admin, and meant for managing API tokens:

    @login_required
    @require_recent_auth
    def token_create(request): ...

    @method_decorator(require_recent_auth(unsafe_only=True), name="dispatch")  # GET passes

`recently_authenticated` is the one function that reads the session for it (the test suite
replaces it, except in tests marked `mfa`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, overload

from allauth.account.authentication import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings
from django.http import HttpRequest, HttpResponse

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
View = Callable[..., HttpResponse]


def recently_authenticated(request: HttpRequest) -> bool:
    """The user's latest sign-in or re-authentication in this session is recent enough."""
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    latest = max(float(record.get("at", 0)) for record in records)
    return time.time() - latest < settings.A4P_REAUTH_MINUTES * 60


@overload
def require_recent_auth(view: View) -> View: ...
@overload
def require_recent_auth(*, unsafe_only: bool = False) -> Callable[[View], View]: ...


def require_recent_auth(
    view: View | None = None, *, unsafe_only: bool = False
) -> View | Callable[[View], View]:
    """Send a signed-in user whose authentication is stale to re-authenticate first. With
    `unsafe_only`, GET and HEAD pass (the admin's pages; their POSTs are the changes)."""

    def decorator(func: View) -> View:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            checked = not (unsafe_only and request.method in SAFE_METHODS)
            if checked and request.user.is_authenticated and not recently_authenticated(request):
                # allauth's AccountMiddleware answers with the re-authentication page.
                raise ReauthenticationRequired()
            return func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
