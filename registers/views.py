"""Pages of the register of crimes against peacekeepers. Views parse, call a selector, a service
or a page builder (`pages`), and render; every case is read through `selectors.case_for` /
`cases_visible_to`, and every detail view, list page and export of a case writes the access log
(a list: one row per case it shows, in one insert), as the API's reads do (`/api/v1/`).
The Member State portal is `registers.portal`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.reauth import require_recent_auth
from core.export import csv_response
from registers import exports, pages, selectors, services
from registers.access import RegisterAccess, register_access_for
from registers.forms import (
    CaseFilterForm,
    CaseForm,
    DocumentForm,
    FollowUpForm,
    StatusForm,
    VictimForm,
)
from registers.models import Case, CaseAccess


def signed_in(request: HttpRequest) -> User:
    """The user of a view behind `login_required`."""
    if not isinstance(request.user, User):
        raise Http404
    return request.user


def _access(request: HttpRequest, need: str = "any") -> RegisterAccess:
    reader = register_access_for(request.user)
    if not getattr(reader, need):
        raise Http404
    return reader


@login_required
def home(request: HttpRequest) -> HttpResponse:
    reader = _access(request)
    if reader.is_delegate and not (reader.all_cases or reader.missions):
        return redirect("register-portal")
    if reader.any_cases:
        return redirect("register-cases")
    return redirect("register-statistics")


# Case list and exports -----------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[QuerySet[Case], dict[str, Any]]:
    form = CaseFilterForm(request.GET)
    cases = selectors.case_list(request.user)
    if not form.is_valid():
        return cases, {}
    data = form.cleaned_data
    filters = {k: v for k, v in data.items() if v not in (None, "")}
    return selectors.cases_filtered(cases, **filters), filters


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    reader = _access(request, "any_cases")
    cases, filters = _filtered(request)
    page = selectors.page_of(cases, request.GET.get("page"), pages.PAGE_SIZE)
    shown = pages.mark_overdue(list(page.object_list), timezone.localdate())
    services.accesses_record(
        user=request.user, case_ids=[c.pk for c in shown], action=CaseAccess.Action.LIST
    )
    context = pages.page_context(
        request.user,
        page=page,
        filters=filters,
        query="&".join(f"{k}={v}" for k, v in filters.items()),
        missions=selectors.missions_with_cases(request.user),
        statuses=Case.Status.choices,
        access=reader,
    )
    return render(request, "registers/case_list.html", context)


@login_required
def case_list_export(request: HttpRequest) -> HttpResponse:
    _access(request, "any_cases")
    cases, _filters = _filtered(request)
    rows = pages.mark_overdue(list(selectors.annotated(cases)), timezone.localdate())
    response = csv_response(
        "crimes-against-peacekeepers.csv",
        exports.case_list_header(),
        exports.case_list_rows(rows, lambda case: selectors.case_reading(request.user, case)),
    )
    services.accesses_record(
        user=request.user, case_ids=[c.pk for c in rows], action=CaseAccess.Action.EXPORT
    )
    return response


# One case ------------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, case: Case, **forms: BaseForm) -> dict[str, Any]:
    reader = register_access_for(request.user)
    read = selectors.case_reading(request.user, case)
    editable = reader.can_edit(case)
    context = pages.page_context(
        request.user,
        case=case,
        full=read.full,
        shared=read.narrative,
        can_edit=editable,
        overdue=pages.case_overdue(case),
        documents=selectors.documents_for(request.user, case),
        victims=list(case.victims.all()),
        steps=list(case.steps.all()),
    )
    if read.shows(selectors.CASE_SHARING, "history"):
        context["history"] = selectors.case_history(case)[:50]
    if editable:
        context.update(
            victim_form=forms.get("victim") or VictimForm(prefix="victim"),
            followup_form=forms.get("followup") or FollowUpForm(prefix="followup"),
            document_form=forms.get("document") or DocumentForm(prefix="document"),
            status_form=forms.get("status")
            or StatusForm(prefix="status", initial={"status": case.status}),
        )
    return context


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    services.accesses_record(user=request.user, case_ids=[case.pk], action=CaseAccess.Action.VIEW)
    return render(request, "registers/case_detail.html", _detail_context(request, case))


@login_required
def case_export(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    response = csv_response(
        f"case-{case.pk}.csv",
        [_("section"), _("field"), _("value")],
        exports.case_rows(case, selectors.case_reading(request.user, case)),
    )
    services.accesses_record(user=request.user, case_ids=[case.pk], action=CaseAccess.Action.EXPORT)
    return response


@login_required
@require_recent_auth
def case_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    reader = _access(request, "can_create")
    form = CaseForm(request.POST or None, missions=selectors.editable_missions(reader))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=user, **form.cleaned_data)
        except services.RegisterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Case recorded."))
            return redirect("register-case", pk=case.pk)
    return render(
        request, "registers/case_form.html", pages.page_context(user, form=form, case=None)
    )


@login_required
@require_recent_auth
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = selectors.case_for(user, pk)
    reader = register_access_for(user)
    if not reader.can_edit(case):
        raise Http404
    form = CaseForm(
        request.POST or None, instance=case, missions=selectors.editable_missions(reader)
    )
    if request.method == "POST" and form.is_valid():
        original = selectors.case_as_stored(case)
        try:
            changed = services.case_update(actor=user, case=original, **form.cleaned_data)
        except services.RegisterError as exc:
            form.add_error(None, str(exc))
        else:
            if changed:
                messages.success(request, _("Case saved."))
            return redirect("register-case", pk=case.pk)
    return render(
        request, "registers/case_form.html", pages.page_context(user, form=form, case=case)
    )


ADD_FORMS: dict[str, type[BaseForm]] = {
    "victim": VictimForm,
    "followup": FollowUpForm,
    "document": DocumentForm,
    "status": StatusForm,
}
ADD_SERVICES: dict[str, Callable[..., object]] = {
    "victim": services.victim_add,
    "followup": services.followup_add,
    "document": services.document_add,
    "status": services.case_status_set,
}


@login_required
@require_POST
@require_recent_auth
def case_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Add a victim, a follow-up step or a document, or change the status (POST from the case
    page). A refused form re-shows the case page with what was typed."""
    user = signed_in(request)
    case = selectors.case_for(user, pk)
    if part not in ADD_FORMS or not register_access_for(user).can_edit(case):
        raise Http404
    form = ADD_FORMS[part](request.POST, prefix=part)
    if form.is_valid():
        try:
            ADD_SERVICES[part](actor=user, case=case, **form.cleaned_data)
        except services.RegisterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Case saved."))
            return redirect("register-case", pk=case.pk)
    context = _detail_context(request, case, **{part: form})
    return render(request, "registers/case_detail.html", context, status=400)


# Statistics (aggregates) ---------------------------------------------------------------------


def _stats_scope(request: HttpRequest) -> QuerySet[Case]:
    """The planning unit sees aggregates of every case; others those of the cases they see."""
    _access(request)
    cases = selectors.cases_for_statistics(request.user)
    if cases is None:
        raise Http404
    return cases


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    context = pages.page_context(
        request.user,
        **pages.statistics_page(_stats_scope(request)),
        access=register_access_for(request.user),
    )
    return render(request, "registers/statistics.html", context)


@login_required
def statistics_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in pages.STAT_TABLES:
        raise Http404
    return pages.STAT_TABLES[table].csv(
        _stats_scope(request), filename=f"crimes-{table}.csv", small_cells=pages.SMALL_CELLS
    )


@login_required
def portal_csv(request: HttpRequest, table: str) -> HttpResponse:
    """The portal's tables (by year, by mission) of the cases that concern the State."""
    reader = _access(request, "is_delegate")
    if table not in pages.PORTAL_TABLES:
        raise Http404
    concerned = selectors.cases_concerning(reader.states)
    return pages.STAT_TABLES[table].csv(concerned, filename=f"crimes-{table}.csv", small_cells=0)
