"""The sign-in history: every attempt recorded, each user sees only their own, 90 days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInEvent, User
from tests.factories import UserFactory
from tests.signin import PASSWORD

pytestmark = pytest.mark.django_db


def event(user: User | None, days_ago: float = 0, **fields: str) -> SignInEvent:
    return SignInEvent.objects.create(
        user=user,
        username=fields.pop("username", user.username if user else "ghost"),
        at=timezone.now() - dt.timedelta(days=days_ago),
        ip=fields.pop("ip", "10.0.0.1"),
        outcome=fields.pop("outcome", SignInEvent.Outcome.SUCCESS),
        method=fields.pop("method", SignInEvent.Method.PASSWORD),
    )


def test_log_ins_and_failures_are_recorded_with_the_address(client: Client) -> None:
    user = UserFactory.create(username="amina")
    client.post(reverse("login"), {"login": "Amina", "password": "wrong"}, REMOTE_ADDR="10.9.0.1")
    client.post(reverse("login"), {"login": "nobody", "password": "x"}, REMOTE_ADDR="10.9.0.1")
    client.post(reverse("login"), {"login": "amina", "password": PASSWORD}, REMOTE_ADDR="10.9.0.2")
    rows = list(SignInEvent.objects.order_by("pk").values_list("user", "outcome", "ip"))
    assert rows == [
        (user.pk, "failed_password", "10.9.0.1"),
        (None, "failed_password", "10.9.0.1"),
        (user.pk, "success", "10.9.0.2"),
    ]


def test_the_page_shows_only_the_users_own_recent_events_and_is_not_stored(
    client: Client,
) -> None:
    amina, bob = UserFactory.create(), UserFactory.create()
    event(amina, ip="10.7.7.1", outcome=SignInEvent.Outcome.FAILED_SECOND_FACTOR, method="totp")
    event(amina, days_ago=100, ip="10.7.7.2")
    event(bob, ip="10.7.7.3")
    event(None, username="ghost", ip="10.7.7.4")
    client.force_login(amina)
    response = client.get(reverse("sign-in-history"))
    text = response.content.decode()
    assert "10.7.7.1" in text and "Wrong second-factor code" in text and "Authenticator app" in text
    assert "10.7.7.2" not in text  # older than 90 days
    assert "10.7.7.3" not in text and "10.7.7.4" not in text
    assert "no-store" in response["Cache-Control"]
    assert reverse("sign-in-history") in client.get(reverse("profile")).content.decode()


def test_the_page_is_paginated_and_needs_a_log_in(client: Client) -> None:
    assert client.get(reverse("sign-in-history")).status_code == 302
    amina = UserFactory.create()
    for n in range(60):
        event(amina, days_ago=n / 100, ip=f"10.8.0.{n}")
    client.force_login(amina)
    first = client.get(reverse("sign-in-history")).content.decode()
    second = client.get(reverse("sign-in-history") + "?page=2").content.decode()
    assert "Page 1 of 2" in first and "10.8.0.0<" in first and "10.8.0.59<" not in first
    assert "10.8.0.59<" in second
    assert client.get(reverse("sign-in-history") + "?page=zz").status_code == 200


def test_the_page_query_count_does_not_grow_with_events(client: Client) -> None:
    amina = UserFactory.create()
    client.force_login(amina)
    url = reverse("sign-in-history")
    event(amina)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(30):
        event(amina)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert len(few) <= 8
