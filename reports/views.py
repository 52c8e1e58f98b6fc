"""Pages of the consolidated report: the public list of published editions, the planning unit's
preparation page, the in-app preview, jobs and downloads."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from accounts.reauth import require_recent_auth
from core.storage import UndecryptableFile
from plans.selectors import current_plan, plan_for
from reporting.models import Cycle
from reporting.selectors import cycle_for
from reports import content, selectors, services
from reports.content import ReportError
from reports.forms import BuildForm, PublishForm, SummaryForm
from reports.models import CONTENT_TYPES, Edition, ReportJob

log = logging.getLogger(__name__)


def report_list(request: HttpRequest) -> HttpResponse:
    """Published editions: public ones for anyone, internal ones for UN staff."""
    return render(
        request,
        "reports/list.html",
        {
            "publications": selectors.latest_publications(request.user),
            "may_prepare": selectors.may_prepare(request.user),
            "plan": current_plan(request.user),
            "nav": "reports",
        },
    )


def published_file(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    stored = selectors.published_file_for(request.user, pk)
    if filename != stored.filename:
        raise Http404
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=stored.format != "html",
        filename=stored.filename,
        content_type=CONTENT_TYPES[stored.format],
    )
    response["X-Content-SHA256"] = stored.sha256
    if stored.format == "html":
        # A standalone document with its own inline styles, shown in a sandbox.
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
        )
    return response


def _prepared_cycle(request: HttpRequest, plan_code: str, cycle_code: str) -> Cycle:
    found = cycle_for(request.user, plan_for(request.user, plan_code), cycle_code)
    if not selectors.may_prepare(request.user):
        raise Http404
    return found


@login_required
def report_prepare(request: AuthenticatedRequest, plan_code: str, cycle_code: str) -> HttpResponse:
    prepared = _prepared_cycle(request, plan_code, cycle_code)
    services.jobs_fail_stale()
    draft = selectors.draft_of(prepared)
    may_publish = selectors.may_publish(request.user)
    summary_form = SummaryForm(request.POST or None, instance=draft)
    if request.method == "POST":
        if not may_publish:
            raise Http404
        if summary_form.is_valid():
            try:
                services.summary_save(
                    cycle=prepared,
                    text=summary_form.cleaned_data["executive_summary"],
                    actor=request.user,
                )
            except ReportError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The executive summary is saved."))
                return redirect(request.path)
    validated, total = selectors.update_counts(prepared)
    return render(
        request,
        "reports/prepare.html",
        {
            "plan": prepared.plan,
            "cycle": prepared,
            "draft": draft,
            "summary_form": summary_form,
            "build_form": BuildForm(initial={"language": translation.get_language()}),
            "publish_form": PublishForm(),
            "may_publish": may_publish,
            "publishable": prepared.state in services.PUBLISHABLE_STATES,
            "validated": validated,
            "total": total,
            "publications": selectors.publications_visible_to(request.user).filter(cycle=prepared),
            "jobs": selectors.jobs_visible_to(request.user).filter(cycle=prepared)[:5],
            "nav": "cycles",
        },
    )


@login_required
def report_preview(request: HttpRequest, plan_code: str, cycle_code: str) -> HttpResponse:
    prepared = _prepared_cycle(request, plan_code, cycle_code)
    edition = request.GET.get("edition", Edition.PUBLIC)
    if edition not in content.EDITIONS:
        raise Http404
    draft = selectors.draft_of(prepared)
    try:
        report = content.build_report(
            prepared,
            edition=edition,
            executive_summary=draft.executive_summary if draft else "",
        )
    except ReportError as error:
        messages.error(request, str(error))
        return redirect("report-prepare", plan_code=plan_code, cycle_code=cycle_code)
    return render(
        request,
        "reports/preview.html",
        {"plan": prepared.plan, "cycle": prepared, "report": report, "nav": "cycles"},
    )


@login_required
@require_POST
def report_build(request: AuthenticatedRequest, plan_code: str, cycle_code: str) -> HttpResponse:
    prepared = _prepared_cycle(request, plan_code, cycle_code)
    form = BuildForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an edition, a format and a language."))
        return redirect("report-prepare", plan_code=plan_code, cycle_code=cycle_code)
    job = services.job_create(
        kind=ReportJob.Kind.BUILD,
        cycle=prepared,
        actor=request.user,
        edition=form.cleaned_data["edition"],
        fmt=form.cleaned_data["format"],
        language=form.cleaned_data["language"],
        confidential=form.cleaned_data["confidential"],
    )
    services.job_enqueue(job)
    return redirect("report-job", job=job.pk)


@login_required
@require_POST
@require_recent_auth
def report_publish(request: AuthenticatedRequest, plan_code: str, cycle_code: str) -> HttpResponse:
    prepared = _prepared_cycle(request, plan_code, cycle_code)
    if not selectors.may_publish(request.user):
        raise Http404
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Tick the confirmation and at least one language to publish the report."),
        )
        return redirect("report-prepare", plan_code=plan_code, cycle_code=cycle_code)
    try:
        job = services.job_create(
            kind=ReportJob.Kind.PUBLISH,
            cycle=prepared,
            actor=request.user,
            language=",".join(form.cleaned_data["languages"]),
        )
    except ReportError as error:
        messages.error(request, str(error))
        return redirect("report-prepare", plan_code=plan_code, cycle_code=cycle_code)
    services.job_enqueue(job)
    return redirect("report-job", job=job.pk)


@login_required
def report_job(request: HttpRequest, job: str) -> HttpResponse:
    services.jobs_fail_stale()
    report_job = selectors.job_for(request.user, job)
    return render(
        request,
        "reports/job.html",
        {
            "job": report_job,
            "plan": report_job.cycle.plan,
            "cycle": report_job.cycle,
            "prepare_url": reverse(
                "report-prepare",
                kwargs={
                    "plan_code": report_job.cycle.plan.code,
                    "cycle_code": report_job.cycle.code,
                },
            ),
            "may_retry": report_job.kind != ReportJob.Kind.PUBLISH
            or selectors.may_publish(request.user),
            "nav": "cycles",
        },
    )


@login_required
@require_POST
def report_job_retry(request: AuthenticatedRequest, job: str) -> HttpResponse:
    """A failed job again, with the same parameters, behind the gate of starting one."""
    failed = selectors.job_for(request.user, job)
    if failed.kind == ReportJob.Kind.PUBLISH and not selectors.may_publish(request.user):
        raise Http404
    try:
        retried = services.job_retry(job=failed, actor=request.user)
    except ReportError as error:
        messages.error(request, str(error))
        return redirect("report-job", job=failed.pk)
    services.job_enqueue(retried)
    return redirect("report-job", job=retried.pk)


@login_required
def report_job_file(request: HttpRequest, job: str) -> HttpResponseBase:
    report_job = selectors.job_for(request.user, job)
    if report_job.state != ReportJob.State.DONE or not report_job.file:
        raise Http404
    try:
        stored = report_job.file.open("rb")
    except UndecryptableFile:
        log.error("report job %s: its file cannot be decrypted with the file keys", report_job.pk)
        messages.error(
            request,
            _("This file does not open with the server's file keys: build it again."),
        )
        return redirect("report-job", job=report_job.pk)
    return FileResponse(
        stored,
        as_attachment=True,
        filename=report_job.filename,
        content_type=CONTENT_TYPES[report_job.format],
    )
