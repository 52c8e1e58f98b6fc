"""Shared fixtures: the real reference data and the A4P+ plan, loaded once per test session,
and a cast of users, one per role (plus an outsider with no role)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from accounts.models import Role, User
from core.models import Entity
from core.refdata import load_reference_data
from plans.models import Plan
from plans.planfile import read_plan_file
from plans.services import plan_load
from plans.versions import version_initial
from tests.factories import MembershipFactory, UserFactory

SHARED = Path(settings.BASE_DIR).parent / "shared"
SEED = SHARED / "seed" / "000_4b27cd763ffeac52.txt"
SHARED_DATA = SHARED / "data"
PLAN_CODE = "a4p-plus-2021-2023"


def load_shipped_plan() -> Plan:
    """As `a4p plan load` does on a new database: load, then publish as version 1."""
    codes = Entity.objects.values_list("code", flat=True)
    plan = plan_load(plan_file=read_plan_file(settings.A4P_PLAN_FILE, codes)).plan
    version_initial(plan=plan)
    return plan


@pytest.fixture(autouse=True)
def _session_checks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests sign in with `client.force_login`, which records no authentication: treat every
    session as verified with a second factor and as recently authenticated, except in tests
    marked `mfa`, which sign in for real and meet the real checks."""
    if request.node.get_closest_marker("mfa") is None:
        monkeypatch.setattr("accounts.mfa.session_has_second_factor", lambda request: True)
        monkeypatch.setattr("accounts.reauth.recently_authenticated", lambda request: True)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Rate-limit counters and used one-time codes do not leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        load_reference_data()
        load_shipped_plan()


@pytest.fixture
def plan(db: None) -> Plan:
    return Plan.objects.get(code=PLAN_CODE)


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("the plan's seed text is not available here")
    return SEED.read_text(encoding="utf-8")


ROLE_TARGETS: dict[str, dict[str, str]] = {
    Role.PLANNING_UNIT: {"entity": "dpo-ousg-iapu"},
    Role.FOCAL_POINT: {"entity": "minusca"},
    Role.REVIEWER: {"entity": "asg-africa"},
    Role.SENIOR_LEADERSHIP: {"entity": "dpo"},
    Role.MEMBER_STATE_DELEGATE: {"member_state": "BGD"},
    Role.REGISTER_OFFICER: {"entity": "dpo-opsp"},
    Role.ADMINISTRATOR: {},
}


@pytest.fixture
def user_with_role(db: None) -> Callable[[str], User]:
    def make(role: str) -> User:
        user = UserFactory.create(
            is_staff=role == Role.ADMINISTRATOR, is_superuser=role == Role.ADMINISTRATOR
        )
        MembershipFactory(user=user, role=role, **ROLE_TARGETS[role])
        return user

    return make


@pytest.fixture
def outsider(db: None) -> User:
    """Signed in, but with no role anywhere."""
    return UserFactory.create()


@pytest.fixture
def client_for(client: Client) -> Callable[[User | None], Client]:
    def login(user: User | None) -> Client:
        if user is not None:
            client.force_login(user)
        return client

    return login
