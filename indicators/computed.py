"""Indicators whose values are calculated, never typed. Each calculation takes a cycle and
returns {entity_id: (value, numerator, denominator)} for the entities it concerns; the
recalculation service stores them as ordinary values, so tables and charts treat them alike.

`COMPUTED` holds every calculation by key: the ones over progress reporting are registered
here; the registers (crimes against peacekeepers, SOFA violations…) register theirs in their
app's `ready()`, so the set is complete once the apps are ready."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q

from reporting.models import Cycle, Obstacle, ProgressUpdate

Result = dict[int, tuple[Decimal | None, Decimal | None, Decimal | None]]
Computation = Callable[[Cycle], Result]

COMPUTED: dict[str, Computation] = {}


def register_computed(key: str, calculation: Computation) -> None:
    """Make a calculation available to indicators under this key (the plan file's `computed:`)."""
    known = COMPUTED.get(key)
    if known is not None and known is not calculation:
        raise ImproperlyConfigured(f"computed indicator {key!r} is registered twice")
    COMPUTED[key] = calculation


GOOD_RATINGS = ["on_track", "completed"]


def deliverables_on_track(cycle: Cycle) -> Result:
    """Per entity: share of its rated updates in the cycle rated on track or completed."""
    rows = (
        ProgressUpdate.objects.filter(cycle=cycle)
        .exclude(rating="")
        .values("assignment__entity_id")
        .annotate(rated=Count("id"), good=Count("id", filter=Q(rating__in=GOOD_RATINGS)))
    )
    return {
        row["assignment__entity_id"]: (
            Decimal(row["good"]) * 100 / row["rated"],
            Decimal(row["good"]),
            Decimal(row["rated"]),
        )
        for row in rows
    }


def updates_validated(cycle: Cycle) -> Result:
    """Per entity: share of its updates in the cycle that were validated."""
    rows = (
        ProgressUpdate.objects.filter(cycle=cycle, assignment__active=True)
        .values("assignment__entity_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(state="validated")))
    )
    return {
        row["assignment__entity_id"]: (
            Decimal(row["done"]) * 100 / row["total"],
            Decimal(row["done"]),
            Decimal(row["total"]),
        )
        for row in rows
        if row["total"]
    }


def obstacles_escalated(cycle: Cycle) -> Result:
    """Per entity: number of obstacles escalated to leadership in the cycle."""
    rows = (
        Obstacle.objects.filter(update__cycle=cycle, escalate=True)
        .values("update__assignment__entity_id")
        .annotate(n=Count("id"))
    )
    return {row["update__assignment__entity_id"]: (Decimal(row["n"]), None, None) for row in rows}


register_computed("deliverables_on_track", deliverables_on_track)
register_computed("updates_validated", updates_validated)
register_computed("obstacles_escalated", obstacles_escalated)
