"""Who may do what with the register of crimes against peacekeepers: the one place that reads
roles for the register. `register_access_for(user)` reads the user's memberships once per request.
Which cases a user sees is decided by `selectors.cases_visible_to`, from this object.

The rules, role by role, are in docs/registers.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts.models import Role
from core.models import Entity


@dataclass(frozen=True)
class RegisterAccess:
    authenticated: bool = False
    all_cases: bool = False
    edit_all: bool = False
    missions: frozenset[int] = field(default_factory=frozenset)
    edit_missions: frozenset[int] = field(default_factory=frozenset)
    states: frozenset[int] = field(default_factory=frozenset)
    aggregates: bool = False
    role: str = ""
    organisation: str = ""

    @property
    def any_cases(self) -> bool:
        return self.all_cases or bool(self.missions) or bool(self.states)

    @property
    def any(self) -> bool:
        return self.any_cases or self.aggregates

    @property
    def is_delegate(self) -> bool:
        return bool(self.states)

    @property
    def can_create(self) -> bool:
        return self.edit_all or bool(self.edit_missions)

    def full_view(self, case: Any) -> bool:
        """Whether the user sees the case as UN staff (every field) rather than as a concerned
        Member State (the fields shared with States)."""
        return self.all_cases or case.mission_id in self.missions

    def can_edit(self, case: Any) -> bool:
        return self.edit_all or case.mission_id in self.edit_missions


ANONYMOUS = RegisterAccess()

# The role named in the access log when a user holds several: the most specific first.
ROLE_ORDER = [
    Role.MEMBER_STATE_DELEGATE,
    Role.REGISTER_OFFICER,
    Role.SENIOR_LEADERSHIP,
    Role.FOCAL_POINT,
    Role.REVIEWER,
    Role.PLANNING_UNIT,
    Role.ADMINISTRATOR,
]


def register_access_for(user: Any) -> RegisterAccess:
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_a4p_register_access", None)
    if cached is not None:
        return cached
    memberships = list(
        user.memberships.values_list(
            "role",
            "entity_id",
            "entity__kind",
            "entity__acronym",
            "entity__code",
            "member_state_id",
            "member_state__name",
        )
    )
    roles = {m[0] for m in memberships}
    missions: set[int] = set()
    edit_missions: set[int] = set()
    states: set[int] = set()
    all_cases = edit_all = False
    for role, entity_id, kind, _acronym, _code, state_id, _state in memberships:
        on_mission = kind == Entity.Kind.MISSION
        if role == Role.MEMBER_STATE_DELEGATE and state_id:
            states.add(state_id)
        elif on_mission:
            missions.add(entity_id)
            if role == Role.REGISTER_OFFICER:
                edit_missions.add(entity_id)
        elif role == Role.REGISTER_OFFICER:
            all_cases = edit_all = True
        elif role in (Role.SENIOR_LEADERSHIP, Role.ADMINISTRATOR):
            all_cases = True
    if user.is_superuser:
        all_cases = True
    aggregates = all_cases or bool(missions) or bool(roles & {Role.PLANNING_UNIT})
    role_label, organisation = _acting_as(memberships, user)
    access = RegisterAccess(
        authenticated=True,
        all_cases=all_cases,
        edit_all=edit_all,
        missions=frozenset(missions),
        edit_missions=frozenset(edit_missions),
        states=frozenset(states),
        aggregates=aggregates,
        role=role_label,
        organisation=organisation,
    )
    user._a4p_register_access = access
    return access


def _acting_as(memberships: list[tuple[Any, ...]], user: Any) -> tuple[str, str]:
    """The role and organisation the access log names (not the person)."""
    if not memberships:
        return (Role.ADMINISTRATOR.value if user.is_superuser else "", "")
    order = {role: i for i, role in enumerate(ROLE_ORDER)}
    role, _eid, _kind, acronym, code, _sid, state = min(
        memberships, key=lambda m: order.get(m[0], len(order))
    )
    return role, state or acronym or code or ""
