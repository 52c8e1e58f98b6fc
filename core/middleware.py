"""Middleware for the headers every response needs.

- `TrustedProxyMiddleware` (first): the forwarding headers (`X-Forwarded-Proto`,
  `X-Forwarded-For`) are believed only from the proxies named in `A4P_TRUSTED_PROXIES`; from any
  other peer they are dropped, so a client cannot claim HTTPS or another address (which the
  log-in lockout counts by).
- `RefuseNulMiddleware`: a NUL character in the path, a query parameter or a posted form field
  (name or value; not an uploaded file) is refused with 400 before any view runs (PostgreSQL
  refuses NUL in text and JSON, so a lookup or a write would fail there).
- `SensitiveResponseMiddleware` (after authentication): a signed-in user's responses carry
  progress updates, register records or account data, so no cache may keep them
  (`Cache-Control: no-store`); every response states a Permissions-Policy that turns off the
  browser features the application never uses.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

FORWARDING_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST")
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)

Handler = Callable[[HttpRequest], HttpResponse]


class TrustedProxyMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.trusted = frozenset(settings.A4P_TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("REMOTE_ADDR") not in self.trusted:
            for header in FORWARDING_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class RefuseNulMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request.path, request.GET):
            return _bad_request(request, _("The address holds a NUL character."))
        # The posted fields too: not every view reads them through a form (the revision's
        # reasons go straight into JSON). Uploaded files are not read here.
        if request.method == "POST" and _holds_nul("", request.POST):
            return _bad_request(request, _("The form holds a NUL character."))
        return self.get_response(request)


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """Plain text for pages; an RFC 7807 problem document under the paths that answer in them
    (`A4P_PROBLEM_PATHS`: the API)."""
    if any(request.path.startswith(p) for p in settings.A4P_PROBLEM_PATHS):
        body = {"type": "about:blank", "status": 400, "title": message, "detail": message}
        return HttpResponseBadRequest(json.dumps(body), content_type="application/problem+json")
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _holds_nul(path: str, params: QueryDict) -> bool:
    values = [path, *(v for key in params for v in [key, *params.getlist(key)])]
    return any("\x00" in value for value in values)


class SensitiveResponseMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
