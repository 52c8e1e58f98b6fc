"""Plan versions: the list, the diff between any two, and the planning unit's revision."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import access_for
from plans import versions
from plans.exporters import plain_number
from plans.planfile import PlanFileError
from plans.selectors import plan_for


def version_list(request: HttpRequest, plan: str) -> HttpResponse:
    the_plan = plan_for(request.user, plan)
    published = versions.published_versions(the_plan)
    return render(
        request,
        "plans/versions.html",
        {
            "plan": the_plan,
            "versions": published,
            "draft": versions.draft_revision(the_plan)
            if access_for(request.user).planner
            else None,
            "nav": "overview",
        },
    )


def version_diff(request: HttpRequest, plan: str) -> HttpResponse:
    the_plan = plan_for(request.user, plan)
    published = versions.published_versions(the_plan)
    by_number = {v.number: v for v in published}
    draft = versions.draft_revision(the_plan) if access_for(request.user).planner else None
    if draft is not None:
        by_number[draft.number] = draft
    try:
        old = by_number[int(request.GET.get("from", ""))]
        new = by_number[int(request.GET.get("to", ""))]
    except (KeyError, ValueError):
        if len(published) < 2:
            raise Http404(_("There is only one version of this plan.")) from None
        old, new = published[-2], published[-1]
    changes = versions.diff_trees(old.tree, new.tree)
    reasons = {}
    for v in published + ([draft] if draft else []):
        if old.number < v.number <= new.number:
            reasons.update(v.reasons)
    return render(
        request,
        "plans/version_diff.html",
        {
            "plan": the_plan,
            "old": old,
            "new": new,
            "choices": sorted(by_number.values(), key=lambda v: v.number),
            "changes": [(c, reasons.get(c.key, "")) for c in changes],
            "nav": "overview",
        },
    )


class DeliverableEditForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Deliverable code"), max_length=12)
    result = forms.CharField(
        label=gettext_lazy("Result"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("Only for a new deliverable."),
    )
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    lead_text = forms.CharField(label=gettext_lazy("Lead line"), max_length=500)
    lead_entities = forms.CharField(label=gettext_lazy("Lead entities (codes, comma-separated)"))
    supporting_entities = forms.CharField(
        label=gettext_lazy("Supporting entities (codes, comma-separated)"), required=False
    )
    markers = forms.CharField(
        label=gettext_lazy("Markers (codes, comma-separated)"), required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RetireForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20)
    reason = forms.CharField(
        label=gettext_lazy("Reason for retiring it"), widget=forms.Textarea(attrs={"rows": 2})
    )


class IndicatorEditForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Indicator code"), max_length=20)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300, required=False)
    end_target = forms.DecimalField(label=gettext_lazy("End-of-plan target"), required=False)
    targets = forms.CharField(
        label=gettext_lazy("Period targets"),
        required=False,
        help_text=gettext_lazy("For example: 2024-H1=12; 2024-H2=13. Replaces all targets."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_targets(self) -> dict[str, Any] | None:
        raw = self.cleaned_data.get("targets", "").strip()
        if not raw:
            return None
        targets: dict[str, Any] = {}
        for part in raw.split(";"):
            period, _sep, value = part.partition("=")
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                raise forms.ValidationError(
                    _("%(part)s: write period=value, for example 2024-H1=12.")
                    % {"part": part.strip()}
                ) from None
            targets[period.strip()] = plain_number(number)
        return dict(sorted(targets.items()))


class IndicatorAddForm(IndicatorEditForm):
    """A new indicator: the edit form's fields, plus what defines it."""

    definition = forms.CharField(
        label=gettext_lazy("Definition"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attached_to = forms.CharField(
        label=gettext_lazy("Attached to (priority, result or deliverable code)"), max_length=10
    )
    unit = forms.ChoiceField(
        label=gettext_lazy("Unit of measure"),
        choices=[
            ("number", gettext_lazy("Number")),
            ("percent", gettext_lazy("Percent")),
            ("yesno", gettext_lazy("Yes/no")),
        ],
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"),
        choices=[
            ("increase", gettext_lazy("Higher is better")),
            ("decrease", gettext_lazy("Lower is better")),
        ],
    )
    period_aggregation = forms.ChoiceField(
        label=gettext_lazy("Across periods"),
        choices=[
            ("latest", gettext_lazy("Latest value")),
            ("sum", gettext_lazy("Sum of the periods")),
            ("cumulative", gettext_lazy("Cumulative (running total reported)")),
            ("mean", gettext_lazy("Mean of the periods")),
        ],
    )
    data_source = forms.CharField(label=gettext_lazy("Data source"), required=False, max_length=300)
    field_order = [
        "code",
        "name",
        "definition",
        "attached_to",
        "unit",
        "direction",
        "period_aggregation",
        "targets",
        "end_target",
        "data_source",
        "reason",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=gettext_lazy("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _codes(raw: str) -> list[dict[str, str]]:
    return [{"entity": c.strip()} for c in raw.split(",") if c.strip()]


@login_required
def revision(request: HttpRequest, plan: str) -> HttpResponse:
    the_plan = plan_for(request.user, plan)
    if not access_for(request.user).planner:
        raise Http404
    draft = versions.draft_revision(the_plan)
    forms_in_page: dict[str, forms.Form] = {
        "deliverable_form": DeliverableEditForm(prefix="d"),
        "retire_form": RetireForm(prefix="r"),
        "indicator_form": IndicatorEditForm(prefix="i"),
        "indicator_add_form": IndicatorAddForm(prefix="n"),
        "publish_form": PublishForm(prefix="p", initial={"effective_from": timezone.localdate()}),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "open":
            versions.revision_open(plan=the_plan, actor=request.user)
            return redirect("plan-revision", plan=the_plan.code)
        if draft is None:
            raise Http404
        result = _apply(request, draft, action, forms_in_page)
        if result is not None:
            return result
    changes = versions.pending_changes(draft) if draft else []
    return render(
        request,
        "plans/revision.html",
        {
            "plan": the_plan,
            "draft": draft,
            "nav": "overview",
            "changes": [(c, draft.reasons.get(c.key, "") if draft else "") for c in changes],
            "current": versions.current_version(the_plan),
            **forms_in_page,
        },
    )


def _apply(
    request: HttpRequest, draft: Any, action: str, page: dict[str, forms.Form]
) -> HttpResponse | None:
    """Carry out one edit of the draft; None re-renders the page with the form's errors."""
    done = redirect("plan-revision", plan=draft.plan.code)
    form: forms.Form
    try:
        if action == "deliverable":
            form = page["deliverable_form"] = DeliverableEditForm(request.POST, prefix="d")
            if not form.is_valid():
                return None
            d = form.cleaned_data
            existing = versions.deliverables_of(draft.tree).get(d["code"])
            result_code = (
                d["result"] or (existing or {}).get("result") or d["code"].rsplit(".", 1)[0]
            )
            item = {
                "code": d["code"],
                "text": d["text"].strip(),
                "lead_text": d["lead_text"],
                "lead_entities": _codes(d["lead_entities"]),
                "supporting_entities": _codes(d["supporting_entities"]),
                "oversight_entities": (existing or {}).get("oversight_entities", []),
                "markers": [m.strip() for m in d["markers"].split(",") if m.strip()],
                "footnotes": (existing or {}).get("footnotes", []),
            }
            tree = versions.with_deliverable(draft.tree, item, result_code)
            versions.revision_change(
                revision=draft,
                tree=tree,
                key=f"deliverable:{d['code']}",
                reason=d["reason"],
                actor=request.user,
            )
        elif action in ("retire-deliverable", "retire-indicator"):
            form = page["retire_form"] = RetireForm(request.POST, prefix="r")
            if not form.is_valid():
                return None
            code = form.cleaned_data["code"]
            target = action.removeprefix("retire-")
            tree = (
                versions.without_deliverable(draft.tree, code)
                if target == "deliverable"
                else versions.without_indicator(draft.tree, code)
            )
            versions.revision_change(
                revision=draft,
                tree=tree,
                key=f"{target}:{code}",
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        elif action == "indicator":
            form = page["indicator_form"] = IndicatorEditForm(request.POST, prefix="i")
            if not form.is_valid():
                return None
            d = form.cleaned_data
            matches = [dict(i) for i in draft.tree.get("indicators", []) if i["code"] == d["code"]]
            found = matches[0] if matches else None
            if found is None:
                form.add_error(
                    "code",
                    _("There is no indicator %(code)s; add it with the form below.")
                    % {"code": d["code"]},
                )
                return None
            if d["name"]:
                found["name"] = d["name"]
            if d["end_target"] is not None:
                found["end_target"] = plain_number(d["end_target"])
            if d["targets"] is not None:
                found["targets"] = d["targets"]
            versions.revision_change(
                revision=draft,
                tree=versions.with_indicator(draft.tree, found),
                key=f"indicator:{d['code']}",
                reason=d["reason"],
                actor=request.user,
            )
        elif action == "add-indicator":
            form = page["indicator_add_form"] = IndicatorAddForm(request.POST, prefix="n")
            if not form.is_valid():
                return None
            d = form.cleaned_data
            if any(i["code"] == d["code"] for i in draft.tree.get("indicators", [])):
                form.add_error(
                    "code", _("There is already an indicator %(code)s.") % {"code": d["code"]}
                )
                return None
            new_item: dict[str, Any] = {"code": d["code"], "name": d["name"]}
            if d["definition"]:
                new_item["definition"] = d["definition"]
            new_item.update(
                {
                    "attached_to": d["attached_to"],
                    "unit": d["unit"],
                    "direction": d["direction"],
                    "period_aggregation": d["period_aggregation"],
                    "entity_aggregation": "sum",
                }
            )
            if d["targets"]:
                new_item["targets"] = d["targets"]
            if d["end_target"] is not None:
                new_item["end_target"] = plain_number(d["end_target"])
            if d["data_source"]:
                new_item["data_source"] = d["data_source"]
            versions.revision_change(
                revision=draft,
                tree=versions.with_indicator(draft.tree, new_item),
                key=f"indicator:{d['code']}",
                reason=d["reason"],
                actor=request.user,
            )
        elif action == "reasons":
            versions.revision_set_reasons(
                revision=draft,
                actor=request.user,
                reasons={
                    k.removeprefix("reason:"): str(v)
                    for k, v in request.POST.items()
                    if k.startswith("reason:")
                },
            )
            messages.success(request, _("Reasons saved."))
        elif action == "publish":
            form = page["publish_form"] = PublishForm(request.POST, prefix="p")
            if not form.is_valid():
                return None
            version = versions.revision_publish(
                revision=draft,
                actor=request.user,
                effective_from=form.cleaned_data["effective_from"],
            )
            messages.success(request, _("Version %(n)d is published.") % {"n": version.number})
            return redirect("plan-versions", plan=draft.plan.code)
        elif action == "discard":
            versions.revision_discard(revision=draft, actor=request.user)
            messages.success(request, _("The draft revision was discarded."))
        else:
            raise Http404
    except (versions.VersionError, PlanFileError) as error:
        messages.error(request, str(error))
        return None
    if action not in ("reasons", "discard"):
        messages.success(request, _("The revision was changed."))
    return done
