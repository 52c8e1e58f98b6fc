"""Writing audit entries. Services call `log` inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from core.models import AuditEntry


def log(
    *,
    action: str,
    obj: models.Model,
    actor: AbstractBaseUser | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    # core sits below accounts: the actor is any user model, stored by its key.
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        actor_id=actor_id,
        data=data or {},
    )
