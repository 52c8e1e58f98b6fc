"""The demo cast: one user per role, each attached where that role works."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.db import transaction

from accounts.models import Role, User
from accounts.services import membership_grant
from core.models import Entity, MemberState

DEFAULT_DEMO_PASSWORD = "demo-peacekeeping"  # noqa: S105  (printed on purpose; demo only)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    entity: str | None = None
    member_state: str | None = None


DEMO_USERS = [
    DemoUser("planner", "Amina", "Diallo", Role.PLANNING_UNIT, entity="dpo-ousg-iapu"),
    DemoUser("focal.minusca", "Jean", "Mbeki", Role.FOCAL_POINT, entity="minusca"),
    DemoUser("focal.oma", "Priya", "Raman", Role.FOCAL_POINT, entity="dpo-oma"),
    DemoUser("reviewer.africa", "Kwame", "Asante", Role.REVIEWER, entity="asg-africa"),
    DemoUser("leader", "Elena", "Varga", Role.SENIOR_LEADERSHIP, entity="dpo"),
    DemoUser("delegate.bgd", "Farhan", "Rahman", Role.MEMBER_STATE_DELEGATE, member_state="BGD"),
    DemoUser("registrar", "Sofia", "Morales", Role.REGISTER_OFFICER, entity="dpo-opsp"),
    DemoUser("admin", "Alex", "Kim", Role.ADMINISTRATOR),
]


def demo_password() -> str:
    return os.environ.get("A4P_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


@transaction.atomic
def demo_users_ensure() -> list[DemoUser]:
    """Create the demo users that are missing, with the demo password; idempotent. A user that
    exists already keeps its password and its rights: a password changed since is not reset,
    and an account of the same name made by someone else gets no known password."""
    password = demo_password()
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.invalid",
            },
        )
        is_admin = spec.role == Role.ADMINISTRATOR
        if created:
            user.set_password(password)
            user.is_staff = user.is_superuser = is_admin
            user.save(update_fields=["password", "is_staff", "is_superuser"])
        membership_grant(
            user=user,
            role=spec.role,
            entity=Entity.objects.get(code=spec.entity) if spec.entity else None,
            member_state=MemberState.objects.get(iso3=spec.member_state)
            if spec.member_state
            else None,
        )
    return DEMO_USERS
