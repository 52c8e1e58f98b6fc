"""Log-in throttling: axes locks a (username, address) pair; a whole address is locked at a
higher count; a username alone is slowed down, never locked. Rate limits on password-reset
requests and the API helper. The cache settings."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts import throttle
from accounts.models import SignInEvent, User
from accounts.throttle import Limit, rate_limit, rate_limited
from tests.factories import UserFactory
from tests.signin import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client: Client, username: str, password: str, ip: str, forwarded: str = "") -> Any:
    data = {"login": username, "password": password}
    if forwarded:
        return client.post(reverse("login"), data, REMOTE_ADDR=ip, HTTP_X_FORWARDED_FOR=forwarded)
    return client.post(reverse("login"), data, REMOTE_ADDR=ip)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@override_settings(AXES_ENABLED=True)
def test_axes_locks_the_username_and_address_pair_only() -> None:
    UserFactory.create(username="amina")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "amina", "wrong", "10.0.0.1")
    locked = attempt(Client(), "amina", PASSWORD, "10.0.0.1")
    assert locked.status_code == 429
    assert "Log-in locked" in locked.content.decode()
    elsewhere = Client()
    attempt(elsewhere, "amina", PASSWORD, "10.0.0.2")
    assert signed_in(elsewhere)  # nobody locks amina out from another address
    assert SignInEvent.objects.filter(username="amina", outcome="locked").exists()


@override_settings(A4P_LOGIN_IP_FAILURE_LIMIT=3)
def test_an_address_with_many_failures_is_locked_whatever_it_claims() -> None:
    UserFactory.create(username="amina")
    for n in range(3):  # different usernames, different forwarded addresses, one real peer
        attempt(Client(), f"guess{n}", "wrong", "10.0.0.9", forwarded=f"1.2.3.{n}")
    refused = attempt(Client(), "amina", PASSWORD, "10.0.0.9")
    assert refused.status_code == 200
    assert "Too many failed log-ins from your network address" in refused.content.decode()
    other = Client()
    attempt(other, "amina", PASSWORD, "10.0.0.10")
    assert signed_in(other)


@override_settings(A4P_LOGIN_USERNAME_SLOWDOWN_AFTER=3, A4P_LOGIN_USERNAME_DELAY_SECONDS=30)
def test_a_username_is_slowed_down_from_any_address_with_a_growing_delay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = UserFactory.create(username="amina")
    now = time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: now)
    for n in range(3):
        attempt(Client(), "amina", "wrong", f"10.1.0.{n}")
    slowed = Client()
    response = attempt(slowed, "amina", PASSWORD, "10.1.0.50")
    assert "Too many failed log-ins for this username. Wait 30 seconds" in response.content.decode()
    assert not signed_in(slowed)
    assert SignInEvent.objects.filter(user=user, outcome="throttled").count() == 1
    monkeypatch.setattr(throttle.time, "time", lambda: now + 31)
    attempt(Client(), "amina", "wrong", "10.1.0.60")  # the fourth failure: the delay doubles
    monkeypatch.setattr(throttle.time, "time", lambda: now + 31 + 59)
    assert "Wait 1 second" in attempt(Client(), "amina", PASSWORD, "10.1.0.61").content.decode()
    monkeypatch.setattr(throttle.time, "time", lambda: now + 31 + 61)
    attempt(slowed, "amina", PASSWORD, "10.1.0.62")
    assert signed_in(slowed)  # never locked: the right password gets in once the delay is over
    user.refresh_from_db()
    assert user.is_active
    assert throttle.login_refusal(None, "amina") is None  # a success clears the count


def test_delays_grow_to_a_ceiling() -> None:
    after = django_settings.A4P_LOGIN_USERNAME_SLOWDOWN_AFTER
    assert throttle.username_delay(after - 1) == 0
    assert throttle.username_delay(after + 1) == 2 * throttle.username_delay(after)
    assert (
        throttle.username_delay(after + 50) == django_settings.A4P_LOGIN_USERNAME_DELAY_MAX_SECONDS
    )


def test_password_reset_requests_are_limited_per_e_mail() -> None:
    UserFactory.create(username="amina", email="amina@un.org")
    url = reverse("account_reset_password")
    statuses = [
        Client().post(url, {"email": "amina@un.org"}, REMOTE_ADDR=f"10.2.0.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert Client().post(url, {"email": "other@un.org"}, REMOTE_ADDR="10.2.0.9").status_code == 302


@override_settings(ACCOUNT_RATE_LIMITS={"reset_password": "2/h/ip,10/h/key"})
def test_password_reset_requests_are_limited_per_address() -> None:
    url = reverse("account_reset_password")
    statuses = [
        Client().post(url, {"email": f"x{n}@un.org"}, REMOTE_ADDR="10.3.0.1").status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]


def _request(rf: RequestFactory, ip: str, user: User | None = None) -> HttpRequest:
    request = rf.get("/api/", REMOTE_ADDR=ip)
    request.user = user or AnonymousUser()
    return request


def test_the_api_rate_limit_counts_per_account_per_address_and_overall(
    rf: RequestFactory,
) -> None:
    alice, bob = UserFactory.create(), UserFactory.create()
    limits = {"per_account": Limit(2, 60), "per_ip": Limit(4, 60), "overall": Limit(6, 60)}

    def waits(ip: str, user: User | None = None, scope: str = "t") -> bool:
        return rate_limit(_request(rf, ip, user), scope=scope, **limits) > 0

    assert [waits("10.4.0.1", alice) for _ in range(3)] == [False, False, True]  # per account
    assert [waits("10.4.0.1", bob) for _ in range(2)] == [False, True]  # the address's 5th
    assert [waits("10.4.0.2") for _ in range(2)] == [False, True]  # the 7th overall
    assert not waits("10.4.0.2", scope="other")


def test_the_rate_limited_decorator_answers_429_with_retry_after(rf: RequestFactory) -> None:
    @rate_limited("deco", per_ip=Limit(1, 60))
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    assert view(_request(rf, "10.5.0.1")).status_code == 200
    refused = view(_request(rf, "10.5.0.1"))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60


def _settings_caches(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import a4p.settings as s; print(s.CACHES['default']['BACKEND'])"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "A4P_SECRET_KEY": "x", **env},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
        ("memcached://somewhere", "is not a Redis address"),
    ],
)
def test_the_cache_comes_from_a4p_cache_url(url: str, expected: str) -> None:
    result = _settings_caches({"A4P_CACHE_URL": url})
    assert expected in result.stdout + result.stderr


def test_clients_address_is_remote_addr(rf: RequestFactory, db: None) -> None:
    request = rf.get("/", REMOTE_ADDR="10.6.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert throttle.client_ip(request) == "10.6.0.1"
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "accounts.throttle.client_ip"
