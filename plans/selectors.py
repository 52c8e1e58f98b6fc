"""Reads of the plan. Every view loads plans, deliverables and work plans through these
functions.

The plan is a public document, so every plan is visible to everyone, signed in or not; this is
still the one gate, so that unpublished revisions (plan versions) can be hidden here later.

Work plans are internal: their assignments and milestones are read by UN staff in any role
(`Access.internal`) and changed by the planning unit (`Access.planner`); each has its one gate
here (`assignments_visible_to`, `assignment_for`, `milestones_visible_to`, `milestone_for`),
which answers 404 to anyone else, as for what does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import access_for
from accounts.models import User
from core.models import Entity
from plans.models import (
    Assignment,
    Deliverable,
    DeliverableEntity,
    Milestone,
    Plan,
    PlanVersion,
    Priority,
    Result,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def plans_visible_to(user: User | AnonymousUser) -> QuerySet[Plan]:
    return Plan.objects.all()


def plan_for(user: User | AnonymousUser, code: str) -> Plan:
    plan = plans_visible_to(user).filter(code=code).first()
    if plan is None:
        raise Http404(_("No such plan."))
    return plan


def current_plan(user: User | AnonymousUser) -> Plan | None:
    return plans_visible_to(user).first()


def versions_visible_to(user: User | AnonymousUser, plan: Plan) -> QuerySet[PlanVersion]:
    """The plan's published versions, and its draft revision for the planning unit only (as the
    versions page shows them)."""
    versions = PlanVersion.objects.filter(plan=plan)
    if not access_for(user).planner:
        versions = versions.filter(state=PlanVersion.State.PUBLISHED)
    return versions.order_by("number")


def version_for(user: User | AnonymousUser, plan: Plan, number: int) -> PlanVersion:
    """One version of the plan; 404 if missing, or a draft asked for by anyone but a planner."""
    version = versions_visible_to(user, plan).filter(number=number).first()
    if version is None:
        raise Http404(_("No such version of the plan."))
    return version


def deliverables_visible_to(
    user: User | AnonymousUser, plan: Plan, *, include_retired: bool = False
) -> QuerySet[Deliverable]:
    """The plan's deliverables in force; retired ones (kept for their reports) on request."""
    deliverables = Deliverable.objects.filter(plan=plan)
    if not include_retired:
        deliverables = deliverables.filter(retired_in__isnull=True)
    return (
        deliverables.select_related("result__priority", "retired_in")
        .prefetch_related(
            "markers",
            Prefetch("parts", queryset=DeliverableEntity.objects.select_related("entity")),
        )
        .order_by("position")
    )


def deliverable_for(user: User | AnonymousUser, plan: Plan, code: str) -> Deliverable:
    deliverable = (
        deliverables_visible_to(user, plan, include_retired=True).filter(code=code).first()
    )
    if deliverable is None:
        raise Http404(_("No such deliverable."))
    return deliverable


def result_for(user: User | AnonymousUser, plan: Plan, code: str) -> Result:
    result = Result.objects.filter(plan=plan, code=code).select_related("priority").first()
    if result is None:
        raise Http404(_("No such result."))
    return result


def priority_for(user: User | AnonymousUser, plan: Plan, number: int) -> Priority:
    priority = Priority.objects.filter(plan=plan, number=number).first()
    if priority is None:
        raise Http404(_("No such priority."))
    return priority


def priorities_with_results(plan: Plan) -> list[Priority]:
    """Priorities with their results and deliverable counts, in three queries."""
    in_force = Q(deliverables__retired_in__isnull=True)
    results = Result.objects.filter(plan=plan).annotate(
        deliverable_count=Count("deliverables", filter=in_force)
    )
    return list(
        Priority.objects.filter(plan=plan)
        .prefetch_related(Prefetch("results", queryset=results.order_by("number")))
        .annotate(
            deliverable_count=Count(
                "results__deliverables", filter=Q(results__deliverables__retired_in__isnull=True)
            )
        )
    )


def entity_and_groups(entity: Entity) -> list[int]:
    """The entity and the groups it belongs to: MINUSCA answers for "Heads of Mission"."""
    return [entity.pk, *entity.groups.values_list("pk", flat=True)]


@dataclass(frozen=True)
class DeliverableFilter:
    q: str = ""
    entity: Entity | None = None
    role: str = ""
    marker: str = ""
    priority: int | None = None


def deliverable_search(
    queryset: QuerySet[Deliverable], f: DeliverableFilter
) -> QuerySet[Deliverable]:
    """Every word of the query must appear in the code, the text or the Lead line."""
    for word in f.q.split():
        queryset = queryset.filter(
            Q(text__icontains=word) | Q(lead_text__icontains=word) | Q(code__startswith=word)
        )
    if f.entity is not None:
        parts = DeliverableEntity.objects.filter(entity_id__in=entity_and_groups(f.entity))
        if f.role:
            parts = parts.filter(role=f.role)
        queryset = queryset.filter(pk__in=parts.values("deliverable_id"))
    elif f.role:
        queryset = queryset.filter(parts__role=f.role).distinct()
    if f.marker:
        queryset = queryset.filter(markers__code=f.marker)
    if f.priority:
        queryset = queryset.filter(result__priority__number=f.priority)
    return queryset


def entities_in_plan(plan: Plan) -> QuerySet[Entity]:
    """Entities named in the plan's Lead lines, with how many deliverables they lead or support."""
    in_plan = Q(parts__deliverable__plan=plan, parts__deliverable__retired_in__isnull=True)
    return (
        Entity.objects.filter(in_plan)
        .annotate(
            lead_count=Count("parts", filter=in_plan & Q(parts__role="lead")),
            support_count=Count("parts", filter=in_plan & Q(parts__role="support")),
            oversight_count=Count("parts", filter=in_plan & Q(parts__role="oversight")),
        )
        .select_related("parent")
        .order_by("kind", "acronym", "name")
    )


def entities_to_filter_by(plan: Plan) -> QuerySet[Entity]:
    """The entities the deliverable list can be filtered by: those named in the plan, and the
    missions of the plan's group of missions."""
    return (
        Entity.objects.filter(Q(parts__deliverable__plan=plan) | Q(mission__in_plan_group=True))
        .distinct()
        .order_by("kind", "acronym", "name")
    )


# Work plans ------------------------------------------------------------------------------------


def _may(user: User | AnonymousUser, *, to_edit: bool) -> bool:
    access = access_for(user)
    return access.planner if to_edit else access.internal


def assignments_visible_to(
    user: User | AnonymousUser, *, to_edit: bool = False
) -> QuerySet[Assignment]:
    """Every assignment for internal users (for the planning unit when `to_edit`), none for
    anyone else."""
    if not _may(user, to_edit=to_edit):
        return Assignment.objects.none()
    return Assignment.objects.all()


def assignment_for(
    user: User | AnonymousUser,
    assignment_id: int,
    *,
    plan: Plan,
    entity: Entity,
    to_edit: bool = False,
) -> Assignment:
    """The assignment of that entity in that plan; 404 if missing or not the user's to see."""
    assignment = (
        assignments_visible_to(user, to_edit=to_edit)
        .filter(pk=assignment_id, entity=entity, deliverable__plan=plan)
        .select_related("deliverable__plan", "entity")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def milestones_visible_to(
    user: User | AnonymousUser, *, to_edit: bool = False
) -> QuerySet[Milestone]:
    """The milestones of the assignments the user sees (or edits, when `to_edit`)."""
    return Milestone.objects.filter(assignment__in=assignments_visible_to(user, to_edit=to_edit))


def milestone_for(
    user: User | AnonymousUser, milestone_id: int, *, assignment: Assignment, to_edit: bool = False
) -> Milestone:
    """A milestone of that assignment; 404 if missing or not the user's to see."""
    milestone = (
        milestones_visible_to(user, to_edit=to_edit)
        .filter(pk=milestone_id, assignment=assignment)
        .first()
    )
    if milestone is None:
        raise Http404
    return milestone


def workplan_entity_for(user: User | AnonymousUser, code: str, *, to_edit: bool = False) -> Entity:
    """The entity whose work plan is asked for (groups have none; their members do); 404 if
    missing, or to anyone who may not read (or, when `to_edit`, change) work plans."""
    if not _may(user, to_edit=to_edit):
        raise Http404
    entity = Entity.objects.filter(code=code).exclude(kind=Entity.Kind.GROUP).first()
    if entity is None:
        raise Http404(_("No such entity."))
    return entity


def workplan_of(user: User | AnonymousUser, plan: Plan, entity: Entity) -> QuerySet[Assignment]:
    """The entity's work plan: its assignments in force, in the plan's order."""
    return (
        assignments_visible_to(user)
        .filter(deliverable__plan=plan, entity=entity, active=True)
        .select_related("deliverable", "via")
        .prefetch_related("focal_points", "milestones")
        .order_by("deliverable__position")
    )


@dataclass(frozen=True)
class Coverage:
    """How the plan is covered by work plans: per entity, and per deliverable."""

    entities: QuerySet[Entity]
    deliverables: Sequence[Deliverable]
    unassigned: Sequence[Deliverable]


def workplan_coverage(user: User | AnonymousUser, plan: Plan) -> Coverage:
    """Each entity with a work plan in the plan, with how many deliverables it has (as lead),
    and how many lack focal points or milestones; each deliverable with how many entities have
    it. 404 to anyone who may not read work plans."""
    if not _may(user, to_edit=False):
        raise Http404
    active = Q(assignments__active=True, assignments__deliverable__plan=plan)
    entities = (
        Entity.objects.filter(active)
        .annotate(
            assigned=Count("assignments", filter=active, distinct=True),
            leads=Count("assignments", filter=active & Q(assignments__role="lead"), distinct=True),
            without_focal=Count(
                "assignments",
                distinct=True,
                filter=active & Q(assignments__focal_points__isnull=True),
            ),
            without_milestones=Count(
                "assignments",
                distinct=True,
                filter=active & Q(assignments__milestones__isnull=True),
            ),
        )
        .order_by("kind", "code")
    )
    deliverables = list(
        plan.deliverables.annotate(
            assigned=Count("assignments", filter=Q(assignments__active=True), distinct=True)
        ).order_by("position")
    )
    return Coverage(
        entities=entities,
        deliverables=deliverables,
        unassigned=[d for d in deliverables if not d.assigned],
    )
