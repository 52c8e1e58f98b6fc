"""Who a signed-in user is, for every app: the one place that reads memberships.

`access_for(user)` reads the user's memberships once per request (one query, cached on the user)
and returns an `Access`: the roles held and what each is attached to. Every app decides what a
user may see from this object, through its own gates (`<things>_visible_to(user)`), and never
reads `Membership` itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from accounts.models import Role, User
from core.models import Entity

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


# The role named in access logs when a user holds several: the most specific first.
ROLE_ORDER = [
    Role.MEMBER_STATE_DELEGATE,
    Role.REGISTER_OFFICER,
    Role.SENIOR_LEADERSHIP,
    Role.FOCAL_POINT,
    Role.REVIEWER,
    Role.PLANNING_UNIT,
    Role.ADMINISTRATOR,
]


@dataclass(frozen=True)
class Membership:
    """One membership as the access layer reads it: the role and what it is attached to."""

    role: str
    entity_id: int | None = None
    entity_kind: str = ""
    entity_label: str = ""
    member_state_id: int | None = None
    member_state_name: str = ""

    @property
    def on_mission(self) -> bool:
        return self.entity_kind == Entity.Kind.MISSION


@dataclass(frozen=True)
class Access:
    authenticated: bool = False
    superuser: bool = False
    memberships: tuple[Membership, ...] = ()
    # UN staff in any role; a Member State delegate alone is not (they see what concerns their
    # State, and the public editions).
    internal: bool = False
    planner: bool = False
    leadership: bool = False
    focal_entities: frozenset[int] = field(default_factory=frozenset)
    reviewer_entities: frozenset[int] = field(default_factory=frozenset)
    # The Member States a delegate acts for.
    states: frozenset[int] = field(default_factory=frozenset)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.memberships)

    @property
    def sees_all_updates(self) -> bool:
        return self.planner or self.leadership

    @property
    def in_reporting(self) -> bool:
        """Takes part in progress reporting: writes, reviews or reads every update. A delegate
        or a register officer alone does not, and gets 404 on its pages."""
        return self.sees_all_updates or bool(self.focal_entities or self.reviewer_entities)

    def reviewer_scope(self) -> Q:
        """Updates a reviewer acts on: of the entities they review, of the missions under those
        regional offices or divisions, and of the units under those offices."""
        ids = self.reviewer_entities
        return (
            Q(assignment__entity_id__in=ids)
            | Q(assignment__entity__mission__regional_asg_id__in=ids)
            | Q(assignment__entity__mission__division_id__in=ids)
            | Q(assignment__entity__parent_id__in=ids)
        )

    def acting_as(self) -> tuple[str, str]:
        """The role and organisation an access log names (not the person)."""
        if not self.memberships:
            return (Role.ADMINISTRATOR.value if self.superuser else "", "")
        order: dict[str, int] = {role.value: i for i, role in enumerate(ROLE_ORDER)}
        first = min(self.memberships, key=lambda m: order.get(m.role, len(order)))
        return first.role, first.member_state_name or first.entity_label


ANONYMOUS = Access()


def access_for(user: User | AnonymousUser | None) -> Access:
    if not isinstance(user, User):
        return ANONYMOUS
    cached = getattr(user, "_a4p_access", None)
    if cached is not None:
        return cached
    memberships = tuple(
        Membership(
            role=role,
            entity_id=entity_id,
            entity_kind=kind or "",
            entity_label=acronym or code or "",
            member_state_id=state_id,
            member_state_name=state or "",
        )
        for role, entity_id, kind, acronym, code, state_id, state in user.memberships.values_list(
            "role",
            "entity_id",
            "entity__kind",
            "entity__acronym",
            "entity__code",
            "member_state_id",
            "member_state__name",
        )
    )
    roles = {m.role for m in memberships}

    def entities(role: Role) -> frozenset[int]:
        return frozenset(m.entity_id for m in memberships if m.role == role and m.entity_id)

    access = Access(
        authenticated=True,
        superuser=user.is_superuser,
        memberships=memberships,
        internal=bool(roles - {Role.MEMBER_STATE_DELEGATE}) or user.is_superuser,
        planner=Role.PLANNING_UNIT in roles or Role.ADMINISTRATOR in roles or user.is_superuser,
        leadership=Role.SENIOR_LEADERSHIP in roles,
        focal_entities=entities(Role.FOCAL_POINT),
        reviewer_entities=entities(Role.REVIEWER),
        states=frozenset(
            m.member_state_id
            for m in memberships
            if m.role == Role.MEMBER_STATE_DELEGATE and m.member_state_id
        ),
    )
    setattr(user, "_a4p_access", access)  # noqa: B010  (the request's user carries it)
    return access


def require_internal(user: User | AnonymousUser | None) -> None:
    """Internal pages (work plans, cycles, indicator values) answer 404 to anyone else."""
    if not access_for(user).internal:
        raise Http404
