"""Authentication of `/api/v1/`: personal tokens (`Authorization: Bearer a4p_…`) for programs,
the session for the browser (the browsable docs). Only a token's hash is stored
(`accounts.models.ApiToken`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken, User
from accounts.selectors import token_for
from accounts.services import token_used

if TYPE_CHECKING:
    from rest_framework.views import APIView


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Give the token after 'Bearer', with nothing else.")
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = token_for(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("The token is not valid: unknown, revoked or expired.")
            )
        token_used(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with CSRF on writes (DRF's own)."""


class TokenScope(permissions.BasePermission):
    """A read-only token may only read; a read-write token writes where its user could in the
    pages (each write endpoint still checks the user's role through the service's own rules)."""

    message = _("This token is read-only.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only:
            return request.method in permissions.SAFE_METHODS
        return True


class PerTokenThrottle(SimpleRateThrottle):
    """Requests per token (or per signed-in user on the session), on the default cache — Redis
    when `A4P_CACHE_URL` is set."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        if isinstance(token, ApiToken):
            ident = f"t{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PerAddressThrottle(SimpleRateThrottle):
    """Requests per client address (as `core.middleware.TrustedProxyMiddleware` leaves it),
    whoever makes them: a ceiling for unauthenticated guessing too."""

    scope = "address"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {
            "scope": self.scope,
            "ident": request.META.get("REMOTE_ADDR", ""),
        }
