"""Writes to users and memberships."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Membership, Role, User
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
