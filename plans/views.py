"""The plan browser: overview, priority, result and deliverable pages, search and filters."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.access import access_for
from plans import selectors
from plans.forms import DeliverableFilterForm
from plans.models import Deliverable, Result
from plans.versions import current_version


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in users start on their work; visitors on the plan."""
    plan = selectors.current_plan(request.user)
    if plan is None:
        return render(request, "plans/no_plan.html", status=404)
    if request.user.is_authenticated:
        return redirect("my-work")
    return redirect("plan-overview", plan_code=plan.code)


def plan_overview(request: HttpRequest, plan_code: str) -> HttpResponse:
    plan_obj = selectors.plan_for(request.user, plan_code)
    deliverables = selectors.deliverables_visible_to(request.user, plan_obj)
    return render(
        request,
        "plans/overview.html",
        {
            "plan": plan_obj,
            "priorities": selectors.priorities_with_results(plan_obj),
            "deliverable_count": deliverables.count(),
            "markers": plan_obj.markers.all(),
            "version": current_version(plan_obj),
            "planner": access_for(request.user).planner,
            "nav": "overview",
        },
    )


def priority_detail(request: HttpRequest, plan_code: str, number: int) -> HttpResponse:
    plan_obj = selectors.plan_for(request.user, plan_code)
    priority = selectors.priority_for(request.user, plan_obj, number)
    deliverables = selectors.deliverables_visible_to(request.user, plan_obj).filter(
        result__priority=priority
    )
    return render(
        request,
        "plans/priority.html",
        {
            "plan": plan_obj,
            "priority": priority,
            "results": _group_by_result(list(deliverables)),
        },
    )


def result_detail(request: HttpRequest, plan_code: str, code: str) -> HttpResponse:
    plan_obj = selectors.plan_for(request.user, plan_code)
    result = selectors.result_for(request.user, plan_obj, code)
    deliverables = selectors.deliverables_visible_to(request.user, plan_obj).filter(result=result)
    return render(
        request,
        "plans/result.html",
        {
            "plan": plan_obj,
            "result": result,
            "deliverables": deliverables,
        },
    )


def deliverable_detail(request: HttpRequest, plan_code: str, code: str) -> HttpResponse:
    plan_obj = selectors.plan_for(request.user, plan_code)
    deliverable = selectors.deliverable_for(request.user, plan_obj, code)
    siblings = list(
        selectors.deliverables_visible_to(request.user, plan_obj, include_retired=True)
        .filter(result_id=deliverable.result_id)
        .values_list("code", flat=True)
    )
    index = siblings.index(deliverable.code)
    return render(
        request,
        "plans/deliverable_detail.html",
        {
            "plan": plan_obj,
            "deliverable": deliverable,
            "result": deliverable.result,
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        },
    )


def deliverable_list(request: HttpRequest, plan_code: str) -> HttpResponse:
    plan_obj = selectors.plan_for(request.user, plan_code)
    form = DeliverableFilterForm(
        request.GET or None,
        plan=plan_obj,
        entities=selectors.entities_to_filter_by(plan_obj),
        priorities=plan_obj.priorities.all(),
    )
    deliverables = selectors.deliverables_visible_to(request.user, plan_obj)
    active = None
    if form.is_bound and form.is_valid():
        active = form.to_filter()
        deliverables = selectors.deliverable_search(deliverables, active)
    elif form.is_bound:
        deliverables = deliverables.none()
    items = list(deliverables)
    return render(
        request,
        "plans/deliverable_list.html",
        {
            "plan": plan_obj,
            "form": form,
            "deliverables": items,
            "filter": active,
            "results": _group_by_result(items),
            "nav": "deliverables",
        },
    )


def entity_list(request: HttpRequest, plan_code: str) -> HttpResponse:
    plan_obj = selectors.plan_for(request.user, plan_code)
    return render(
        request,
        "plans/entities.html",
        {
            "plan": plan_obj,
            "entities": selectors.entities_in_plan(plan_obj),
            "nav": "entities",
        },
    )


def _group_by_result(deliverables: list[Deliverable]) -> list[tuple[Result, list[Deliverable]]]:
    grouped: dict[int, tuple[Result, list[Deliverable]]] = {}
    for d in deliverables:
        grouped.setdefault(d.result_id, (d.result, []))[1].append(d)
    return list(grouped.values())
