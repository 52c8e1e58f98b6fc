"""Work plans: coverage of the plan by entity, and each entity's work plan with its focal
points and milestones. Everyone signed in reads; the planning unit edits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access_for, require_internal
from core.models import Entity
from plans import services
from plans.models import Assignment, Milestone
from plans.selectors import plan_for
from reporting.forms import AssignmentAddForm, FocalPointsForm, MilestoneForm


def form_errors(form: Any) -> str:
    return "; ".join(str(error) for errors in form.errors.values() for error in errors)


def _entity(code: str) -> Entity:
    entity = Entity.objects.filter(code=code).exclude(kind=Entity.Kind.GROUP).first()
    if entity is None:
        raise Http404(_("No such entity."))
    return entity


def _assignment(plan: Any, entity: Entity, pk: int) -> Assignment:
    assignment = Assignment.objects.filter(pk=pk, entity=entity, deliverable__plan=plan).first()
    if assignment is None:
        raise Http404
    return assignment


@login_required
def coverage(request: HttpRequest, plan: str) -> HttpResponse:
    the_plan = plan_for(request.user, plan)
    require_internal(request.user)
    active = Q(assignments__active=True, assignments__deliverable__plan=the_plan)
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
    deliverables = the_plan.deliverables.annotate(
        assigned=Count("assignments", filter=Q(assignments__active=True), distinct=True)
    ).order_by("position")
    return render(
        request,
        "plans/coverage.html",
        {
            "plan": the_plan,
            "entities": entities,
            "deliverables": deliverables,
            "unassigned": [d for d in deliverables if not d.assigned],
            "nav": "workplans",
        },
    )


@login_required
def entity_workplan(request: HttpRequest, plan: str, entity: str) -> HttpResponse:
    the_plan = plan_for(request.user, plan)
    require_internal(request.user)
    the_entity = _entity(entity)
    assignments = (
        Assignment.objects.filter(deliverable__plan=the_plan, entity=the_entity, active=True)
        .select_related("deliverable", "via")
        .prefetch_related("focal_points", "milestones")
        .order_by("deliverable__position")
    )
    planner = access_for(request.user).planner
    return render(
        request,
        "plans/workplan.html",
        {
            "plan": the_plan,
            "entity": the_entity,
            "assignments": assignments,
            "planner": planner,
            "add_form": AssignmentAddForm() if planner else None,
            "milestone_form": MilestoneForm(),
            "statuses": Milestone.Status.choices,
            "focal_form": FocalPointsForm(entity=the_entity) if planner else None,
            "nav": "workplans",
        },
    )


def _planner(request: HttpRequest) -> None:
    if not access_for(request.user).planner:
        raise Http404


@require_POST
@login_required
def assignment_add(request: HttpRequest, plan: str, entity: str) -> HttpResponse:
    _planner(request)
    the_plan = plan_for(request.user, plan)
    the_entity = _entity(entity)
    form = AssignmentAddForm(request.POST)
    if form.is_valid():
        deliverable = the_plan.deliverables.filter(code=form.cleaned_data["deliverable"]).first()
        if deliverable is None:
            messages.error(
                request,
                _("There is no deliverable %(code)s in this plan.")
                % {"code": form.cleaned_data["deliverable"]},
            )
        else:
            try:
                services.assignment_add(
                    deliverable=deliverable,
                    entity=the_entity,
                    role=form.cleaned_data["role"],
                    actor=request.user,
                )
            except services.WorkPlanError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("%(code)s added to the work plan.") % {"code": deliverable.code}
                )
    else:
        messages.error(request, _("Give a deliverable code and a role."))
    return redirect("entity-workplan", plan=the_plan.code, entity=the_entity.code)


@require_POST
@login_required
def assignment_change(
    request: HttpRequest, plan: str, entity: str, pk: int, action: str
) -> HttpResponse:
    _planner(request)
    the_plan = plan_for(request.user, plan)
    the_entity = _entity(entity)
    assignment = _assignment(the_plan, the_entity, pk)
    if action == "remove":
        services.assignment_remove(assignment=assignment, actor=request.user)
        messages.success(
            request,
            _("%(code)s taken out of the work plan.") % {"code": assignment.deliverable.code},
        )
    elif action == "focal-points":
        form = FocalPointsForm(request.POST, entity=the_entity)
        if form.is_valid():
            services.assignment_set_focal_points(
                assignment=assignment, users=list(form.cleaned_data["users"]), actor=request.user
            )
            messages.success(request, _("Focal points saved."))
        else:
            messages.error(request, _("Choose focal points of this entity."))
    elif action == "milestone":
        milestone_form = MilestoneForm(request.POST)
        if milestone_form.is_valid():
            services.milestone_save(
                assignment=assignment, actor=request.user, **milestone_form.cleaned_data
            )
            messages.success(request, _("Milestone added."))
        else:
            messages.error(
                request,
                _("The milestone was not saved: %(errors)s")
                % {"errors": form_errors(milestone_form)},
            )
    else:
        raise Http404
    url = reverse("entity-workplan", kwargs={"plan": the_plan.code, "entity": the_entity.code})
    return redirect(f"{url}#a-{assignment.pk}")


@require_POST
@login_required
def milestone_change(
    request: HttpRequest, plan: str, entity: str, pk: int, milestone: int
) -> HttpResponse:
    _planner(request)
    the_plan = plan_for(request.user, plan)
    the_entity = _entity(entity)
    assignment = _assignment(the_plan, the_entity, pk)
    item = assignment.milestones.filter(pk=milestone).first()
    if item is None:
        raise Http404
    if "delete" in request.POST:
        services.milestone_delete(milestone=item, actor=request.user)
        messages.success(request, _("Milestone deleted."))
    else:
        form = MilestoneForm(request.POST, instance=item)
        if form.is_valid():
            services.milestone_save(
                assignment=assignment, actor=request.user, milestone=item, **form.cleaned_data
            )
            messages.success(request, _("Milestone saved."))
        else:
            messages.error(
                request,
                _("The milestone was not saved: %(errors)s") % {"errors": form_errors(form)},
            )
    return redirect("entity-workplan", plan=the_plan.code, entity=the_entity.code)
