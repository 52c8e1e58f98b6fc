"""Reads of users and memberships. Which roles a signed-in user holds is `accounts.access`; this
module answers the other way round: who holds a role for an entity or a Member State. It also
holds the gate of the audit trail, which core keeps but cannot restrict by role."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Collection
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from accounts.access import access_for
from accounts.models import ApiToken, Membership, Role, SignInEvent, User
from core.models import AuditEntry
from core.selectors import audit_entries

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


def audit_entries_visible_to(user: User | AnonymousUser, **filters: Any) -> QuerySet[AuditEntry]:
    """The gate of the audit trail: administrators and the planning unit read all of it (with the
    filters of `core.selectors.audit_entries`); anyone else reads nothing."""
    if not reads_audit_trail(user):
        return AuditEntry.objects.none()
    return audit_entries(**filters)


def reads_audit_trail(user: User | AnonymousUser | None) -> bool:
    return access_for(user).planner


def sign_in_events_of(user: User) -> QuerySet[SignInEvent]:
    """The user's own sign-in attempts of the last `SIGN_IN_HISTORY_DAYS` days, newest first."""
    since = timezone.now() - timedelta(days=SIGN_IN_HISTORY_DAYS)
    return SignInEvent.objects.filter(user_id=user.pk, at__gte=since).order_by("-at", "-pk")


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked ones included, marked)."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def token_for(raw: str) -> ApiToken | None:
    """The live token this string is (`a4p_<prefix>_<secret>`), or None: unknown, wrong secret,
    revoked, expired, or its user inactive. One query."""
    parts = raw.split("_")
    if len(parts) < 3 or parts[0] != "a4p" or not parts[1]:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, token_digest(raw)):
        return None
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return None
    return token


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_of(user: User, pk: object) -> ApiToken | None:
    """One of the user's own tokens, or None (another user's token is as missing as none)."""
    try:
        number = int(pk)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return ApiToken.objects.filter(user_id=user.pk, pk=number).first()


def token_by_prefix(prefix: str) -> ApiToken | None:
    """The token with this prefix (the command's `token revoke PREFIX`), or None."""
    return ApiToken.objects.select_related("user").filter(prefix=prefix).first()


def user_named(username: str) -> User | None:
    return User.objects.filter(username=username).first()
