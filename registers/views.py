"""Pages of the register of crimes against peacekeepers. Views parse, call a selector or a
service, and render; every case is read through `selectors.case_for` / `cases_visible_to`, and
every detail view, export and API read of a case writes the access log."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import AuditEntry, MemberState, Mission
from plans.selectors import current_plan
from registers import selectors, services, stats
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
from registers.sop import OPEN_STATUSES, STAGES, Overdue, applies_from, overdue, overdue_for
from reporting.models import Notification, Sensitivity

PAGE_SIZE = 50


def _access(request: HttpRequest, need: str = "any") -> RegisterAccess:
    a = register_access_for(request.user)
    if not getattr(a, need):
        raise Http404
    return a


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "plan": current_plan(request.user),
        "nav": "registers",
        "register_access": register_access_for(request.user),
        **extra,
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    a = _access(request)
    if a.is_delegate and not (a.all_cases or a.missions):
        return redirect("register-portal")
    if a.any_cases:
        return redirect("register-cases")
    return redirect("register-statistics")


# Case list and exports -----------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[QuerySet[Case], dict[str, Any]]:
    form = CaseFilterForm(request.GET)
    cases = selectors.case_list(request.user)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        if data["mission"]:
            cases = cases.filter(mission__entity__acronym__iexact=data["mission"])
        if data["year"]:
            cases = cases.filter(incident_date__year=data["year"])
        if data["status"]:
            cases = cases.filter(status=data["status"])
        if data["state"]:
            cases = cases.filter(
                selectors.cases_concerning_states(
                    MemberState.objects.filter(iso3=data["state"].upper()).values("pk")
                )
            )
        filters = {k: v for k, v in data.items() if v not in (None, "")}
    return cases, filters


def _mark_overdue(cases: list[Case], today: dt.date) -> list[Case]:
    for case in cases:
        case.overdue = overdue_for(case, today)  # type: ignore[attr-defined]
        case.has_followup = any(  # type: ignore[attr-defined]
            getattr(case, f"first_{stage}") for stage in STAGES
        )
    return cases


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    a = _access(request, "any_cases")
    cases, filters = _filtered(request)
    page = selectors.page_of(cases, request.GET.get("page"), PAGE_SIZE)
    _mark_overdue(list(page.object_list), timezone.localdate())
    missions = Mission.objects.filter(
        entity_id__in=selectors.cases_visible_to(request.user).values("mission_id")
    ).select_related("entity")
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return render(
        request,
        "registers/case_list.html",
        _context(
            request,
            page=page,
            filters=filters,
            query=query,
            missions=missions,
            statuses=Case.Status.choices,
            access=a,
        ),
    )


def _csv_response(filename: str) -> tuple[HttpResponse, Any]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheets read UTF-8 with a byte-order mark
    return response, csv.writer(response)


def _shared(a: RegisterAccess, case: Case) -> bool:
    """Whether the narrative fields reach this reader."""
    return a.full_view(case) or case.sensitivity != Sensitivity.CONFIDENTIAL


CASE_COLUMNS = [
    ("case", lambda c, a: c.pk),
    ("incident_date", lambda c, a: c.incident_date.isoformat()),
    ("mission", lambda c, a: c.mission.entity.acronym),
    ("state", lambda c, a: c.country.iso3 if c.country else ""),
    ("place", lambda c, a: c.place),
    ("incident_type", lambda c, a: c.get_incident_type_display()),
    ("killed", lambda c, a: c.killed),
    ("injured", lambda c, a: c.injured),
    ("status", lambda c, a: c.get_status_display()),
    *[(f"{stage}_date", lambda c, a, s=stage: getattr(c, f"first_{s}") or "") for stage in STAGES],
    ("overdue", lambda c, a: c.overdue.stage if c.overdue else ""),
    ("description", lambda c, a: c.description if _shared(a, c) else ""),
    ("suspected_perpetrators", lambda c, a: c.suspected_perpetrators if _shared(a, c) else ""),
    ("sensitivity", lambda c, a: c.sensitivity),
]


@login_required
def case_list_export(request: HttpRequest) -> HttpResponse:
    a = _access(request, "any_cases")
    cases, _filters = _filtered(request)
    rows = _mark_overdue(list(selectors.annotated(cases)), timezone.localdate())
    response, writer = _csv_response("crimes-against-peacekeepers.csv")
    writer.writerow([name for name, _get in CASE_COLUMNS])
    for case in rows:
        writer.writerow([get(case, a) for _name, get in CASE_COLUMNS])
    services.accesses_record(
        user=request.user, case_ids=[c.pk for c in rows], action=CaseAccess.Action.EXPORT
    )
    return response


# One case ------------------------------------------------------------------------------------


def _case_overdue(case: Case) -> Overdue | None:
    reached: dict[str, dt.date | None] = dict.fromkeys(STAGES)
    for step in case.steps.all():
        first = reached[step.stage]
        if first is None or step.date < first:
            reached[step.stage] = step.date
    return overdue(
        incident_date=case.incident_date,
        status=case.status,
        reached=reached,
        today=timezone.localdate(),
    )


def _detail_context(request: HttpRequest, case: Case, **forms: Any) -> dict[str, Any]:
    a = register_access_for(request.user)
    full = a.full_view(case)
    editable = a.can_edit(case)
    context = _context(
        request,
        case=case,
        full=full,
        shared=_shared(a, case),
        can_edit=editable,
        overdue=_case_overdue(case),
        documents=selectors.documents_for(request.user, case),
        victims=list(case.victims.all()),
        steps=list(case.steps.all()),
    )
    if full:
        context["history"] = AuditEntry.objects.filter(
            object_type="registers.case", object_id=str(case.pk)
        ).select_related("actor")[:50]
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
    a = register_access_for(request.user)
    shared = _shared(a, case)
    response, writer = _csv_response(f"case-{case.pk}.csv")
    writer.writerow([_("section"), _("field"), _("value")])
    facts = [
        ("case", case.pk),
        ("incident_date", case.incident_date.isoformat()),
        ("mission", case.mission.entity.acronym),
        ("state", case.country.iso3 if case.country else ""),
        ("place", case.place),
        ("incident_type", case.get_incident_type_display()),
        ("status", case.get_status_display()),
    ]
    if shared:
        facts += [
            ("latitude", case.latitude if case.latitude is not None else ""),
            ("longitude", case.longitude if case.longitude is not None else ""),
            ("description", case.description),
            ("suspected_perpetrators", case.suspected_perpetrators),
        ]
    if a.full_view(case):
        facts += [("internal_notes", case.internal_notes), ("sensitivity", case.sensitivity)]
    for name, value in facts:
        writer.writerow(["case", name, value])
    for n, victim in enumerate(case.victims.all(), start=1):
        writer.writerow(
            [
                "victim",
                n,
                "; ".join(
                    [
                        victim.nationality.iso3 if victim.nationality else victim.nationality_label,
                        victim.get_personnel_type_display(),
                        victim.get_sex_display(),
                        victim.get_outcome_display(),
                    ]
                ),
            ]
        )
    for step in case.steps.all():
        source = step.source if shared else ""
        value = f"{step.date.isoformat()}; {source}"
        writer.writerow(["follow-up", step.get_stage_display(), value])
    services.accesses_record(user=request.user, case_ids=[case.pk], action=CaseAccess.Action.EXPORT)
    return response


def _editable_missions(a: RegisterAccess) -> QuerySet[Mission]:
    if a.edit_all:
        return Mission.objects.all()
    return Mission.objects.filter(entity_id__in=a.edit_missions)


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    a = _access(request, "can_create")
    form = CaseForm(request.POST or None, missions=_editable_missions(a))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=request.user, **form.cleaned_data)
        except services.RegisterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Case recorded."))
            return redirect("register-case", pk=case.pk)
    return render(request, "registers/case_form.html", _context(request, form=form, case=None))


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    a = register_access_for(request.user)
    if not a.can_edit(case):
        raise Http404
    form = CaseForm(request.POST or None, instance=case, missions=_editable_missions(a))
    if request.method == "POST" and form.is_valid():
        original = Case.objects.get(pk=case.pk)
        try:
            changed = services.case_update(actor=request.user, case=original, **form.cleaned_data)
        except services.RegisterError as exc:
            form.add_error(None, str(exc))
        else:
            if changed:
                messages.success(request, _("Case saved."))
            return redirect("register-case", pk=case.pk)
    return render(request, "registers/case_form.html", _context(request, form=form, case=case))


@login_required
@require_POST
def case_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Add a victim, a follow-up step or a document, or change the status (POST from the case
    page). A refused form re-shows the case page with what was typed."""
    case = selectors.case_for(request.user, pk)
    if part not in ("victim", "followup", "document", "status"):
        raise Http404
    if not register_access_for(request.user).can_edit(case):
        raise Http404
    form_class = {
        "victim": VictimForm,
        "followup": FollowUpForm,
        "document": DocumentForm,
        "status": StatusForm,
    }[part]
    form = form_class(request.POST, prefix=part)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if part == "victim":
                services.victim_add(actor=request.user, case=case, **data)
            elif part == "followup":
                services.followup_add(actor=request.user, case=case, **data)
            elif part == "document":
                services.document_add(actor=request.user, case=case, **data)
            else:
                services.case_status_set(actor=request.user, case=case, **data)
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
    return cases if cases is not None else Case.objects.none()


STAT_TABLES = {
    "by-year": (
        stats.cases_by_year,
        ["year", "cases", "killed", "injured"],
    ),
    "by-mission": (
        stats.cases_by_mission,
        ["mission", "cases", "killed", "injured"],
    ),
    "by-incident-type": (stats.cases_by_incident_type, ["label", "cases"]),
    "by-nationality": (
        stats.victims_by_nationality,
        ["iso3", "name", "victims", "killed", "injured"],
    ),
}


def _bars(rows: list[dict[str, Any]], label: str, value: str) -> dict[str, Any]:
    """Data for an accessible inline SVG bar chart drawn by the template."""
    top = max((row[value] for row in rows), default=0) or 1
    return {
        "rows": [
            {"label": row[label], "value": row[value], "width": round(row[value] * 300 / top)}
            for row in rows
        ],
        "height": 22 * len(rows),
    }


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    cases = _stats_scope(request)
    by_year = stats.cases_by_year(cases)
    by_mission = stats.cases_by_mission(cases)
    return render(
        request,
        "registers/statistics.html",
        _context(
            request,
            by_year=by_year,
            by_mission=by_mission,
            year_chart=_bars(by_year, "year", "cases"),
            mission_chart=_bars(by_mission, "mission", "cases"),
            by_type=stats.cases_by_incident_type(cases),
            by_nationality=stats.victims_by_nationality(cases),
            followup=stats.followup_share(cases),
            followup_by_mission=stats.followup_by_mission(cases),
            stages=STAGES,
            access=register_access_for(request.user),
        ),
    )


def _table_csv(rows: list[dict[str, Any]], columns: list[str], name: str) -> HttpResponse:
    response, writer = _csv_response(name)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") if row.get(c) is not None else "" for c in columns])
    return response


@login_required
def statistics_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in STAT_TABLES:
        raise Http404
    function, columns = STAT_TABLES[table]
    return _table_csv(function(_stats_scope(request)), columns, f"crimes-{table}.csv")


OVERDUE_SHOWN = 20


# Member State portal -------------------------------------------------------------------------


def _portal_cases(request: HttpRequest) -> tuple[RegisterAccess, QuerySet[Case]]:
    a = _access(request, "is_delegate")
    concerned = Case.objects.filter(selectors.cases_concerning_states(a.states))
    return a, concerned


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    a, concerned = _portal_cases(request)
    today = timezone.localdate()
    page = selectors.page_of(concerned, request.GET.get("page"), PAGE_SIZE)
    _mark_overdue(list(page.object_list), today)
    # Only open cases since the procedure applies can be overdue: few, whatever the register's size.
    may_be_late = concerned.filter(status__in=OPEN_STATUSES, incident_date__gte=applies_from())
    # Judged on plain rows (dates of the stages reached, no victims or names), then only the
    # cases shown are loaded in full.
    late: dict[int, Overdue] = {}
    for row in may_be_late.annotate(
        **{f"first_{s}": Min("steps__date", filter=Q(steps__stage=s)) for s in STAGES}
    ).values("pk", "incident_date", "status", *[f"first_{s}" for s in STAGES]):
        found = overdue(
            incident_date=row["incident_date"],
            status=row["status"],
            reached={s: row[f"first_{s}"] for s in STAGES},
            today=today,
        )
        if found:
            late[row["pk"]] = found
    longest = sorted(late, key=lambda pk: (-late[pk].days_late, pk))[:OVERDUE_SHOWN]
    shown = {c.pk: c for c in selectors.annotated(Case.objects.filter(pk__in=longest))}
    for case in shown.values():
        case.overdue = late[case.pk]  # type: ignore[attr-defined]
    by_year = stats.cases_by_year(concerned)
    by_mission = stats.cases_by_mission(concerned)
    states = list(MemberState.objects.filter(pk__in=a.states))
    log = Paginator(
        selectors.access_log_for_states(a.states).order_by("-at", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("log"))
    notes = Notification.objects.filter(
        user_id=int(request.user.pk or 0), kind=Notification.Kind.CASE_CHANGED
    ).order_by("-created_at")[:20]
    return render(
        request,
        "registers/portal.html",
        _context(
            request,
            states=states,
            page=page,
            overdue_count=len(late),
            # The longest overdue first; the page lists a few, the case list marks them all.
            overdue_shown=[shown[pk] for pk in longest],
            overdue_more=max(0, len(late) - OVERDUE_SHOWN),
            followup=stats.followup_share(concerned),
            killed=sum(row["killed"] for row in by_year),
            injured=sum(row["injured"] for row in by_year),
            by_year=by_year,
            by_mission=by_mission,
            year_chart=_bars(by_year, "year", "cases"),
            mission_chart=_bars(by_mission, "mission", "cases"),
            log=log,
            notifications=notes,
            stages=STAGES,
        ),
    )


@login_required
def portal_csv(request: HttpRequest, table: str) -> HttpResponse:
    _a, concerned = _portal_cases(request)
    if table not in ("by-year", "by-mission"):
        raise Http404
    function, columns = STAT_TABLES[table]
    return _table_csv(function(concerned), columns, f"crimes-{table}.csv")


# JSON API ------------------------------------------------------------------------------------


def _api_user(request: HttpRequest) -> RegisterAccess:
    if not request.user.is_authenticated:
        raise Http404
    return _access(request, "any_cases")


def _case_json(case: Case, a: RegisterAccess, *, detail: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": case.pk,
        "incident_date": case.incident_date.isoformat(),
        "mission": case.mission.entity.acronym,
        "state": case.country.iso3 if case.country else None,
        "place": case.place,
        "incident_type": case.incident_type,
        "status": case.status,
    }
    if not detail:
        item["killed"] = case.killed  # type: ignore[attr-defined]
        item["injured"] = case.injured  # type: ignore[attr-defined]
        return item
    if _shared(a, case):
        item["description"] = case.description
        item["suspected_perpetrators"] = case.suspected_perpetrators
    if a.full_view(case):
        item["internal_notes"] = case.internal_notes
        item["sensitivity"] = case.sensitivity
    item["victims"] = [
        {
            "nationality": v.nationality.iso3 if v.nationality else None,
            "personnel_type": v.personnel_type,
            "sex": v.sex,
            "outcome": v.outcome,
        }
        for v in case.victims.all()
    ]
    item["follow_up"] = [
        {"stage": s.stage, "date": s.date.isoformat()}
        | ({"source": s.source} if _shared(a, case) else {})
        for s in case.steps.all()
    ]
    return item


@login_required
def api_cases(request: HttpRequest) -> JsonResponse:
    a = _api_user(request)
    cases, _filters = _filtered(request)
    page = selectors.page_of(cases, request.GET.get("page"), 200)
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [_case_json(c, a, detail=False) for c in page.object_list],
        }
    )


@login_required
def api_case(request: HttpRequest, pk: int) -> JsonResponse:
    a = _api_user(request)
    case = selectors.case_for(request.user, pk)
    services.accesses_record(user=request.user, case_ids=[case.pk], action=CaseAccess.Action.API)
    return JsonResponse(_case_json(case, a, detail=True))
