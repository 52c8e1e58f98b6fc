"""Writes of indicator values: typed ones (with their disaggregations) and computed ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import access_for
from accounts.models import User
from core import audit
from core.models import Entity
from indicators.computed import COMPUTED
from indicators.models import Breakdown, Category, Indicator, IndicatorValue
from plans.models import Assignment
from reporting.models import Cycle


class IndicatorError(Exception):
    """A refused action; the message is for the user."""


@dataclass
class ValueInput:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""
    # category id → (amount, numerator, denominator)
    breakdowns: dict[int, tuple[Decimal | None, Decimal | None, Decimal | None]] = field(
        default_factory=dict
    )


def reporting_entity_ids(indicator: Indicator) -> set[int]:
    """Entities that report an indicator: those whose work plans hold the deliverable it is
    attached to, or a deliverable of its result or priority."""
    assignments = Assignment.objects.filter(active=True)
    if indicator.deliverable_id:
        assignments = assignments.filter(deliverable_id=indicator.deliverable_id)
    elif indicator.result_id:
        assignments = assignments.filter(deliverable__result_id=indicator.result_id)
    else:
        assignments = assignments.filter(deliverable__result__priority=indicator.priority)
    return set(assignments.values_list("entity_id", flat=True))


def can_enter(
    user: User | AnonymousUser, indicator: Indicator, cycle: Cycle, entity: Entity
) -> bool:
    if indicator.computed or cycle.state != Cycle.State.OPEN:
        return False
    a = access_for(user)
    return a.planner or entity.pk in a.focal_entities


def _check_value(indicator: Indicator, data: ValueInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    unit = indicator.unit
    if unit == Indicator.Unit.PERCENT:
        if data.numerator is None or data.denominator is None:
            errors["numerator"] = _("A percentage is entered as its numerator and denominator.")
        elif data.denominator <= 0:
            errors["denominator"] = _("The denominator must be more than zero.")
        elif not 0 <= data.numerator <= data.denominator:
            errors["numerator"] = _("The numerator must be between zero and the denominator.")
        return errors
    if data.value is None:
        errors["value"] = _("Enter a value, or leave the indicator unreported.")
    elif unit == Indicator.Unit.YESNO and data.value not in (0, 1):
        errors["value"] = _("Answer yes (1) or no (0).")
    elif unit == Indicator.Unit.ORDINAL and (
        data.value != data.value.to_integral_value() or not 1 <= data.value <= len(indicator.scale)
    ):
        errors["value"] = _("Choose a step of the scale, 1 to %(n)d.") % {"n": len(indicator.scale)}
    elif unit == Indicator.Unit.NUMBER and data.value < 0:
        errors["value"] = _("A count cannot be negative.")
    return errors


def _check_breakdowns(
    indicator: Indicator, data: ValueInput, categories: list[Category]
) -> dict[str, str]:
    """Per dimension: all categories or none, and the parts add up to the total."""
    errors: dict[str, str] = {}
    percent = indicator.unit == Indicator.Unit.PERCENT
    by_dimension: dict[int, list[Category]] = {}
    for category in categories:
        by_dimension.setdefault(category.dimension_id, []).append(category)
    for cats in by_dimension.values():
        dimension = cats[0].dimension
        given = [c for c in cats if any(v is not None for v in data.breakdowns.get(c.pk, ()))]
        if not given:
            continue
        missing = [c.name for c in cats if c not in given]
        if missing:
            errors[f"dim_{dimension.code}"] = _(
                "%(dimension)s: give every category or none; missing %(missing)s."
            ) % {"dimension": dimension.name, "missing": ", ".join(missing)}
            continue
        parts = [data.breakdowns[c.pk] for c in cats]
        if percent:
            if any(p[1] is None or p[2] is None for p in parts):
                errors[f"dim_{dimension.code}"] = _(
                    "%(dimension)s: give a numerator and a denominator for each category."
                ) % {"dimension": dimension.name}
                continue
            num = sum((p[1] for p in parts if p[1] is not None), Decimal(0))
            den = sum((p[2] for p in parts if p[2] is not None), Decimal(0))
            if (num, den) != (data.numerator, data.denominator):
                errors[f"dim_{dimension.code}"] = _(
                    "%(dimension)s: the categories add up to %(num)s of %(den)s, but the total "
                    "is %(total_num)s of %(total_den)s."
                ) % {
                    "dimension": dimension.name,
                    "num": num,
                    "den": den,
                    "total_num": data.numerator,
                    "total_den": data.denominator,
                }
        else:
            total = sum((p[0] for p in parts if p[0] is not None), Decimal(0))
            if any(p[0] is None for p in parts) or total != data.value:
                errors[f"dim_{dimension.code}"] = _(
                    "%(dimension)s: the categories add up to %(sum)s, but the total is %(total)s."
                ) % {"dimension": dimension.name, "sum": total, "total": data.value}
    return errors


def categories_of(indicator: Indicator) -> list[Category]:
    return list(
        Category.objects.filter(dimension__in=indicator.dimensions.all())
        .select_related("dimension")
        .order_by("dimension__position", "position")
    )


@transaction.atomic
def value_save(
    *, indicator: Indicator, cycle: Cycle, entity: Entity, actor: User, data: ValueInput
) -> IndicatorValue:
    """Store one entity's value for a cycle. Raises ValidationError (by field) for bad numbers
    and IndicatorError when the user may not enter it; writes nothing in either case."""
    if cycle.plan_id != indicator.plan_id or entity.pk not in reporting_entity_ids(indicator):
        raise IndicatorError(
            _("%(entity)s does not report indicator %(code)s.")
            % {"entity": entity.label, "code": indicator.code}
        )
    if not can_enter(actor, indicator, cycle, entity):
        raise IndicatorError(
            _(
                "Values are entered in an open cycle, by the entity's focal points or the planning "
                "unit; computed indicators are never typed."
            )
        )
    categories = categories_of(indicator) if indicator.unit in ("number", "percent") else []
    errors = _check_value(indicator, data) or _check_breakdowns(indicator, data, categories)
    if errors:
        raise ValidationError(errors)
    value = data.value
    if indicator.unit == Indicator.Unit.PERCENT:
        assert data.numerator is not None and data.denominator is not None
        value = data.numerator * 100 / data.denominator
    stored, created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        cycle=cycle,
        entity=entity,
        defaults={
            "value": value,
            "numerator": data.numerator,
            "denominator": data.denominator,
            "note": data.note,
            "entered_by": actor,
            "entered_at": timezone.now(),
        },
    )
    stored.breakdowns.all().delete()
    Breakdown.objects.bulk_create(
        Breakdown(
            value=stored,
            category=c,
            amount=data.breakdowns[c.pk][0],
            numerator=data.breakdowns[c.pk][1],
            denominator=data.breakdowns[c.pk][2],
        )
        for c in categories
        if c.pk in data.breakdowns and any(v is not None for v in data.breakdowns[c.pk])
    )
    audit.log(
        action="indicator.value_saved",
        obj=stored,
        actor=actor,
        data={
            "indicator": indicator.code,
            "cycle": cycle.code,
            "entity": entity.code,
            "value": str(value),
            "created": created,
        },
    )
    return stored


@transaction.atomic
def values_recalculate(*, cycle: Cycle) -> int:
    """Recompute every computed indicator of the cycle's plan; stale values are removed."""
    written = 0
    for indicator in Indicator.objects.filter(plan_id=cycle.plan_id).exclude(computed=""):
        results = COMPUTED[indicator.computed](cycle)
        IndicatorValue.objects.filter(indicator=indicator, cycle=cycle).exclude(
            entity_id__in=results
        ).delete()
        for entity_id, (value, numerator, denominator) in results.items():
            IndicatorValue.objects.update_or_create(
                indicator=indicator,
                cycle=cycle,
                entity_id=entity_id,
                defaults={
                    "value": value,
                    "numerator": numerator,
                    "denominator": denominator,
                    "note": "",
                    "entered_by": None,
                    "entered_at": timezone.now(),
                },
            )
            written += 1
    return written
