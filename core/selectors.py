"""Reads of the reference data (entities, missions and Member States are public) and of the
audit trail. Who may read the trail is decided above core (`accounts.selectors`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from core.models import AuditEntry, Entity


def entity_by_code(code: str) -> Entity | None:
    return Entity.objects.filter(code=code).first() if code else None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(
    *,
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, with their actor; each filter given narrows them. `actor` is
    a username (any case); `since` and `until` are days in the current time zone, both included."""
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
    if actor:
        entries = entries.filter(actor__username__iexact=actor)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if action:
        entries = entries.filter(action=action)
    if since is not None:
        entries = entries.filter(at__gte=_start_of(since))
    if until is not None:
        entries = entries.filter(at__lt=_start_of(until + timedelta(days=1)))
    return entries


def audit_object_types() -> list[str]:
    """The object types the trail names, for a filter's choices."""
    return list(
        AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())
