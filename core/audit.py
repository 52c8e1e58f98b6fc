"""Writing audit entries. Services call `log` inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from core.models import AuditEntry


def log(
    *, action: str, obj: models.Model, actor: Any = None, data: dict[str, Any] | None = None
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        actor=user,
        data=data or {},
    )
