"""Reads of indicators: the tracking table, in a fixed number of queries whatever its size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import access_for
from accounts.models import User
from core.models import Entity
from indicators import aggregation as agg
from indicators.models import Breakdown, Indicator, IndicatorValue, Target
from plans.models import Plan
from reporting.models import Cycle, ProgressUpdate


def indicators_of(plan: Plan) -> QuerySet[Indicator]:
    """Indicator definitions are part of the plan, a public document."""
    return Indicator.objects.filter(plan=plan).select_related(
        "priority", "result__priority", "deliverable__result__priority"
    )


def indicator_for(plan: Plan, code: str) -> Indicator:
    indicator = (
        indicators_of(plan).filter(code=code).prefetch_related("targets", "dimensions").first()
    )
    if indicator is None:
        raise Http404(_("No such indicator."))
    return indicator


def values_visible_to(user: User | AnonymousUser) -> QuerySet[IndicatorValue]:
    """Reported values are internal: UN staff see them all, anyone else none."""
    if not access_for(user).internal:
        return IndicatorValue.objects.none()
    return IndicatorValue.objects.all()


def indicator_values(
    user: User | AnonymousUser, indicator: Indicator, cycles: list[Cycle]
) -> list[IndicatorValue]:
    """The indicator's values in these cycles, each with its breakdowns as `parts`."""
    values = list(
        values_visible_to(user)
        .filter(indicator=indicator, cycle__in=cycles)
        .select_related("entity", "cycle", "entered_by")
        .order_by("cycle__period_start", "entity__code")
    )
    breakdowns: dict[int, list[Breakdown]] = defaultdict(list)
    for part in Breakdown.objects.filter(value__in=values).select_related("category__dimension"):
        breakdowns[part.value_id].append(part)
    for value in values:
        value.parts = breakdowns.get(value.pk, [])  # type: ignore[attr-defined]
    return values


def enterable_entities(user: User | AnonymousUser, reporting: set[int]) -> QuerySet[Entity]:
    """The reporting entities the user may enter values for: all for the planning unit, their
    own for a focal point."""
    access = access_for(user)
    ids = reporting if access.planner else reporting & set(access.focal_entities)
    return Entity.objects.filter(pk__in=ids).order_by("code")


def tracking_entities(plan: Plan) -> QuerySet[Entity]:
    """The entities with work in the plan, for the tracking table's filter."""
    return (
        Entity.objects.filter(assignments__deliverable__plan=plan, assignments__active=True)
        .distinct()
        .order_by("code")
    )


def reported_cycles(plan: Plan) -> list[Cycle]:
    """Cycles whose values are shown: every cycle that has opened, oldest first."""
    return list(
        Cycle.objects.filter(plan=plan).exclude(state=Cycle.State.PLANNED).order_by("period_start")
    )


@dataclass
class Cell:
    cycle: Cycle
    target: Decimal | None
    actual: Decimal | None
    to_date: Decimal | None
    achievement: Decimal | None
    status: agg.Status
    entities: int


@dataclass
class Row:
    indicator: Indicator
    priority_number: int
    cells: list[Cell] = field(default_factory=list)
    span_target: Decimal | None = None
    latest: Cell | None = None


def _priority_number(indicator: Indicator) -> int:
    if indicator.deliverable_id:
        return indicator.deliverable.result.priority.number  # type: ignore[union-attr]
    if indicator.result_id:
        return indicator.result.priority.number  # type: ignore[union-attr]
    return indicator.priority.number  # type: ignore[union-attr]


def _entity_scope(entity_id: int) -> Q:
    """Indicators an entity reports: attached to a deliverable in its work plan, or to the
    result or priority of one."""
    held = Q(deliverable__assignments__entity_id=entity_id, deliverable__assignments__active=True)
    via_result = Q(
        result__deliverables__assignments__entity_id=entity_id,
        result__deliverables__assignments__active=True,
    )
    via_priority = Q(
        priority__results__deliverables__assignments__entity_id=entity_id,
        priority__results__deliverables__assignments__active=True,
    )
    return held | via_result | via_priority


def tracking_table(
    plan: Plan,
    *,
    cycles: list[Cycle],
    priority: int | None = None,
    entity_id: int | None = None,
    wps_only: bool = False,
    indicator_id: int | None = None,
) -> list[Row]:
    """Baseline, target and actual per period for each indicator, the running value, the
    achievement and the status, per the rules of indicators/aggregation.py. Actuals of several
    entities are combined by the indicator's entity rule (percentages as ratios of sums); with
    `entity_id`, only that entity's values count."""
    indicators = indicators_of(plan)
    if entity_id is not None:
        ids = indicators.filter(_entity_scope(entity_id)).values("pk")
        indicators = indicators.filter(pk__in=ids)
    if wps_only:
        indicators = indicators.exclude(wps="")
    if indicator_id is not None:
        indicators = indicators.filter(pk=indicator_id)
    rows = [Row(indicator=i, priority_number=_priority_number(i)) for i in indicators]
    if priority is not None:
        rows = [r for r in rows if r.priority_number == priority]
    values = IndicatorValue.objects.filter(
        indicator__in=[r.indicator.pk for r in rows], cycle__in=cycles
    )
    if entity_id is not None:
        values = values.filter(entity_id=entity_id)
    # The database combines the entities of each cell; Python applies the indicator's rule.
    cells = values.values("indicator_id", "cycle_id").annotate(
        total=Sum("value"),
        reported=Count("value"),
        top=Max("value"),
        numerator=Sum("numerator"),
        denominator=Sum("denominator"),
        entities=Count("id"),
    )
    grouped: dict[tuple[int, int], dict[str, Any]] = {
        (c["indicator_id"], c["cycle_id"]): dict(c) for c in cells
    }
    # Targets as plain tuples: thousands of them, no need for model instances.
    targets: dict[int, dict[str, Decimal]] = {}
    for indicator_id, period, value in Target.objects.filter(
        indicator__in=[r.indicator.pk for r in rows]
    ).values_list("indicator_id", "period", "value"):
        targets.setdefault(indicator_id, {})[period] = value
    for row in rows:
        _fill(row, cycles, grouped, targets.get(row.indicator.pk, {}))
    return rows


def _combine(indicator: Indicator, cell: dict[str, Any] | None) -> Decimal | None:
    """One cell's entities, combined as aggregation.combine_entities / combine_ratios do, from
    the sums the database already made (a cell where nobody reported stays missing)."""
    if cell is None:
        return None
    if indicator.unit == Indicator.Unit.PERCENT:
        if cell["numerator"] is None or cell["denominator"] is None:
            return None
        return agg.Ratio(_dec(cell["numerator"]), _dec(cell["denominator"])).percent
    if not cell["reported"]:
        return None
    rule = agg.EntityRule(indicator.entity_rule)
    if rule is agg.EntityRule.SUM:
        return _dec(cell["total"])
    if rule is agg.EntityRule.MEAN:
        return _dec(cell["total"]) / cell["reported"]
    return _dec(cell["top"])


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _fill(
    row: Row,
    cycles: list[Cycle],
    grouped: dict[tuple[int, int], dict[str, Any]],
    targets: dict[str, Decimal],
) -> None:
    indicator = row.indicator
    rule = agg.PeriodRule(indicator.period_rule)
    actuals = [_combine(indicator, grouped.get((indicator.pk, c.pk))) for c in cycles]
    running = agg.to_date(actuals, rule)
    period_targets = [targets.get(c.code) for c in cycles]
    # A flow is judged per period, a level or running total by its value to date.
    judged = actuals if rule is agg.PeriodRule.SUM else running
    for cycle, actual, to_date, target, value in zip(
        cycles, actuals, running, period_targets, judged, strict=True
    ):
        row.cells.append(
            Cell(
                cycle=cycle,
                target=target,
                actual=actual,
                to_date=to_date,
                achievement=agg.achievement(value, target, indicator.baseline, indicator.increase),
                status=agg.status(value, target, indicator.baseline, indicator.increase),
                entities=(grouped.get((indicator.pk, cycle.pk)) or {}).get("entities", 0),
            )
        )
    row.span_target = agg.span_target(
        [targets[k] for k in sorted(targets)], indicator.end_target, rule
    )
    reported = [c for c in row.cells if c.actual is not None]
    row.latest = reported[-1] if reported else None


def update_indicators(update: ProgressUpdate) -> list[Indicator]:
    """The indicators of the update's deliverable and of its result, each with the value this
    entity reported for this cycle (or None): entered from the indicator's page."""
    deliverable = update.assignment.deliverable
    indicators = list(
        Indicator.objects.filter(
            Q(deliverable=deliverable) | Q(result_id=deliverable.result_id), retired_in__isnull=True
        ).order_by("position")
    )
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            indicator__in=indicators,
            cycle_id=update.cycle_id,
            entity_id=update.assignment.entity_id,
        )
    }
    for indicator in indicators:
        indicator.reported = values.get(indicator.pk)  # type: ignore[attr-defined]
    return indicators
