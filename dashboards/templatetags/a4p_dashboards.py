from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{number_format(round(value), 0)} %"


@register.filter
def points(value: float | None) -> str:
    """A change of a share, in percentage points, signed."""
    if value is None:
        return "—"
    rounded = round(value)
    sign = "+" if rounded > 0 else ("\u2212" if rounded < 0 else "\u00b1")  # minus sign, plus-minus
    return f"{sign}{abs(rounded)}"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None
