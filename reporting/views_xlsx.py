"""Offline reporting: download an entity's updates for a cycle as a workbook, upload it back.

Only the entity's focal points and the planning unit reach these pages; anyone else gets a 404,
so the pages do not reveal which entities report in which cycle."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.models import Entity
from plans.models import Plan
from plans.selectors import plan_for
from reporting import selectors
from reporting.models import Cycle
from reporting.offline import (
    XLSX_CONTENT_TYPE,
    CellError,
    ImportResult,
    updates_import,
    updates_workbook,
    xlsx_filename,
)

MAX_UPLOAD_BYTES = 5_000_000


class XlsxUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in workbook (.xlsx)"),
        help_text=gettext_lazy("The file you downloaded for this cycle and entity; up to 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": f".xlsx,{XLSX_CONTENT_TYPE}",
                "aria-describedby": "id_file_help",
            }
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("This file is larger than %(limit)d MB.")
                % {"limit": MAX_UPLOAD_BYTES // 1_000_000}
            )
        return upload


@dataclass(frozen=True)
class _Target:
    """Whose workbook: the signed-in user, and the plan, cycle and entity named in the URL."""

    user: User
    plan: Plan
    cycle: Cycle
    entity: Entity


def _target(request: HttpRequest, plan_code: str, cycle_code: str, entity_code: str) -> _Target:
    user = request.user
    if not isinstance(user, User):  # login_required has sent anonymous visitors to sign in
        raise Http404(_("No such entity."))
    found = plan_for(user, plan_code)
    return _Target(
        user=user,
        plan=found,
        cycle=selectors.cycle_for(user, found, cycle_code),
        entity=selectors.offline_entity_for(user, entity_code),
    )


@login_required
@require_GET
def xlsx_download(
    request: HttpRequest, plan_code: str, cycle_code: str, entity_code: str
) -> HttpResponse:
    target = _target(request, plan_code, cycle_code, entity_code)
    content = updates_workbook(cycle=target.cycle, entity=target.entity, user=target.user)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=xlsx_filename(cycle=target.cycle, entity=target.entity)
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def xlsx_upload(
    request: HttpRequest, plan_code: str, cycle_code: str, entity_code: str
) -> HttpResponse:
    target = _target(request, plan_code, cycle_code, entity_code)
    form = XlsxUploadForm(request.POST or None, request.FILES or None)
    errors: list[CellError] = []
    if request.method == "POST" and form.is_valid():
        result = updates_import(
            cycle=target.cycle,
            entity=target.entity,
            user=target.user,
            data=form.cleaned_data["file"].read(),
        )
        if result.ok:
            _report_applied(request, result)
            return redirect(reverse("my-work"))
        errors = result.errors
    return render(
        request,
        "reporting/xlsx_upload.html",
        {
            "plan": target.plan,
            "cycle": target.cycle,
            "entity": target.entity,
            "form": form,
            "errors": errors,
            "download_url": reverse(
                "cycle-xlsx-download",
                kwargs={
                    "plan_code": target.plan.code,
                    "cycle_code": target.cycle.code,
                    "entity_code": target.entity.code,
                },
            ),
            "nav": "work",
        },
        status=400 if request.method == "POST" else 200,
    )


def _report_applied(request: HttpRequest, result: ImportResult) -> None:
    if result.applied:
        messages.success(
            request,
            ngettext("%(count)d update applied.", "%(count)d updates applied.", result.applied)
            % {"count": result.applied},
        )
    else:
        messages.info(request, _("No update applied: the file matches the saved updates."))
