"""Work plans: coverage of the plan by entity, and each entity's work plan with its focal
points and milestones. Internal users read; the planning unit edits (the gates are in
`plans.selectors`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access_for
from accounts.http import AuthenticatedRequest
from plans import selectors, services
from plans.forms import AssignmentAddForm, FocalPointsForm, MilestoneForm, form_errors
from plans.models import Assignment, Milestone


@login_required
def coverage(request: HttpRequest, plan_code: str) -> HttpResponse:
    plan_obj = selectors.plan_for(request.user, plan_code)
    covered = selectors.workplan_coverage(request.user, plan_obj)
    return render(
        request,
        "plans/coverage.html",
        {
            "plan": plan_obj,
            "entities": covered.entities,
            "deliverables": covered.deliverables,
            "unassigned": covered.unassigned,
            "nav": "workplans",
        },
    )


@login_required
def entity_workplan(request: HttpRequest, plan_code: str, entity_code: str) -> HttpResponse:
    plan_obj = selectors.plan_for(request.user, plan_code)
    entity_obj = selectors.workplan_entity_for(request.user, entity_code)
    planner = access_for(request.user).planner
    return render(
        request,
        "plans/workplan.html",
        {
            "plan": plan_obj,
            "entity": entity_obj,
            "assignments": selectors.workplan_of(request.user, plan_obj, entity_obj),
            "planner": planner,
            "add_form": AssignmentAddForm() if planner else None,
            "milestone_form": MilestoneForm(),
            "statuses": Milestone.Status.choices,
            "focal_form": FocalPointsForm(entity=entity_obj) if planner else None,
            "nav": "workplans",
        },
    )


@require_POST
@login_required
def assignment_add(request: AuthenticatedRequest, plan_code: str, entity_code: str) -> HttpResponse:
    plan_obj = selectors.plan_for(request.user, plan_code)
    entity_obj = selectors.workplan_entity_for(request.user, entity_code, to_edit=True)
    back = redirect("entity-workplan", plan_code=plan_obj.code, entity_code=entity_obj.code)
    form = AssignmentAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a deliverable code and a role."))
        return back
    code = form.cleaned_data["deliverable"]
    deliverable = (
        selectors.deliverables_visible_to(request.user, plan_obj, include_retired=True)
        .filter(code=code)
        .first()
    )
    if deliverable is None:
        messages.error(
            request, _("There is no deliverable %(code)s in this plan.") % {"code": code}
        )
        return back
    try:
        services.assignment_add(
            deliverable=deliverable,
            entity=entity_obj,
            role=form.cleaned_data["role"],
            actor=request.user,
        )
    except services.WorkPlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(code)s added to the work plan.") % {"code": deliverable.code}
        )
    return back


def _edited_assignment(
    request: HttpRequest, plan_code: str, entity_code: str, pk: int
) -> Assignment:
    """The assignment a planner changes: 404 to anyone else, as for one that does not exist."""
    plan_obj = selectors.plan_for(request.user, plan_code)
    entity_obj = selectors.workplan_entity_for(request.user, entity_code, to_edit=True)
    return selectors.assignment_for(
        request.user, pk, plan=plan_obj, entity=entity_obj, to_edit=True
    )


def _assignment_remove(request: AuthenticatedRequest, assignment: Assignment) -> None:
    services.assignment_remove(assignment=assignment, actor=request.user)
    messages.success(
        request, _("%(code)s taken out of the work plan.") % {"code": assignment.deliverable.code}
    )


def _focal_points_set(request: AuthenticatedRequest, assignment: Assignment) -> None:
    form = FocalPointsForm(request.POST, entity=assignment.entity)
    if not form.is_valid():
        messages.error(request, _("Choose focal points of this entity."))
        return
    services.assignment_set_focal_points(
        assignment=assignment, users=list(form.cleaned_data["users"]), actor=request.user
    )
    messages.success(request, _("Focal points saved."))


def _milestone_add(request: AuthenticatedRequest, assignment: Assignment) -> None:
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("The milestone was not saved: %(errors)s") % {"errors": form_errors(form)}
        )
        return
    services.milestone_save(assignment=assignment, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Milestone added."))


ASSIGNMENT_CHANGES = {
    "remove": _assignment_remove,
    "focal-points": _focal_points_set,
    "milestone": _milestone_add,
}


@require_POST
@login_required
def assignment_change(
    request: AuthenticatedRequest, plan_code: str, entity_code: str, pk: int, action: str
) -> HttpResponse:
    assignment = _edited_assignment(request, plan_code, entity_code, pk)
    change = ASSIGNMENT_CHANGES.get(action)
    if change is None:
        raise Http404
    change(request, assignment)
    return redirect(f"{_workplan_url(assignment)}#a-{assignment.pk}")


@require_POST
@login_required
def milestone_change(
    request: AuthenticatedRequest, plan_code: str, entity_code: str, pk: int, milestone: int
) -> HttpResponse:
    assignment = _edited_assignment(request, plan_code, entity_code, pk)
    item = selectors.milestone_for(request.user, milestone, assignment=assignment, to_edit=True)
    actor = request.user
    if "delete" in request.POST:
        services.milestone_delete(milestone=item, actor=actor)
        messages.success(request, _("Milestone deleted."))
        return redirect(_workplan_url(assignment))
    form = MilestoneForm(request.POST, instance=item)
    if form.is_valid():
        services.milestone_save(
            assignment=assignment, actor=actor, milestone=item, **form.cleaned_data
        )
        messages.success(request, _("Milestone saved."))
    else:
        messages.error(
            request, _("The milestone was not saved: %(errors)s") % {"errors": form_errors(form)}
        )
    return redirect(_workplan_url(assignment))


def _workplan_url(assignment: Assignment) -> str:
    return reverse(
        "entity-workplan",
        kwargs={
            "plan_code": assignment.deliverable.plan.code,
            "entity_code": assignment.entity.code,
        },
    )
