"""Who may do what with a progress update, from the user's access (`accounts.access`).

Which updates a user sees is decided by `selectors.updates_visible_to`.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from accounts.access import access_for
from accounts.models import User
from reporting.models import Cycle, ProgressUpdate


def is_writable(update: ProgressUpdate) -> bool:
    """The cycle is open, or the planning unit reopened this update."""
    return update.cycle.state == Cycle.State.OPEN or update.reopened


def is_author(user: User | AnonymousUser, update: ProgressUpdate) -> bool:
    access = access_for(user)
    return access.planner or update.assignment.entity_id in access.focal_entities


def is_reviewer(user: User | AnonymousUser, update: ProgressUpdate) -> bool:
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


def can_edit(user: User | AnonymousUser, update: ProgressUpdate) -> bool:
    return update.is_with_author and is_writable(update) and is_author(user, update)


def can_review(user: User | AnonymousUser, update: ProgressUpdate) -> bool:
    return update.is_with_reviewer and is_writable(update) and is_reviewer(user, update)


def can_reopen(user: User | AnonymousUser, update: ProgressUpdate) -> bool:
    return (
        access_for(user).planner
        and update.cycle.state == Cycle.State.CLOSED
        and not update.reopened
    )
