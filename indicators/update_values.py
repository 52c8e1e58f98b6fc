"""The indicator values of a progress update: the part of the update the indicators app keeps
(`reporting.hooks.UpdatePart`). The update's page lists the indicators of its deliverable and
result with this entity's value; the edit page has a value form for each typed indicator the
entity reports, saved in the update's own transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict

from accounts.models import User
from indicators.forms import ValueForm
from indicators.selectors import update_indicators
from indicators.services import IndicatorError, categories_of, reporting_entity_ids, value_save
from reporting.hooks import UpdatePart
from reporting.models import Cycle, ProgressUpdate


def value_forms(update: ProgressUpdate, data: QueryDict | None) -> list[tuple[Any, Any]]:
    """A value form for each typed indicator this entity reports on the update's deliverable or
    result, while the cycle is open."""
    if update.cycle.state != Cycle.State.OPEN:
        return []
    entity = update.assignment.entity
    out = []
    for indicator in update_indicators(update):
        if indicator.computed or entity.pk not in reporting_entity_ids(indicator):
            continue
        categories = categories_of(indicator) if indicator.unit in ("number", "percent") else []
        if entity.kind == entity.Kind.MISSION:
            # A mission reports for itself: a breakdown by mission would be the total again.
            categories = [c for c in categories if c.dimension.code != "mission"]
        form = ValueForm(
            data,
            prefix=f"ind{indicator.pk}",
            indicator=indicator,
            entities=None,
            categories=categories,
            initial=_value_initial(getattr(indicator, "reported", None), entity.pk, categories),
        )
        out.append((indicator, form))
    return out


def _value_initial(value: Any, entity_id: int, categories: list[Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {"entity": entity_id}
    if value is None:
        return initial
    initial.update(
        {
            "value": _short(value.value),
            "numerator": _short(value.numerator),
            "denominator": _short(value.denominator),
            "note": value.note,
        }
    )
    parts = {b.category_id: b for b in value.breakdowns.all()}
    for category in categories:
        part = parts.get(category.pk)
        if part is not None:
            initial[f"cat_{category.pk}"] = _short(part.amount)
            initial[f"cat_{category.pk}_num"] = _short(part.numerator)
            initial[f"cat_{category.pk}_den"] = _short(part.denominator)
    return initial


def _short(value: Any) -> Any:
    """1.0000 as 1 and 12.5000 as 12.5 in the form, as people typed them."""
    if value is None:
        return None
    normal = value.normalize()
    return normal.quantize(1) if normal == normal.to_integral_value() else normal


def values_save(update: ProgressUpdate, values: list[tuple[Any, Any]], actor: User) -> bool:
    ok = True
    for indicator, form in values:
        data = form.to_input()
        if data.value is None and data.numerator is None and data.denominator is None:
            continue  # left empty: not reported this time
        try:
            value_save(
                indicator=indicator,
                cycle=update.cycle,
                entity=update.assignment.entity,
                actor=actor,
                data=data,
            )
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
            ok = False
        except IndicatorError as error:
            form.add_error(None, str(error))
            ok = False
    return ok


PART = UpdatePart(
    detail_name="indicators",
    detail=update_indicators,
    forms_name="value_forms",
    forms=value_forms,
    save=values_save,
)
