"""Reads of reporting data. `updates_visible_to` is the one gate for progress updates."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import access_for
from accounts.models import Role, User
from accounts.selectors import users_holding
from core.models import Entity
from plans.models import Assignment, Plan
from reporting.models import Cycle, Evidence, Notification, Obstacle, ProgressUpdate, Sensitivity

S = ProgressUpdate.State


def updates_visible_to(user: User | AnonymousUser) -> QuerySet[ProgressUpdate]:
    """Planning unit and senior leadership see every update. A focal point sees its entities'
    updates, and, for deliverables its entity leads, the other entities' updates once submitted
    (not confidential ones). A reviewer sees the submitted updates of the entities it reviews.
    Anyone else sees none."""
    a = access_for(user)
    updates = ProgressUpdate.objects.all()
    if a.sees_all_updates:
        return updates
    if not (a.focal_entities or a.reviewer_entities):
        return updates.none()
    led = Assignment.objects.filter(entity_id__in=a.focal_entities, role="lead").values(
        "deliverable_id"
    )
    visible = Q(assignment__entity_id__in=a.focal_entities)
    visible |= (
        Q(assignment__deliverable_id__in=led)
        & ~Q(state=S.DRAFT)
        & ~Q(sensitivity=Sensitivity.CONFIDENTIAL)
    )
    if a.reviewer_entities:
        visible |= a.reviewer_scope() & ~Q(state=S.DRAFT)
    return updates.filter(visible)


def with_context(updates: QuerySet[ProgressUpdate]) -> QuerySet[ProgressUpdate]:
    return updates.select_related(
        "cycle__plan",
        "assignment__deliverable__result__priority",
        "assignment__entity__mission",
        "assignment__entity__parent",
        "updated_by",
    )


def update_for(user: User | AnonymousUser, pk: int) -> ProgressUpdate:
    update = (
        with_context(updates_visible_to(user))
        .filter(pk=pk)
        .prefetch_related("obstacles", "evidence", "transitions__actor")
        .first()
    )
    if update is None:
        raise Http404(_("No such progress update."))
    return update


def evidence_for(user: User | AnonymousUser, pk: int) -> Evidence:
    evidence = (
        Evidence.objects.filter(pk=pk, update__in=updates_visible_to(user))
        .select_related("update__cycle")
        .first()
    )
    if evidence is None:
        raise Http404(_("No such evidence."))
    return evidence


def cycles_of(plan: Plan) -> QuerySet[Cycle]:
    return Cycle.objects.filter(plan=plan)


def cycles_visible_to(user: User | AnonymousUser | None) -> QuerySet[Cycle]:
    """Reporting cycles are internal: UN staff see them, anyone else none."""
    return Cycle.objects.all() if access_for(user).internal else Cycle.objects.none()


def cycle_for(user: User | AnonymousUser | None, plan: Plan, code: str) -> Cycle:
    cycle = cycles_visible_to(user).filter(plan=plan, code=code).select_related("plan").first()
    if cycle is None:
        raise Http404(_("No such reporting cycle."))
    return cycle


def open_cycle(plan: Plan) -> Cycle | None:
    return Cycle.objects.filter(plan=plan, state=Cycle.State.OPEN).first()


def previous_cycle(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.filter(plan=cycle.plan, period_end__lt=cycle.period_start)
        .order_by("-period_start")
        .first()
    )


def sibling_updates(user: User | AnonymousUser, update: ProgressUpdate) -> list[ProgressUpdate]:
    """The lead view: the other entities' updates on the same deliverable in the same cycle,
    as far as the user may see them."""
    return list(
        with_context(updates_visible_to(user))
        .filter(
            cycle_id=update.cycle_id, assignment__deliverable_id=update.assignment.deliverable_id
        )
        .exclude(pk=update.pk)
        .prefetch_related("obstacles")
        .order_by("assignment__role", "assignment__entity__code")
    )


def my_work(user: User | AnonymousUser, cycle: Cycle) -> QuerySet[ProgressUpdate]:
    """A focal point's updates in a cycle: their entities' assignments."""
    a = access_for(user)
    return with_context(
        ProgressUpdate.objects.filter(
            cycle=cycle, assignment__entity_id__in=a.focal_entities, assignment__active=True
        )
    ).annotate(obstacle_count=Count("obstacles"))


def review_queue(user: User | AnonymousUser) -> QuerySet[ProgressUpdate]:
    a = access_for(user)
    waiting = ProgressUpdate.objects.filter(
        state__in=[S.SUBMITTED, S.RESUBMITTED], cycle__state=Cycle.State.OPEN
    )
    if not a.planner:
        if not a.reviewer_entities:
            return waiting.none()
        waiting = waiting.filter(a.reviewer_scope())
    return with_context(waiting).order_by("submitted_at")


def reviewers_of(update: ProgressUpdate) -> QuerySet[User]:
    entity = update.assignment.entity
    targets = {entity.pk}
    if entity.parent_id:
        targets.add(entity.parent_id)
    mission = getattr(entity, "mission", None)
    if mission is not None:
        targets |= {pk for pk in (mission.regional_asg_id, mission.division_id) if pk}
    return users_holding(Role.REVIEWER, entity_ids=targets)


def cycle_board(cycle: Cycle) -> QuerySet[ProgressUpdate]:
    """Every update of a cycle with what the board shows, in a fixed number of queries."""
    has_escalation = Obstacle.objects.filter(update=OuterRef("pk"), escalate=True)
    return (
        ProgressUpdate.objects.filter(cycle=cycle, assignment__active=True)
        .select_related("assignment__deliverable", "assignment__entity")
        .annotate(escalated=Exists(has_escalation))
        .order_by(
            "assignment__entity__kind",
            "assignment__entity__code",
            "assignment__deliverable__position",
        )
    )


def obstacles_visible_to(user: User | AnonymousUser) -> QuerySet[Obstacle]:
    return Obstacle.objects.filter(update__in=updates_visible_to(user)).select_related(
        "update__cycle",
        "update__assignment__deliverable__result__priority",
        "update__assignment__entity",
    )


def unread_notifications(user: User | AnonymousUser) -> QuerySet[Notification]:
    if not isinstance(user, User):
        return Notification.objects.none()
    return Notification.objects.filter(user=user, read_at__isnull=True)


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related(
        "update__cycle", "update__assignment__deliverable", "update__assignment__entity"
    )


def assignments_of_plan(plan: Plan) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(deliverable__plan=plan, active=True)
        .select_related("deliverable", "entity", "via")
        .prefetch_related("focal_points", Prefetch("milestones"))
        .order_by("entity__kind", "entity__code", "deliverable__position")
    )


def entity_updates_of_cycle(
    user: User, *, cycle: Cycle, entity: Entity
) -> QuerySet[ProgressUpdate]:
    """The entity's updates in the cycle, for active assignments, as far as the user sees them;
    with everything the offline workbook shows, in a fixed number of queries."""
    return (
        updates_visible_to(user)
        .filter(cycle=cycle, assignment__entity=entity, assignment__active=True)
        .select_related("assignment__deliverable", "updated_by")
        .prefetch_related(Prefetch("obstacles", queryset=Obstacle.objects.order_by("id")))
        .order_by("assignment__deliverable__position", "pk")
    )


def offline_entity_for(user: User, code: str) -> Entity:
    """An entity whose offline workbook the user may download and upload: any entity for the
    planning unit, its own entities for a focal point. Http404 for missing and forbidden alike,
    so the pages do not reveal which entities report in which cycle."""
    entity = Entity.objects.filter(code=code).first()
    if entity is None:
        raise Http404(_("No such entity."))
    access = access_for(user)
    if not (access.planner or entity.pk in access.focal_entities):
        raise Http404(_("No such entity."))
    return entity
