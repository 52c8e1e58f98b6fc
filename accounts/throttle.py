"""Throttling kept in Django's cache (docs/accounts.md, "Throttling").

Log-in: django-axes locks a (username, address) pair after `AXES_FAILURE_LIMIT` failures. On top
of that, this module

- locks a whole address after `A4P_LOGIN_IP_FAILURE_LIMIT` failures (a higher count: one office
  behind one address makes many honest mistakes), for `A4P_LOGIN_IP_LOCK_MINUTES`;
- slows a username down, from any address, after `A4P_LOGIN_USERNAME_SLOWDOWN_AFTER` failures:
  each further attempt must wait a delay that doubles with every failure, up to a ceiling. The
  account is never locked, so nobody can lock someone else out from elsewhere; a success clears it.

The API: `rate_limit()` counts a request per account, per address and overall in fixed windows,
and `rate_limited()` is the view decorator answering 429 with `Retry-After`.

The client address is REMOTE_ADDR as `core.middleware.TrustedProxyMiddleware` left it (forwarded
addresses are believed from trusted proxies only); axes reads it through `client_ip`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _username_key(username: str) -> str:
    return f"a4p:login:user:{username.strip().lower()}"


def _ip_count_key(ip: str) -> str:
    return f"a4p:login:ip-failures:{ip}"


def _ip_lock_key(ip: str) -> str:
    return f"a4p:login:ip-lock:{ip}"


@dataclass(frozen=True)
class Refusal:
    """Why a log-in attempt is refused before the password is even checked."""

    outcome: str  # a SignInEvent.Outcome value
    wait_seconds: int
    message: str


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def username_delay(failures: int) -> int:
    """Seconds an attempt must wait after this many failures for the username (0: no wait)."""
    after = settings.A4P_LOGIN_USERNAME_SLOWDOWN_AFTER
    if failures < after:
        return 0
    delay = settings.A4P_LOGIN_USERNAME_DELAY_SECONDS * 2 ** min(failures - after, 20)
    return int(min(delay, settings.A4P_LOGIN_USERNAME_DELAY_MAX_SECONDS))


def login_refusal(request: HttpRequest | None, username: str) -> Refusal | None:
    """A refusal if this address is locked or this username must still wait; else None."""
    ip = client_ip(request)
    if ip:
        until = cache.get(_ip_lock_key(ip))
        if until is not None:
            wait = max(1, int(until - time.time()))
            return Refusal(
                outcome="locked",
                wait_seconds=wait,
                message=_(
                    "Too many failed log-ins from your network address. Try again in "
                    "%(minutes)d minutes or ask an administrator."
                )
                % {"minutes": _minutes(wait)},
            )
    state = cache.get(_username_key(username)) if username else None
    if state:
        wait = int(state["last"] + username_delay(state["failures"]) - time.time())
        if wait > 0:
            return Refusal(
                outcome="throttled",
                wait_seconds=wait,
                message=ngettext(
                    "Too many failed log-ins for this username. Wait %(seconds)d second and "
                    "try again.",
                    "Too many failed log-ins for this username. Wait %(seconds)d seconds and "
                    "try again.",
                    wait,
                )
                % {"seconds": wait},
            )
    return None


def login_failed(request: HttpRequest | None, username: str) -> None:
    """Count a failed log-in for the address and for the username."""
    now = time.time()
    ip = client_ip(request)
    if ip:
        window = settings.A4P_LOGIN_IP_LOCK_MINUTES * 60
        cache.add(_ip_count_key(ip), 0, timeout=window)
        try:
            count = cache.incr(_ip_count_key(ip))
        except ValueError:  # expired between add and incr
            cache.set(_ip_count_key(ip), 1, timeout=window)
            count = 1
        if count >= settings.A4P_LOGIN_IP_FAILURE_LIMIT:
            cache.set(_ip_lock_key(ip), now + window, timeout=window)
    if username:
        key = _username_key(username)
        state = cache.get(key) or {"failures": 0}
        # Forgotten a day after the last failure, or at once on a success.
        cache.set(key, {"failures": state["failures"] + 1, "last": now}, timeout=24 * 3600)


def login_succeeded(username: str) -> None:
    cache.delete(_username_key(username))


# The API's rate limits ---------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """At most `count` requests in each window of `seconds`."""

    count: int
    seconds: int


def _consume(key: str, limit: Limit, now: float) -> int:
    """Count one request in the current window; seconds to wait if over the limit, else 0."""
    window = int(now // limit.seconds)
    full_key = f"a4p:rl:{key}:{window}"
    cache.add(full_key, 0, timeout=limit.seconds)
    try:
        used = cache.incr(full_key)
    except ValueError:
        cache.set(full_key, 1, timeout=limit.seconds)
        used = 1
    if used > limit.count:
        return max(1, int((window + 1) * limit.seconds - now))
    return 0


def rate_limit(
    request: HttpRequest,
    *,
    scope: str,
    per_account: Limit | None = None,
    per_ip: Limit | None = None,
    overall: Limit | None = None,
) -> int:
    """Count this request against the limits of `scope`: seconds to wait when any limit is
    exceeded, 0 when the request may go on. The account is the signed-in user (or nobody)."""
    now = time.time()
    waits = []
    user = getattr(request, "user", None)
    if per_account and user is not None and user.is_authenticated:
        waits.append(_consume(f"{scope}:user:{user.pk}", per_account, now))
    ip = client_ip(request)
    if per_ip and ip:
        waits.append(_consume(f"{scope}:ip:{ip}", per_ip, now))
    if overall:
        waits.append(_consume(f"{scope}:all", overall, now))
    return max(waits, default=0)


View = Callable[..., HttpResponse]


def rate_limited(
    scope: str,
    *,
    per_account: Limit | None = None,
    per_ip: Limit | None = None,
    overall: Limit | None = None,
) -> Callable[[View], View]:
    """Decorate a view (an API endpoint) with rate limits; over a limit it answers 429 with
    `Retry-After`, e.g. `@rate_limited("api", per_account=Limit(600, 60), per_ip=Limit(1200,
    60), overall=Limit(6000, 60))`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            wait = rate_limit(
                request, scope=scope, per_account=per_account, per_ip=per_ip, overall=overall
            )
            if wait:
                response = HttpResponse(
                    _("Too many requests: try again in %(seconds)d seconds.") % {"seconds": wait},
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
