"""Showing indicator values in their unit: 12.5 %, yes/no, a step of a scale, or a number."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def amount(value: Decimal | None, indicator: Any) -> str:
    if value is None:
        return "—"
    unit = indicator.unit
    if unit == "percent":
        return f"{number_format(round(value, 1), 1)} %"
    if unit == "yesno":
        return _("yes") if value >= 1 else _("no")
    if unit == "ordinal":
        step = round(value)
        if value == step and 1 <= step <= len(indicator.scale):
            return f"{indicator.scale[step - 1]} ({step})"
        return number_format(round(value, 1), 1)  # a mean of steps
    if value == value.to_integral_value():
        return str(intcomma(int(value)))
    return number_format(round(value, 2), 2)
