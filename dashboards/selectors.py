"""Reads for the dashboards. Every number about progress updates starts from the one gate,
`reporting.selectors.updates_visible_to(user)`, and is aggregated by the database: each function
is one query whatever the number of entities, cycles or updates.

Ratings count **validated** updates only (what the consolidated report publishes); late inputs
count updates in **every** state (a late draft is exactly what the planning unit chases).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from core.charts import RATING_ORDER
from core.models import Entity
from indicators import aggregation as agg
from indicators.models import Breakdown, Indicator
from plans.models import Deliverable, Marker, Plan, Priority, Result
from reporting.models import Cycle, ProgressUpdate, Transition

S = ProgressUpdate.State
GOOD = ("on_track", "completed")

# What a tally can be grouped by, as a path from a progress update.
GROUPS = {
    "priority": "assignment__deliverable__result__priority__number",
    "result": "assignment__deliverable__result__code",
    "deliverable": "assignment__deliverable__code",
    "entity": "assignment__entity__code",
    "plan": "cycle__plan_id",
}


@dataclass
class Tally:
    """Updates of one group in one cycle."""

    counts: dict[str, int] = field(default_factory=dict)  # validated updates by rating
    updates: int = 0  # every update, any state
    validated: int = 0
    late: int = 0

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def good(self) -> int:
        return sum(self.counts.get(code, 0) for code in GOOD)

    @property
    def share(self) -> float | None:
        """Validated updates rated on track or completed, in percent of those rated."""
        return 100 * self.good / self.rated if self.rated else None

    def add(self, other: Tally) -> None:
        for code, n in other.counts.items():
            self.counts[code] = self.counts.get(code, 0) + n
        self.updates += other.updates
        self.validated += other.validated
        self.late += other.late


def deadline(cycle: Cycle) -> dt.datetime:
    """The first moment after the cycle's due date, in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(cycle.due_on + dt.timedelta(days=1), dt.time()))


def with_deadlines(
    updates: QuerySet[ProgressUpdate], cycles: Iterable[Cycle]
) -> QuerySet[ProgressUpdate]:
    """Updates of these cycles, each with its cycle's deadline (a plain SQL CASE on the cycle, so
    that the lateness test below compares columns and calls no function per row)."""
    cycles = list(cycles)
    if not cycles:
        return updates.none().annotate(deadline=Value(None, output_field=DateTimeField()))
    return updates.filter(cycle__in=[c.pk for c in cycles]).annotate(
        deadline=Case(
            *[When(cycle_id=c.pk, then=Value(deadline(c))) for c in cycles],
            output_field=DateTimeField(),
        )
    )


def late_condition(today: dt.date) -> Q:
    """Late input: the due date has passed and the update had not been submitted by then. Its
    first submission counts (a return and a resubmission later do not make it late). The last
    submission (`submitted_at`) settles most updates without looking at their workflow steps;
    only the others are checked against their first "submitted" step. Needs `with_deadlines`."""
    first_in_time = Exists(
        Transition.objects.filter(
            update=OuterRef("pk"), to_state=S.SUBMITTED, at__lt=OuterRef("deadline")
        )
    )
    in_time = Q(submitted_at__lt=F("deadline")) | Q(first_in_time)
    return Q(cycle__due_on__lt=today) & ~in_time


def tallies(
    updates: QuerySet[ProgressUpdate],
    *,
    group: str,
    cycles: Iterable[Cycle],
    today: dt.date,
    late: bool = True,
) -> dict[tuple[Any, int], Tally]:
    """{(group key, cycle id): Tally} in one query; `late=False` skips counting late inputs
    where a page does not show them."""
    path = GROUPS[group]
    rating_counts = {
        f"r_{code}": Count("pk", filter=Q(state=S.VALIDATED, rating=code)) for code in RATING_ORDER
    }
    rows = (
        with_deadlines(updates, cycles)
        .order_by()
        .values(path, "cycle_id")
        .annotate(
            **rating_counts,
            n_updates=Count("pk"),
            n_validated=Count("pk", filter=Q(state=S.VALIDATED)),
            n_late=Count("pk", filter=late_condition(today)) if late else Value(0),
        )
    )
    out: dict[tuple[Any, int], Tally] = {}
    for row in rows:
        out[(row[path], row["cycle_id"])] = Tally(
            counts={code: row[f"r_{code}"] for code in RATING_ORDER if row[f"r_{code}"]},
            updates=row["n_updates"],
            validated=row["n_validated"],
            late=row["n_late"],
        )
    return out


def update_cells(
    updates: QuerySet[ProgressUpdate], *, cycles: Iterable[Cycle], today: dt.date
) -> list[dict[str, Any]]:
    """One row per update (no model instances): what the heatmaps and the per-entity tables show,
    with the update's obstacle count and whether its input was late, in one query."""
    rows: Any = (
        with_deadlines(updates, cycles)
        .order_by()
        .values(
            "pk",
            "cycle_id",
            "state",
            "rating",
            entity=F("assignment__entity__code"),
            deliverable=F("assignment__deliverable__code"),
            role=F("assignment__role"),
            late=ExpressionWrapper(late_condition(today), output_field=BooleanField()),
        )
        .annotate(obstacle_count=Count("obstacles"))
    )
    return list(rows)


def obstacle_counts(
    updates: QuerySet[ProgressUpdate], *, cycles: Iterable[Cycle]
) -> list[dict[str, Any]]:
    """Obstacles of these updates by cycle and category, with how many were escalated, in one
    query. Counted from the updates' side, so that the gate's filter applies to updates directly
    (an `update IN (…every update…)` test for leadership would cost more than the count)."""
    rows: Any = (
        updates.filter(cycle__in=[c.pk for c in cycles], obstacles__isnull=False)
        .order_by()
        .values("cycle_id", category=F("obstacles__category"))
        .annotate(
            n=Count("obstacles"),
            escalated=Count("obstacles", filter=Q(obstacles__escalate=True)),
        )
    )
    return [dict(row) for row in rows]


@dataclass
class PlanTree:
    """The plan's priorities, results and deliverables (with their marker codes), in four
    queries, for labels and ordering."""

    priorities: list[Priority]
    results: list[Result]
    deliverables: list[Deliverable]
    markers: list[Marker]
    deliverable_markers: dict[int, set[str]]

    def results_of(self, number: int) -> list[Result]:
        return [r for r in self.results if r.priority.number == number]

    def deliverables_of(self, result_code: str) -> list[Deliverable]:
        return [d for d in self.deliverables if d.result.code == result_code]

    def deliverables_marked(self, code: str) -> list[Deliverable]:
        return [d for d in self.deliverables if code in self.deliverable_markers.get(d.pk, ())]


def plan_tree(plan: Plan) -> PlanTree:
    priorities = list(Priority.objects.filter(plan=plan).order_by("number"))
    by_id = {p.pk: p for p in priorities}
    results = list(Result.objects.filter(plan=plan).order_by("priority__number", "number"))
    for result in results:
        result.priority = by_id[result.priority_id]
    results_by_id = {r.pk: r for r in results}
    deliverables = list(
        Deliverable.objects.filter(plan=plan, retired_in__isnull=True).order_by("position")
    )
    for deliverable in deliverables:
        deliverable.result = results_by_id[deliverable.result_id]
    markers = list(Marker.objects.filter(plan=plan))
    marker_codes = {m.pk: m.code for m in markers}
    tagged: dict[int, set[str]] = {}
    for deliverable_id, marker_id in Deliverable.markers.through.objects.filter(
        marker__plan=plan
    ).values_list("deliverable_id", "marker_id"):
        tagged.setdefault(deliverable_id, set()).add(marker_codes[marker_id])
    return PlanTree(priorities, results, deliverables, markers, tagged)


def opened_cycles(plan: Plan) -> list[Cycle]:
    """The plan's cycles that have opened, oldest first: the cycle filter's choices."""
    return list(
        Cycle.objects.filter(plan=plan).exclude(state=Cycle.State.PLANNED).order_by("period_start")
    )


def reporting_entities(plan: Plan) -> list[Entity]:
    """Entities with a deliverable of the plan in their work plan: the entity filter's choices."""
    return list(
        Entity.objects.filter(assignments__deliverable__plan=plan)
        .distinct()
        .order_by("kind", "code")
    )


def sex_series(
    indicators: list[Indicator], *, cycles: list[Cycle], entity_id: int | None = None
) -> dict[tuple[int, int, str], Decimal]:
    """{(indicator id, cycle id, category name): actual} for the categories of the "sex"
    dimension, combined across entities by each indicator's rule, in one query."""
    parts = Breakdown.objects.filter(
        value__indicator__in=[i.pk for i in indicators],
        value__cycle__in=[c.pk for c in cycles],
        category__dimension__code="sex",
    )
    if entity_id is not None:
        parts = parts.filter(value__entity_id=entity_id)
    rows: Any = (
        parts.order_by()
        .values("value__indicator_id", "value__cycle_id", "category__name", "category__position")
        .annotate(
            total=Sum("amount"),
            reported=Count("amount"),
            top=Max("amount"),
            numerator=Sum("numerator"),
            denominator=Sum("denominator"),
        )
    )
    by_id = {i.pk: i for i in indicators}
    out: dict[tuple[int, int, str], Decimal] = {}
    for row in rows:
        indicator = by_id[row["value__indicator_id"]]
        value = _combine(indicator, row)
        if value is not None:
            key = (indicator.pk, row["value__cycle_id"], row["category__name"])
            out[key] = value
    return out


def _combine(indicator: Indicator, row: dict[str, Any]) -> Decimal | None:
    if indicator.unit == Indicator.Unit.PERCENT:
        if row["numerator"] is None or row["denominator"] is None:
            return None
        return agg.Ratio(Decimal(row["numerator"]), Decimal(row["denominator"])).percent
    if not row["reported"]:
        return None
    rule = agg.EntityRule(indicator.entity_rule)
    if rule is agg.EntityRule.SUM:
        return Decimal(row["total"])
    if rule is agg.EntityRule.MEAN:
        return Decimal(row["total"]) / row["reported"]
    return Decimal(row["top"])
