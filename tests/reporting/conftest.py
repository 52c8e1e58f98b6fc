"""Fixtures for reporting: the A4P+ work plans, an open cycle, and the people who act on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role, User
from plans.models import Assignment, Plan
from plans.services import assignments_generate
from reporting.models import Cycle, ProgressUpdate
from reporting.services import cycle_create, cycle_step
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def planner(db: None) -> User:
    user = UserFactory.create(username="planner")
    MembershipFactory(user=user, role=Role.PLANNING_UNIT, entity="dpo-ousg-iapu")
    return user


@pytest.fixture
def workplans(plan: Plan, planner: User) -> Plan:
    assignments_generate(plan=plan, actor=planner)
    return plan


def make_cycle(
    plan: Plan,
    planner: User,
    code: str,
    start: dt.date,
    *,
    open_it: bool = True,
    due_in_days: int = 10,
) -> Cycle:
    today = timezone.localdate()
    end = dt.date(start.year, start.month + 5, 30 if start.month + 5 in (6, 9, 11) else 31)
    cycle = cycle_create(
        plan=plan,
        code=code,
        kind=Cycle.Kind.SEMIANNUAL,
        period_start=start,
        period_end=end,
        opens_on=today - dt.timedelta(days=20),
        due_on=today + dt.timedelta(days=due_in_days),
        closes_on=today + dt.timedelta(days=due_in_days + 20),
        actor=planner,
    )
    if open_it:
        cycle_step(cycle=cycle, step="open", actor=planner)
        cycle.refresh_from_db()
    return cycle


@pytest.fixture
def cycle(workplans: Plan, planner: User) -> Cycle:
    """2023-H1, open, due in ten days, with a draft update for every assignment."""
    return make_cycle(workplans, planner, "2023-H1", dt.date(2023, 1, 1))


@pytest.fixture
def focal(db: None) -> User:
    """Focal point of MINUSCA, named focal point on all MINUSCA assignments."""
    user = UserFactory.create(username="focal.minusca")
    MembershipFactory(user=user, role=Role.FOCAL_POINT, entity="minusca")
    for assignment in Assignment.objects.filter(entity__code="minusca"):
        assignment.focal_points.add(user)
    return user


@pytest.fixture
def other_focal(db: None) -> User:
    """Focal point of MONUSCO: an outsider to MINUSCA's drafts."""
    user = UserFactory.create(username="focal.monusco")
    MembershipFactory(user=user, role=Role.FOCAL_POINT, entity="monusco")
    return user


@pytest.fixture
def reviewer(db: None) -> User:
    """Reviewer at the Office of the ASG for Africa: reviews the African missions."""
    user = UserFactory.create(username="reviewer.africa")
    MembershipFactory(user=user, role=Role.REVIEWER, entity="asg-africa")
    return user


@pytest.fixture
def minusca_update(cycle: Cycle, focal: User) -> ProgressUpdate:
    """MINUSCA's draft update on deliverable 1.1.2 (MINUSCA leads it as a Head of Mission)."""
    return ProgressUpdate.objects.get(
        cycle=cycle, assignment__entity__code="minusca", assignment__deliverable__code="1.1.2"
    )
