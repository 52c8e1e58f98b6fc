"""Page builders of reporting's heavy pages: what a page shows, built from the gates, returned
as a dataclass the view only renders."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from core.numbers import plain_int
from plans.models import Plan
from reporting import selectors
from reporting.models import Cycle, Obstacle

OBSTACLE_FILTERS = ("priority", "entity", "category", "severity", "escalated")


@dataclass(frozen=True)
class ObstaclesPage:
    cycles: list[Cycle]
    cycle: Cycle | None = None
    previous: Cycle | None = None
    current: list[Obstacle] = field(default_factory=list)
    resolved: list[Obstacle] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)
    entities: list[Any] = field(default_factory=list)


def _narrowed(obstacles: QuerySet[Obstacle], filters: dict[str, str]) -> QuerySet[Obstacle]:
    priority = plain_int(filters["priority"])
    if priority is not None:
        obstacles = obstacles.filter(
            update__assignment__deliverable__result__priority__number=priority
        )
    if filters["entity"]:
        obstacles = obstacles.filter(update__assignment__entity__code=filters["entity"])
    if filters["category"] in Obstacle.Category.values:
        obstacles = obstacles.filter(category=filters["category"])
    if filters["severity"] in Obstacle.Severity.values:
        obstacles = obstacles.filter(severity=filters["severity"])
    if filters["escalated"] == "1":
        obstacles = obstacles.filter(escalate=True)
    return obstacles


def _by_category(current: list[Obstacle], before: list[Obstacle]) -> list[dict[str, Any]]:
    now, then = Counter(o.category for o in current), Counter(o.category for o in before)
    return [
        {
            "category": label,
            "now": now[value],
            "before": then[value],
            "change": now[value] - then[value],
        }
        for value, label in Obstacle.Category.choices
        if now[value] or then[value]
    ]


def obstacles_page(
    user: User | AnonymousUser, plan: Plan, *, cycle_code: str | None, filters: dict[str, str]
) -> ObstaclesPage:
    """The obstacles of a cycle (the latest opened one unless asked) the user may see, filtered,
    each marked new or not against the previous cycle, with those resolved since."""
    cycles = list(selectors.cycles_of(plan).exclude(state=Cycle.State.PLANNED))
    cycle = next((c for c in cycles if c.code == cycle_code), cycles[0] if cycles else None)
    if cycle is None:
        return ObstaclesPage(cycles=[])
    previous = selectors.previous_cycle(cycle)
    visible = selectors.obstacles_visible_to(user)
    current = list(
        _narrowed(visible.filter(update__cycle=cycle), filters).order_by(
            "update__assignment__deliverable__position", "update__assignment__entity__code"
        )
    )
    before = list(_narrowed(visible.filter(update__cycle=previous), filters)) if previous else []
    before_keys = {(o.update.assignment_id, o.category) for o in before}
    now_keys = {(o.update.assignment_id, o.category) for o in current}
    for obstacle in current:
        obstacle.is_new = (  # type: ignore[attr-defined]
            obstacle.update.assignment_id,
            obstacle.category,
        ) not in before_keys
    return ObstaclesPage(
        cycles=cycles,
        cycle=cycle,
        previous=previous,
        current=current,
        resolved=[o for o in before if (o.update.assignment_id, o.category) not in now_keys],
        summary=_by_category(current, before),
        entities=sorted(
            {o.update.assignment.entity for o in current + before}, key=lambda e: e.code
        ),
    )
