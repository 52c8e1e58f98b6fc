"""Reads of users and memberships. Which roles a signed-in user holds is `accounts.access`; this
module answers the other way round: who holds a role for an entity or a Member State."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Membership, Role, SignInEvent, User

SIGN_IN_HISTORY_DAYS = 90


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user.pk).select_related("entity", "member_state")


def users_holding(
    role: Role,
    *,
    entity_ids: Collection[int] | QuerySet[Any] | None = None,
    state_ids: Collection[int] | QuerySet[Any] | None = None,
) -> QuerySet[User]:
    """Active users who hold the role for one of these entities or Member States."""
    # One filter() call: the conditions hold on the same membership, not on any two.
    held: dict[str, object] = {"memberships__role": role}
    if entity_ids is not None:
        held["memberships__entity_id__in"] = entity_ids
    if state_ids is not None:
        held["memberships__member_state_id__in"] = state_ids
    return User.objects.filter(is_active=True, **held).distinct()


def sign_in_events_of(user: User) -> QuerySet[SignInEvent]:
    """The user's own sign-in attempts of the last `SIGN_IN_HISTORY_DAYS` days, newest first."""
    since = timezone.now() - timedelta(days=SIGN_IN_HISTORY_DAYS)
    return SignInEvent.objects.filter(user_id=user.pk, at__gte=since).order_by("-at", "-pk")
