"""A reporting history for the dashboards: two closed cycles of the A4P+ work plans whose updates
are put in every state, rating and timing by a seeded generator, with obstacles; and the same
data as plain Python records, for the tests' own computation of what the pages must show."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from accounts.models import User
from plans.models import Plan
from reporting.models import Cycle, Obstacle, ProgressUpdate, Sensitivity, Transition
from reporting.services import cycle_step
from tests.reporting.conftest import (  # noqa: F401  (fixtures re-exported for these tests)
    focal,
    make_cycle,
    other_focal,
    planner,
    reviewer,
    workplans,
)

S = ProgressUpdate.State
RATINGS = [r for r, _label in ProgressUpdate.Rating.choices]
STATES = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.VALIDATED, S.VALIDATED, S.VALIDATED]
CATEGORIES = [c for c, _label in Obstacle.Category.choices]


@dataclass(frozen=True)
class Record:
    """One update as the tests see it, read from the objects they made, not from a query of the
    dashboards."""

    pk: int
    cycle: str
    priority: int
    result: str
    deliverable: str
    entity: str
    entity_id: int
    lead: bool
    markers: frozenset[str]
    state: str
    rating: str
    late: bool
    confidential: bool
    obstacles: tuple[tuple[str, bool], ...]  # (category, escalated)


def shape(
    plan: Plan, cycle: Cycle, seed: int, *, due: dt.date, fraction: float = 1.0
) -> list[Record]:
    """Give the cycle's updates states, ratings, first-submission dates and obstacles. Only
    `fraction` of the updates are touched; the rest stay unrated drafts."""
    rng = random.Random(seed)  # noqa: S311  (test data)
    Cycle.objects.filter(pk=cycle.pk).update(
        opens_on=due - dt.timedelta(days=30), due_on=due, closes_on=due + dt.timedelta(days=30)
    )
    updates = list(
        ProgressUpdate.objects.filter(cycle=cycle).select_related(
            "assignment__deliverable__result__priority", "assignment__entity"
        )
    )
    markers = {
        d.pk: frozenset(d.markers.values_list("code", flat=True))
        for d in plan.deliverables.prefetch_related("markers")
    }
    transitions, obstacles, records = [], [], []
    for update in updates:
        touched = rng.random() < fraction
        state = rng.choice(STATES) if touched else S.DRAFT
        rating = rng.choice(RATINGS) if touched and rng.random() < 0.9 else ""
        update.state, update.rating = state, rating
        update.sensitivity = (
            Sensitivity.CONFIDENTIAL if rng.random() < 0.1 else Sensitivity.INTERNAL
        )
        late = True
        if state != S.DRAFT:
            offset = rng.randint(-10, 6)
            at = dt.datetime.combine(due + dt.timedelta(days=offset), dt.time(10), tzinfo=dt.UTC)
            transitions.append(
                Transition(
                    update=update, action="submit", from_state=S.DRAFT, to_state=S.SUBMITTED, at=at
                )
            )
            update.submitted_at = at
            if state == S.VALIDATED and rng.random() < 0.3:
                # Returned and resubmitted after the due date: still on time if the first
                # submission was.
                update.submitted_at = at + dt.timedelta(days=rng.randint(5, 20))
                transitions.append(
                    Transition(
                        update=update,
                        action="resubmit",
                        from_state=S.RETURNED,
                        to_state=S.RESUBMITTED,
                        at=update.submitted_at,
                    )
                )
            late = offset > 0
        found: list[tuple[str, bool]] = []
        if state != S.DRAFT and rng.random() < 0.3:
            for _ in range(rng.randint(1, 2)):
                category, escalate = rng.choice(CATEGORIES), rng.random() < 0.2
                found.append((category, escalate))
                obstacles.append(
                    Obstacle(
                        update=update,
                        category=category,
                        severity="medium",
                        description="An obstacle",
                        escalate=escalate,
                    )
                )
        a = update.assignment
        records.append(
            Record(
                pk=update.pk,
                cycle=cycle.code,
                priority=a.deliverable.result.priority.number,
                result=a.deliverable.result.code,
                deliverable=a.deliverable.code,
                entity=a.entity.code,
                entity_id=a.entity_id,
                lead=a.role == "lead",
                markers=markers[a.deliverable_id],
                state=state,
                rating=rating,
                late=late,
                confidential=update.sensitivity == Sensitivity.CONFIDENTIAL,
                obstacles=tuple(found),
            )
        )
    ProgressUpdate.objects.bulk_update(updates, ["state", "rating", "sensitivity", "submitted_at"])
    Transition.objects.bulk_create(transitions)
    Obstacle.objects.bulk_create(obstacles)
    return records


@pytest.fixture
def history(workplans: Plan, planner: User) -> dict[str, Any]:  # noqa: F811  (fixtures)
    """Cycles 2022-H1 and 2022-H2, both closed, their due dates past."""
    first = make_cycle(workplans, planner, "2022-H1", dt.date(2022, 1, 1))
    records = shape(workplans, first, 1, due=dt.date(2022, 7, 20))
    cycle_step(cycle=first, step="close", actor=planner)
    second = make_cycle(workplans, planner, "2022-H2", dt.date(2022, 7, 1))
    records += shape(workplans, second, 2, due=dt.date(2023, 1, 20))
    cycle_step(cycle=second, step="close", actor=planner)
    return {"plan": workplans, "records": records, "cycles": ["2022-H1", "2022-H2"]}


@pytest.fixture
def grow(history: dict[str, Any], planner: User) -> Callable[[], None]:  # noqa: F811  (fixture)
    """Add a third cycle of data, to check that query counts do not grow with the data."""

    def more() -> None:
        third = make_cycle(history["plan"], planner, "2023-H1", dt.date(2023, 1, 1))
        history["records"] += shape(history["plan"], third, 3, due=dt.date(2023, 7, 20))
        cycle_step(cycle=third, step="close", actor=planner)
        history["cycles"].append("2023-H1")

    return more
