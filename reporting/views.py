"""Progress reporting pages: my work, cycles and their board, updates and their workflow,
obstacles for leadership, notifications. Views parse, call a selector or a service, render."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access_for, require_internal
from accounts.http import AuthenticatedRequest
from accounts.models import User
from core.storage import UndecryptableFile
from plans.selectors import current_plan, plan_for
from reporting import access, hooks, pages, selectors, services
from reporting.forms import (
    CycleForm,
    EvidenceForm,
    ObstacleFormSet,
    ReopenForm,
    ReturnForm,
    UpdateForm,
    ValidateForm,
)
from reporting.models import Cycle, Obstacle, ProgressUpdate
from reporting.notifications import describe

log = logging.getLogger(__name__)

S = ProgressUpdate.State


def _planner_only(request: HttpRequest) -> None:
    if not access_for(request.user).planner:
        raise Http404


def _state_counts(counts: Counter[str]) -> list[tuple[str, str, int]]:
    return [(value, str(label), counts[value]) for value, label in S.choices if counts[value]]


@login_required
def my_work(request: AuthenticatedRequest) -> HttpResponse:
    plan = current_plan(request.user)
    if plan is None:
        return redirect("home")
    a = access_for(request.user)
    cycle = selectors.open_cycle(plan)
    work = list(selectors.my_work(request.user, cycle)) if cycle and a.focal_entities else []
    today = timezone.localdate()
    return render(
        request,
        "reporting/my_work.html",
        {
            "plan": plan,
            "cycle": cycle,
            "access": a,
            "today": today,
            "nav": "work",
            "work": work,
            "returned": [u for u in work if u.state == S.RETURNED],
            "work_counts": _state_counts(Counter(u.state for u in work)),
            "entities": sorted({u.assignment.entity for u in work}, key=lambda e: e.code),
            "review": list(selectors.review_queue(request.user)[:50])
            if a.reviewer_entities or a.planner
            else [],
            "escalated": list(
                selectors.obstacles_visible_to(request.user).filter(
                    escalate=True, update__cycle=cycle
                )[:20]
            )
            if cycle and a.sees_all_updates
            else [],
            "notifications": list(
                selectors.notifications_of(request.user).filter(read_at__isnull=True)[:10]
            ),
        },
    )


@login_required
def cycle_list(request: AuthenticatedRequest, plan_code: str) -> HttpResponse:
    plan = plan_for(request.user, plan_code)
    require_internal(request.user)
    planner = access_for(request.user).planner
    form = CycleForm(request.POST or None) if planner else None
    if request.method == "POST":
        _planner_only(request)
        assert form is not None
        if form.is_valid():
            try:
                cycle = services.cycle_create(plan=plan, actor=request.user, **form.cleaned_data)
            except services.ReportingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Cycle %(code)s created.") % {"code": cycle.code})
                return redirect("cycle-list", plan_code=plan.code)
    cycles = selectors.cycles_of(plan)
    return render(
        request,
        "reporting/cycle_list.html",
        {
            "plan": plan,
            "cycles": cycles,
            "form": form,
            "planner": planner,
            "nav": "cycles",
        },
    )


@require_POST
@login_required
def cycle_step(
    request: AuthenticatedRequest, plan_code: str, cycle_code: str, step: str
) -> HttpResponse:
    plan = plan_for(request.user, plan_code)
    cycle = selectors.cycle_for(request.user, plan, cycle_code)
    if step not in services.CYCLE_STEPS:
        raise Http404
    _planner_only(request)
    try:
        services.cycle_step(cycle=cycle, step=step, actor=request.user)
    except services.ReportingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Cycle %(code)s is now %(state)s.")
            % {
                "code": cycle.code,
                "state": Cycle.State(services.CYCLE_STEPS[step][1]).label.lower(),
            },
        )
    return redirect("cycle-list", plan_code=plan.code)


@login_required
def cycle_board(request: AuthenticatedRequest, plan_code: str, cycle_code: str) -> HttpResponse:
    """Every update of the cycle per entity and deliverable, and who is late."""
    plan = plan_for(request.user, plan_code)
    cycle = selectors.cycle_for(request.user, plan, cycle_code)
    if not access_for(request.user).sees_all_updates:
        raise Http404
    today = timezone.localdate()
    late_after = cycle.due_on if cycle.is_open else None
    rows: dict[int, dict[str, Any]] = {}
    totals: Counter[str] = Counter()
    for update in selectors.cycle_board(cycle):
        entity = update.assignment.entity
        row = rows.setdefault(
            entity.pk, {"entity": entity, "updates": [], "counts": Counter(), "late": 0}
        )
        late = bool(late_after and today > late_after and update.is_with_author)
        update.late = late  # type: ignore[attr-defined]
        row["updates"].append(update)
        row["counts"][update.state] += 1
        row["late"] += late
        totals[update.state] += 1
        totals["late"] += late
    entity_rows = sorted(rows.values(), key=lambda r: (-r["late"], r["entity"].code))
    return render(
        request,
        "reporting/cycle_board.html",
        {
            "plan": plan,
            "cycle": cycle,
            "rows": entity_rows,
            "totals": totals,
            "legend": [(value, label, totals[value]) for value, label in S.choices],
            "is_late": bool(late_after and today > late_after),
            "nav": "cycles",
        },
    )


def _update_context(request: HttpRequest, update: ProgressUpdate) -> dict[str, Any]:
    user = request.user
    steps = list(update.transitions.all())
    return {
        "plan": update.cycle.plan,
        "update": update,
        "cycle": update.cycle,
        "last_step": steps[-1] if steps else None,
        "deliverable": update.assignment.deliverable,
        "entity": update.assignment.entity,
        "can_edit": access.can_edit(user, update),
        "can_review": access.can_review(user, update),
        "can_reopen": access.can_reopen(user, update),
        "siblings": selectors.sibling_updates(user, update),
        **{part.detail_name: part.detail(update) for part in hooks.update_parts()},
        "return_form": ReturnForm(prefix="return"),
        "validate_form": ValidateForm(prefix="validate"),
        "reopen_form": ReopenForm(prefix="reopen"),
        "evidence_form": EvidenceForm(),
    }


@login_required
def update_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    update = selectors.update_for(request.user, pk)
    return render(request, "reporting/update_detail.html", _update_context(request, update))


def _obstacle_initial(update: ProgressUpdate) -> list[dict[str, Any]]:
    return [
        {
            "id": o.pk,
            "category": o.category,
            "severity": o.severity,
            "description": o.description,
            "mitigation": o.mitigation,
            "support_requested": o.support_requested,
            "support_from": o.support_from,
            "escalate": o.escalate,
        }
        for o in update.obstacles.all()
    ]


@login_required
def update_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    update = selectors.update_for(request.user, pk)
    if not access.can_edit(request.user, update):
        messages.error(request, services.edit_refusal(request.user, update))
        return redirect("update-detail", pk=update.pk)
    conflict = None
    if request.method == "POST":
        form = UpdateForm(request.POST, instance=update)
        obstacles = ObstacleFormSet(request.POST, prefix="obstacles")
        parts = _part_forms(update, request.POST)
        if form.is_valid() and obstacles.is_valid() and _parts_valid(parts):
            items = [
                f.to_data()
                for f in obstacles.forms
                if (f.has_changed() or f.cleaned_data.get("id"))
                and not f.cleaned_data.get("DELETE")
            ]
            try:
                with transaction.atomic():
                    services.update_save(
                        update=update,
                        actor=request.user,
                        expected_version=form.cleaned_data["version"],
                        values=form.cleaned_data,
                        obstacles=items,
                    )
                    if not _parts_save(update, parts, request.user):
                        raise _ValuesRefused
            except _ValuesRefused:
                update.refresh_from_db()
                messages.error(request, _("Correct the indicator values; nothing was saved."))
            except services.EditConflict as error:
                conflict = error.current
                messages.error(request, str(error))
            except services.ReportingError as error:
                messages.error(request, str(error))
                return redirect("update-detail", pk=update.pk)
            else:
                if "submit" in request.POST:
                    try:
                        services.update_submit(update=update, actor=request.user)
                    except services.ReportingError as error:
                        messages.error(request, str(error))
                        return redirect("update-edit", pk=update.pk)
                    messages.success(request, _("Saved and submitted for review."))
                    return redirect("update-detail", pk=update.pk)
                messages.success(request, _("Saved."))
                return redirect("update-detail", pk=update.pk)
    else:
        form = UpdateForm(instance=update, initial={"version": update.version})
        obstacles = ObstacleFormSet(prefix="obstacles", initial=_obstacle_initial(update))
        parts = _part_forms(update, None)
    context = _update_context(request, update)
    context.update({"form": form, "obstacles": obstacles, "conflict": conflict, **parts})
    return render(request, "reporting/update_edit.html", context)


class _ValuesRefused(Exception):
    """An indicator value was refused: roll the whole save back."""


def _part_forms(update: ProgressUpdate, data: QueryDict | None) -> dict[str, list[Any]]:
    """The forms each registered part of an update (the indicators app: indicator values)
    adds to the edit page, by their context name."""
    return {part.forms_name: part.forms(update, data) for part in hooks.update_parts()}


def _parts_valid(parts: dict[str, list[Any]]) -> bool:
    return all(form.is_valid() for forms in parts.values() for _item, form in forms)


def _parts_save(update: ProgressUpdate, parts: dict[str, list[Any]], actor: User) -> bool:
    # Every part saves (and marks its own errors) before the answer: no short circuit.
    saved = [part.save(update, parts[part.forms_name], actor) for part in hooks.update_parts()]
    return all(saved)


@require_POST
@login_required
def update_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    update = selectors.update_for(request.user, pk)
    forms = {"return": ReturnForm, "validate": ValidateForm, "reopen": ReopenForm}
    try:
        if action == "submit":
            services.update_submit(update=update, actor=request.user)
            done = _("Submitted for review.")
        elif action in forms:
            # Each form on the page has its own prefix, so that field ids stay unique.
            form = forms[action](request.POST, prefix=action)
            if not form.is_valid():
                context = _update_context(request, update)
                context[f"{action}_form"] = form
                messages.error(request, _("Correct the form below."))
                return render(request, "reporting/update_detail.html", context, status=400)
            data = form.cleaned_data
            if action == "return":
                services.update_return(update=update, actor=request.user, comment=data["comment"])
                done = _("Returned to the author.")
            elif action == "validate":
                services.update_validate(update=update, actor=request.user, comment=data["comment"])
                done = _("Validated.")
            else:
                services.update_reopen(update=update, actor=request.user, reason=data["reason"])
                done = _("Reopened and returned to the author.")
        else:
            raise Http404
    except services.ReportingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("update-detail", pk=update.pk)


@require_POST
@login_required
def evidence_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    update = selectors.update_for(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _update_context(request, update)
        context["evidence_form"] = form
        return render(request, "reporting/update_detail.html", context, status=400)
    try:
        services.evidence_add(
            update=update,
            actor=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            url=form.cleaned_data["url"],
        )
    except services.ReportingError as error:
        context = _update_context(request, update)
        form.add_error(None, str(error))
        context["evidence_form"] = form
        return render(request, "reporting/update_detail.html", context, status=400)
    messages.success(request, _("Evidence added."))
    return redirect("update-detail", pk=update.pk)


@login_required
def evidence_download(request: AuthenticatedRequest, pk: int, evidence: int) -> HttpResponseBase:
    item = selectors.evidence_for(request.user, evidence)
    if item.update_id != pk or not item.file:
        raise Http404
    try:
        stored = item.file.open("rb")
    except UndecryptableFile:
        log.error("evidence %s cannot be decrypted with the configured file keys", item.pk)
        messages.error(
            request,
            _(
                "This file cannot be opened: the server's file keys do not match it. The "
                "error is logged for the administrators."
            ),
        )
        return redirect("update-detail", pk=pk)
    return FileResponse(
        stored,
        as_attachment=True,
        filename=(item.file.name or "evidence").rsplit("/", 1)[-1],
        content_type=item.content_type or "application/octet-stream",
    )


@require_POST
@login_required
def evidence_delete(request: AuthenticatedRequest, pk: int, evidence: int) -> HttpResponse:
    item = selectors.evidence_for(request.user, evidence)
    if item.update_id != pk:
        raise Http404
    try:
        services.evidence_remove(evidence=item, actor=request.user)
    except services.ReportingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Evidence removed."))
    return redirect("update-detail", pk=pk)


@login_required
def obstacles_review(request: AuthenticatedRequest, plan_code: str) -> HttpResponse:
    """All obstacles across the plan that the user may see, filtered, with the change since the
    previous cycle."""
    plan = plan_for(request.user, plan_code)
    if not access_for(request.user).in_reporting:
        raise Http404
    filters = {name: request.GET.get(name, "") for name in pages.OBSTACLE_FILTERS}
    page = pages.obstacles_page(
        request.user, plan, cycle_code=request.GET.get("cycle"), filters=filters
    )
    if page.cycle is None:
        return render(
            request,
            "reporting/obstacles.html",
            {"plan": plan, "cycles": [], "nav": "obstacles"},
        )
    return render(
        request,
        "reporting/obstacles.html",
        {
            "plan": plan,
            "cycles": page.cycles,
            "cycle": page.cycle,
            "previous": page.previous,
            "page": Paginator(page.current, 50).get_page(request.GET.get("page")),
            "total": len(page.current),
            "resolved": page.resolved,
            "summary": page.summary,
            "filters": filters,
            "entities": page.entities,
            "priorities": plan.priorities.all(),
            "categories": Obstacle.Category.choices,
            "severities": Obstacle.Severity.choices,
            "nav": "obstacles",
            "querystring": "&".join(f"{k}={v}" for k, v in filters.items() if v)
            + f"&cycle={page.cycle.code}",
        },
    )


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        messages.success(request, _("All notifications marked as read."))
        return redirect("notifications")
    items = list(selectors.notifications_of(request.user)[:100])
    grouped: dict[bool, list[Any]] = defaultdict(list)
    for item in items:
        item.text = describe(item)  # type: ignore[attr-defined]
        grouped[item.read_at is None].append(item)
    return render(
        request,
        "reporting/notifications.html",
        {
            "plan": current_plan(request.user),
            "unread": grouped[True],
            "read": grouped[False],
        },
    )
