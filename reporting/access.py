"""Who may do what with progress updates: the one place that reads roles for reporting.

`access_for(user)` reads the user's memberships once per request and answers every question the
views and services ask. Visibility itself is decided by `selectors.updates_visible_to`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from reporting.models import Cycle, ProgressUpdate


@dataclass(frozen=True)
class Access:
    authenticated: bool = False
    internal: bool = False
    planner: bool = False
    leadership: bool = False
    focal_entities: frozenset[int] = field(default_factory=frozenset)
    reviewer_entities: frozenset[int] = field(default_factory=frozenset)

    @property
    def sees_all_updates(self) -> bool:
        return self.planner or self.leadership

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


ANONYMOUS = Access()


def access_for(user: Any) -> Access:
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_a4p_access", None)
    if cached is not None:
        return cached
    roles: dict[str, set[int]] = {}
    for role, entity_id in user.memberships.values_list("role", "entity_id"):
        roles.setdefault(role, set())
        if entity_id:
            roles[role].add(entity_id)
    access = Access(
        authenticated=True,
        # UN staff in any role; a Member State delegate alone is not (they see what concerns
        # their State, and the public editions).
        internal=bool(set(roles) - {Role.MEMBER_STATE_DELEGATE}) or user.is_superuser,
        planner=Role.PLANNING_UNIT in roles or Role.ADMINISTRATOR in roles or user.is_superuser,
        leadership=Role.SENIOR_LEADERSHIP in roles,
        focal_entities=frozenset(roles.get(Role.FOCAL_POINT, ())),
        reviewer_entities=frozenset(roles.get(Role.REVIEWER, ())),
    )
    user._a4p_access = access
    return access


def require_internal(user: Any) -> None:
    """Internal pages (work plans, cycles, indicator values) answer 404 to anyone else."""
    if not access_for(user).internal:
        raise Http404


def is_writable(update: ProgressUpdate) -> bool:
    """The cycle is open, or the planning unit reopened this update."""
    return update.cycle.state == Cycle.State.OPEN or update.reopened


def is_author(user: Any, update: ProgressUpdate) -> bool:
    access = access_for(user)
    return access.planner or update.assignment.entity_id in access.focal_entities


def is_reviewer(user: Any, update: ProgressUpdate) -> bool:
    access = access_for(user)
    if access.planner:
        return True
    ids = access.reviewer_entities
    entity = update.assignment.entity
    mission = getattr(entity, "mission", None)
    return (
        entity.pk in ids
        or entity.parent_id in ids
        or (mission is not None and (mission.regional_asg_id in ids or mission.division_id in ids))
    )


def can_edit(user: Any, update: ProgressUpdate) -> bool:
    return update.is_with_author and is_writable(update) and is_author(user, update)


def can_review(user: Any, update: ProgressUpdate) -> bool:
    return update.is_with_reviewer and is_writable(update) and is_reviewer(user, update)


def can_reopen(user: Any, update: ProgressUpdate) -> bool:
    return (
        access_for(user).planner
        and update.cycle.state == Cycle.State.CLOSED
        and not update.reopened
    )
