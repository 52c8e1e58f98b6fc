"""Idle sessions end: A4P_IDLE_MINUTES without a request (Member State delegates:
A4P_IDLE_MINUTES_DELEGATE), with the clock moved forward instead of waiting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Move `django.utils.timezone.now` forward by some minutes from the real time."""
    start = timezone.now()

    def advance(minutes: int) -> None:
        monkeypatch.setattr(timezone, "now", lambda: start + dt.timedelta(minutes=minutes))

    return advance


def test_a_session_idle_longer_than_the_limit_is_logged_out_with_a_message(
    client: Client, user_with_role: Callable[[str], User], clock: Callable[[int], None]
) -> None:
    client.force_login(user_with_role(Role.FOCAL_POINT))
    profile = reverse("profile")
    clock(50)
    assert client.get(profile).status_code == 200  # active again at minute 50
    clock(105)
    assert client.get(profile).status_code == 200  # 55 minutes later: still within 60
    clock(170)
    response = client.get(profile, follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('login')}?next={profile}"
    assert "after 60 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_delegate_is_logged_out_sooner(
    client: Client, user_with_role: Callable[[str], User], clock: Callable[[int], None]
) -> None:
    client.force_login(user_with_role(Role.MEMBER_STATE_DELEGATE))
    clock(29)
    assert client.get(reverse("profile")).status_code == 200
    clock(60)
    assert client.get(reverse("profile")).status_code == 302


def test_the_limits_come_from_the_settings(
    client: Client,
    user_with_role: Callable[[str], User],
    clock: Callable[[int], None],
    settings: object,
) -> None:
    settings.A4P_IDLE_MINUTES = 5  # type: ignore[attr-defined]
    client.force_login(user_with_role(Role.REVIEWER))
    clock(6)
    assert client.get(reverse("profile")).status_code == 302


def test_activity_is_written_at_most_once_a_minute(
    client: Client, user_with_role: Callable[[str], User], clock: Callable[[int], None]
) -> None:
    client.force_login(user_with_role(Role.FOCAL_POINT))
    first = client.session["a4p_last_activity"]
    client.get(reverse("profile"))
    assert client.session["a4p_last_activity"] == first
    clock(2)
    client.get(reverse("profile"))
    assert client.session["a4p_last_activity"] > first
