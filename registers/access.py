"""Who may do what with the register of crimes against peacekeepers: the one place that reads
roles for the register. `register_access_for(user)` reads them from `accounts.access`.
Which cases a user sees is decided by `selectors.cases_visible_to`, from this object.

The rules, role by role, are in docs/registers.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser

from accounts.access import access_for
from accounts.models import Role, User


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


def register_access_for(user: User | AnonymousUser | None) -> RegisterAccess:
    """The register's reading of the user's access (`accounts.access`), cached on the user."""
    access = access_for(user)
    if not access.authenticated:
        return ANONYMOUS
    cached = getattr(user, "_a4p_register_access", None)
    if cached is not None:
        return cached
    missions: set[int] = set()
    edit_missions: set[int] = set()
    all_cases = edit_all = False
    for m in access.memberships:
        if m.role == Role.MEMBER_STATE_DELEGATE and m.member_state_id:
            continue
        if m.on_mission and m.entity_id:
            missions.add(m.entity_id)
            if m.role == Role.REGISTER_OFFICER:
                edit_missions.add(m.entity_id)
        elif m.role == Role.REGISTER_OFFICER:
            all_cases = edit_all = True
        elif m.role in (Role.SENIOR_LEADERSHIP, Role.ADMINISTRATOR):
            all_cases = True
    if access.superuser:
        all_cases = True
    aggregates = all_cases or bool(missions) or Role.PLANNING_UNIT in access.roles
    role_label, organisation = access.acting_as()
    register_access = RegisterAccess(
        authenticated=True,
        all_cases=all_cases,
        edit_all=edit_all,
        missions=frozenset(missions),
        edit_missions=frozenset(edit_missions),
        states=access.states,
        aggregates=aggregates,
        role=role_label,
        organisation=organisation,
    )
    setattr(user, "_a4p_register_access", register_access)  # noqa: B010  (cached on the user)
    return register_access
