"""Writes every register shares: the access log of reads, and the notifications that tell the
concerned Member States a record changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from accounts.models import User
from registers.access import register_access_for
from registers.kernel.concern import Concern
from registers.kernel.log import AccessEntry
from registers.kernel.selectors import delegates_of
from reporting.models import Notification


def accesses_record(
    *,
    log: type[AccessEntry],
    user: User | AnonymousUser,
    record_ids: Iterable[int],
    action: str,
) -> int:
    """One row per record read, naming the reader's role and organisation. Not an audit entry of
    its own: the log is the audit of reads."""
    reader = register_access_for(user)
    rows = [
        log(
            **{f"{log.RECORD}_id": pk},
            user=user if isinstance(user, User) else None,
            action=action,
            role=reader.role,
            organisation=reader.organisation,
        )
        for pk in record_ids
    ]
    log._default_manager.bulk_create(rows, batch_size=1000)
    return len(rows)


def concerned_notify(*, concern: Concern, record: Any, kind: str, link: str, event: str) -> int:
    """Tell the active delegates of every State the record concerns that it changed: one
    notification per delegate and event (`event` names it), so a repeat tells nobody twice."""
    made = 0
    for user in delegates_of(concern.states_of(record)):
        try:
            with transaction.atomic():
                Notification.objects.create(
                    user=user, kind=kind, link=link, key=f"{event}:{user.pk}"
                )
                made += 1
        except IntegrityError:
            continue
    return made
