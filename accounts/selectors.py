from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import Membership


def memberships_of(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user.pk).select_related("entity", "member_state")
