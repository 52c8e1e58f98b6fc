"""Writes to users and memberships."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Role, SignInEvent, User
from core import audit
from core.models import Entity, MemberState


@transaction.atomic
def membership_grant(
    *,
    user: User,
    role: Role,
    entity: Entity | None = None,
    member_state: MemberState | None = None,
    actor: User | None = None,
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, entity=entity, member_state=member_state
    )
    if created:
        audit.log(
            action="membership.granted",
            obj=membership,
            actor=actor,
            data={
                "user": user.username,
                "role": role.value,
                "entity": entity.code if entity else None,
                "member_state": member_state.iso3 if member_state else None,
            },
        )
    return membership


def sign_in_event_record(
    *,
    username: str,
    outcome: SignInEvent.Outcome,
    method: SignInEvent.Method,
    ip: str | None,
    user: User | None = None,
) -> SignInEvent:
    """Record a sign-in attempt; a username that names an account is attached to it, so its
    owner sees attempts made by others too."""
    username = username[:150]
    if user is None and username:
        user = User.objects.filter(username__iexact=username).first()
    return SignInEvent.objects.create(
        user=user,
        username=username,
        at=timezone.now(),
        ip=ip,
        outcome=outcome,
        method=method,
    )


def password_chosen(*, user: User) -> None:
    """The user set a password of their own: the one-time password's obligation ends."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
