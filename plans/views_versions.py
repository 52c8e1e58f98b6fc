"""Plan versions: the list, the diff between any two, and the planning unit's revision."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import access_for
from accounts.http import AuthenticatedRequest
from plans import revisions, versions
from plans.forms import (
    DeliverableEditForm,
    IndicatorAddForm,
    IndicatorEditForm,
    PublishForm,
    RetireForm,
)
from plans.models import Plan, PlanVersion
from plans.planfile import PlanFileError
from plans.selectors import plan_for, versions_visible_to


def version_list(request: HttpRequest, plan_code: str) -> HttpResponse:
    plan_obj = plan_for(request.user, plan_code)
    published = versions.published_versions(plan_obj)
    return render(
        request,
        "plans/versions.html",
        {
            "plan": plan_obj,
            "versions": published,
            "draft": versions.draft_revision(plan_obj)
            if access_for(request.user).planner
            else None,
            "nav": "overview",
        },
    )


def version_diff(request: HttpRequest, plan_code: str) -> HttpResponse:
    plan_obj = plan_for(request.user, plan_code)
    # The versions' one gate: the published ones, and the draft for the planning unit only.
    visible = list(versions_visible_to(request.user, plan_obj))
    by_number = {v.number: v for v in visible}
    published = [v for v in visible if v.state == PlanVersion.State.PUBLISHED]
    try:
        old = by_number[int(request.GET.get("from", ""))]
        new = by_number[int(request.GET.get("to", ""))]
    except (KeyError, ValueError):
        if len(published) < 2:
            raise Http404(_("There is only one version of this plan.")) from None
        old, new = published[-2], published[-1]
    changes = versions.diff_trees(old.tree, new.tree)
    reasons = {}
    for v in visible:
        if old.number < v.number <= new.number:
            reasons.update(v.reasons)
    return render(
        request,
        "plans/version_diff.html",
        {
            "plan": plan_obj,
            "old": old,
            "new": new,
            "choices": sorted(by_number.values(), key=lambda v: v.number),
            "changes": [(c, reasons.get(c.key, "")) for c in changes],
            "nav": "overview",
        },
    )


# The revision page: one form per kind of edit, each posted with its `action`.

Forms = dict[str, forms.Form]
Edit = Callable[[AuthenticatedRequest, PlanVersion, Forms], HttpResponse | None]


def _blank_forms() -> Forms:
    return {
        "deliverable_form": DeliverableEditForm(prefix="d"),
        "retire_form": RetireForm(prefix="r"),
        "indicator_form": IndicatorEditForm(prefix="i"),
        "indicator_add_form": IndicatorAddForm(prefix="n"),
        "publish_form": PublishForm(prefix="p", initial={"effective_from": timezone.localdate()}),
    }


@login_required
def revision(request: AuthenticatedRequest, plan_code: str) -> HttpResponse:
    plan_obj = plan_for(request.user, plan_code)
    if not access_for(request.user).planner:
        raise Http404
    draft = versions.draft_revision(plan_obj)
    page = _blank_forms()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "open":
            versions.revision_open(plan=plan_obj, actor=request.user)
            return redirect("plan-revision", plan_code=plan_obj.code)
        if draft is None:
            raise Http404
        response = _apply(request, draft, action, page)
        if response is not None:
            return response
    return _revision_page(request, plan_obj, draft, page)


def _revision_page(
    request: AuthenticatedRequest, plan: Plan, draft: PlanVersion | None, page: Forms
) -> HttpResponse:
    changes = versions.pending_changes(draft) if draft else []
    return render(
        request,
        "plans/revision.html",
        {
            "plan": plan,
            "draft": draft,
            "nav": "overview",
            "changes": [(c, draft.reasons.get(c.key, "") if draft else "") for c in changes],
            "current": versions.current_version(plan),
            **page,
        },
    )


def _apply(
    request: AuthenticatedRequest, draft: PlanVersion, action: str, page: Forms
) -> HttpResponse | None:
    """Carry out one edit of the draft; None re-renders the page with the form's errors."""
    edit = EDITS.get(action)
    if edit is None:
        raise Http404
    try:
        return edit(request, draft, page)
    except (versions.VersionError, PlanFileError) as error:
        messages.error(request, str(error))
        return None


def _changed(request: AuthenticatedRequest, draft: PlanVersion) -> HttpResponse:
    messages.success(request, _("The revision was changed."))
    return redirect("plan-revision", plan_code=draft.plan.code)


def _edit_deliverable(
    request: AuthenticatedRequest, draft: PlanVersion, page: Forms
) -> HttpResponse | None:
    form = page["deliverable_form"] = DeliverableEditForm(request.POST, prefix="d")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    revisions.deliverable_save(
        revision=draft,
        code=data["code"],
        result=data["result"],
        text=data["text"],
        lead_text=data["lead_text"],
        lead_entities=data["lead_entities"],
        supporting_entities=data["supporting_entities"],
        markers=data["markers"],
        reason=data["reason"],
        actor=request.user,
    )
    return _changed(request, draft)


def _retire(
    request: AuthenticatedRequest,
    draft: PlanVersion,
    page: Forms,
    retire: Callable[..., PlanVersion],
) -> HttpResponse | None:
    form = page["retire_form"] = RetireForm(request.POST, prefix="r")
    if not form.is_valid():
        return None
    retire(
        revision=draft,
        code=form.cleaned_data["code"],
        reason=form.cleaned_data["reason"],
        actor=request.user,
    )
    return _changed(request, draft)


def _retire_deliverable(
    request: AuthenticatedRequest, draft: PlanVersion, page: Forms
) -> HttpResponse | None:
    return _retire(request, draft, page, revisions.deliverable_retire)


def _retire_indicator(
    request: AuthenticatedRequest, draft: PlanVersion, page: Forms
) -> HttpResponse | None:
    return _retire(request, draft, page, revisions.indicator_retire)


def _edit_indicator(
    request: AuthenticatedRequest, draft: PlanVersion, page: Forms
) -> HttpResponse | None:
    form = page["indicator_form"] = IndicatorEditForm(request.POST, prefix="i")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        revisions.indicator_change(
            revision=draft,
            code=data["code"],
            name=data["name"],
            end_target=data["end_target"],
            targets=data["targets"],
            reason=data["reason"],
            actor=request.user,
        )
    except revisions.RevisionFieldError as error:
        form.add_error(error.field, str(error))
        return None
    return _changed(request, draft)


def _add_indicator(
    request: AuthenticatedRequest, draft: PlanVersion, page: Forms
) -> HttpResponse | None:
    form = page["indicator_add_form"] = IndicatorAddForm(request.POST, prefix="n")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        revisions.indicator_add(
            revision=draft,
            code=data["code"],
            name=data["name"],
            definition=data["definition"],
            attached_to=data["attached_to"],
            unit=data["unit"],
            direction=data["direction"],
            period_aggregation=data["period_aggregation"],
            targets=data["targets"],
            end_target=data["end_target"],
            data_source=data["data_source"],
            reason=data["reason"],
            actor=request.user,
        )
    except revisions.RevisionFieldError as error:
        form.add_error(error.field, str(error))
        return None
    return _changed(request, draft)


def _save_reasons(request: AuthenticatedRequest, draft: PlanVersion, page: Forms) -> HttpResponse:
    versions.revision_set_reasons(
        revision=draft,
        actor=request.user,
        reasons={
            key.removeprefix("reason:"): str(value)
            for key, value in request.POST.items()
            if key.startswith("reason:")
        },
    )
    messages.success(request, _("Reasons saved."))
    return redirect("plan-revision", plan_code=draft.plan.code)


def _publish(request: AuthenticatedRequest, draft: PlanVersion, page: Forms) -> HttpResponse | None:
    form = page["publish_form"] = PublishForm(request.POST, prefix="p")
    if not form.is_valid():
        return None
    version = versions.revision_publish(
        revision=draft,
        actor=request.user,
        effective_from=form.cleaned_data["effective_from"],
    )
    messages.success(request, _("Version %(n)d is published.") % {"n": version.number})
    return redirect("plan-versions", plan_code=draft.plan.code)


def _discard(request: AuthenticatedRequest, draft: PlanVersion, page: Forms) -> HttpResponse:
    done = redirect("plan-revision", plan_code=draft.plan.code)
    versions.revision_discard(revision=draft, actor=request.user)
    messages.success(request, _("The draft revision was discarded."))
    return done


EDITS: dict[str, Edit] = {
    "deliverable": _edit_deliverable,
    "retire-deliverable": _retire_deliverable,
    "retire-indicator": _retire_indicator,
    "indicator": _edit_indicator,
    "add-indicator": _add_indicator,
    "reasons": _save_reasons,
    "publish": _publish,
    "discard": _discard,
}
