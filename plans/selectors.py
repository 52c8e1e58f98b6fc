"""Reads of the plan. Every view loads plans and deliverables through these functions.

The plan is a public document, so every plan is visible to everyone, signed in or not; this is
still the one gate, so that unpublished revisions (plan versions) can be hidden here later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from core.models import Entity
from plans.models import Deliverable, DeliverableEntity, Plan, Priority, Result


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    return Plan.objects.all()


def plan_for(user: Any, code: str) -> Plan:
    plan = plans_visible_to(user).filter(code=code).first()
    if plan is None:
        raise Http404(_("No such plan."))
    return plan


def current_plan(user: Any) -> Plan | None:
    return plans_visible_to(user).first()


def deliverables_visible_to(
    user: Any, plan: Plan, *, include_retired: bool = False
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


def deliverable_for(user: Any, plan: Plan, code: str) -> Deliverable:
    deliverable = (
        deliverables_visible_to(user, plan, include_retired=True).filter(code=code).first()
    )
    if deliverable is None:
        raise Http404(_("No such deliverable."))
    return deliverable


def result_for(user: Any, plan: Plan, code: str) -> Result:
    result = Result.objects.filter(plan=plan, code=code).select_related("priority").first()
    if result is None:
        raise Http404(_("No such result."))
    return result


def priority_for(user: Any, plan: Plan, number: int) -> Priority:
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
