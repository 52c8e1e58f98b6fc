"""Reads of the reference data: entities, missions and Member States are public."""

from __future__ import annotations

from core.models import Entity


def entity_by_code(code: str) -> Entity | None:
    return Entity.objects.filter(code=code).first() if code else None
