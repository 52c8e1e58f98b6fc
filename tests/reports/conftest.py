"""A closed cycle with validated updates of every sensitivity, each carrying words that must
appear only in the editions allowed to show them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from accounts.models import Role, User
from plans.models import Plan
from reporting.models import Cycle, Obstacle, ProgressUpdate, Sensitivity
from reporting.services import cycle_step
from tests.factories import MembershipFactory, UserFactory
from tests.reporting.conftest import focal, make_cycle, planner, workplans  # noqa: F401

# Words that occur nowhere else: each marks the sensitivity of the text it sits in.
MARK: dict[str, str] = {
    Sensitivity.PUBLIC: "Quokkapublic",
    Sensitivity.INTERNAL: "Wombatinternal",
    Sensitivity.CONFIDENTIAL: "Numbatconfidential",
}
PERSON = ("Zebedee", "Quartermain")


@dataclass
class Reported:
    cycle: Cycle
    updates: dict[str, ProgressUpdate]


def _fill(update: ProgressUpdate, sensitivity: str, rating: str, author: User) -> None:
    mark = MARK[sensitivity]
    ProgressUpdate.objects.filter(pk=update.pk).update(
        state=ProgressUpdate.State.VALIDATED,
        rating=rating,
        sensitivity=sensitivity,
        narrative=f"{mark}narrative of the period.",
        achievements=f"{mark}achievement: a joint review with the host authorities.",
        next_steps=f"{mark}nextstep",
        wps_note=f"{mark}gender consultations with women's networks.",
        updated_by=author,
    )
    Obstacle.objects.create(
        update=update,
        category=Obstacle.Category.SECURITY,
        description=f"{mark}obstacle on the road to Bria.",
        severity=Obstacle.Severity.HIGH,
        mitigation=f"{mark}mitigation by air.",
        support_requested=f"{mark}support",
        escalate=True,
    )


@pytest.fixture
def reporter(db: None) -> User:
    user = UserFactory.create(username="report.author", first_name=PERSON[0], last_name=PERSON[1])
    MembershipFactory(user=user, role=Role.FOCAL_POINT, entity="minusca")
    return user


@pytest.fixture
def reported(workplans: Plan, planner: User, reporter: User) -> Reported:  # noqa: F811
    """2023-H1, closed: three validated lead updates on three deliverables of priority 1 (one
    per sensitivity, each with its marked texts), and a few rated-only validated updates."""
    cycle = make_cycle(workplans, planner, "2023-H1", dt.date(2023, 1, 1))
    picks = {
        Sensitivity.PUBLIC: ("1.1.2", "minusca", "on_track"),
        Sensitivity.INTERNAL: ("1.2.1", "minusca", "delayed"),
        Sensitivity.CONFIDENTIAL: ("1.1.3", "dpo-ousg", "off_track"),
    }
    updates: dict[str, ProgressUpdate] = {}
    for sensitivity, (code, entity, rating) in picks.items():
        update = (
            ProgressUpdate.objects.filter(
                cycle=cycle, assignment__deliverable__code=code, assignment__entity__code=entity
            ).first()
            or ProgressUpdate.objects.filter(
                cycle=cycle, assignment__deliverable__code=code, assignment__role="lead"
            ).first()
        )
        assert update is not None, (code, entity)
        _fill(update, sensitivity, rating, reporter)
        updates[sensitivity] = update
    rated_only = ProgressUpdate.objects.filter(
        cycle=cycle, assignment__deliverable__code__in=["2.1.1", "3.1.1", "7.1.1"]
    )
    rated_only.update(state=ProgressUpdate.State.VALIDATED, rating="completed")
    cycle_step(cycle=cycle, step="close", actor=planner)
    cycle.refresh_from_db()
    return Reported(cycle=cycle, updates=updates)
