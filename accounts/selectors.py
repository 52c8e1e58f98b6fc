from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Membership, User


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user.pk).select_related("entity", "member_state")
