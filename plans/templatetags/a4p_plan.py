"""Showing plan-file values to people: targets as "2023-H1: 15; 2023-H2: 15", entity lists as
their codes, instead of Python's own notation."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def plain(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        if set(value) <= {"entity", "scope", "level"} and "entity" in value:
            extra = ", ".join(str(value[k]) for k in ("level", "scope") if value.get(k))
            return f"{value['entity']} ({extra})" if extra else str(value["entity"])
        return "; ".join(f"{k}: {plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value) or "—"
    return str(value)
