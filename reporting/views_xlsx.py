"""Offline reporting: download an entity's updates for a cycle as a workbook, upload it back.

Only the entity's focal points and the planning unit reach these pages; anyone else gets a 404,
so the pages do not reveal which entities report in which cycle."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import access_for
from core.models import Entity
from plans.models import Plan
from plans.selectors import plan_for
from reporting import selectors, xlsx
from reporting.models import Cycle

MAX_UPLOAD_BYTES = 5_000_000


class XlsxUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in workbook (.xlsx)"),
        help_text=gettext_lazy("The file you downloaded for this cycle and entity; up to 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": f".xlsx,{xlsx.XLSX_CONTENT_TYPE}",
                "aria-describedby": "id_file_help",
            }
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("This file is larger than %(limit)d MB.")
                % {"limit": MAX_UPLOAD_BYTES // 1_000_000}
            )
        return upload


def _load(request: HttpRequest, plan: str, cycle: str, entity: str) -> tuple[Plan, Cycle, Entity]:
    the_plan = plan_for(request.user, plan)
    the_cycle = selectors.cycle_for(request.user, the_plan, cycle)
    the_entity = Entity.objects.filter(code=entity).first()
    if the_entity is None:
        raise Http404(_("No such entity."))
    a = access_for(request.user)
    if not (a.planner or the_entity.pk in a.focal_entities):
        raise Http404(_("No such entity."))
    return the_plan, the_cycle, the_entity


@login_required
@require_GET
def xlsx_download(request: HttpRequest, plan: str, cycle: str, entity: str) -> HttpResponse:
    _plan, the_cycle, the_entity = _load(request, plan, cycle, entity)
    content = xlsx.updates_workbook(cycle=the_cycle, entity=the_entity, user=request.user)
    response = HttpResponse(content, content_type=xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=xlsx.xlsx_filename(cycle=the_cycle, entity=the_entity)
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def xlsx_upload(request: HttpRequest, plan: str, cycle: str, entity: str) -> HttpResponse:
    the_plan, the_cycle, the_entity = _load(request, plan, cycle, entity)
    form = XlsxUploadForm(request.POST or None, request.FILES or None)
    errors: list[xlsx.CellError] = []
    if request.method == "POST" and form.is_valid():
        result = xlsx.updates_import(
            cycle=the_cycle,
            entity=the_entity,
            user=request.user,
            data=form.cleaned_data["file"].read(),
        )
        if result.ok:
            if result.applied:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d update applied.", "%(count)d updates applied.", result.applied
                    )
                    % {"count": result.applied},
                )
            else:
                messages.info(request, _("No update applied: the file matches the saved updates."))
            return redirect(reverse("my-work"))
        errors = result.errors
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reporting/xlsx_upload.html",
        {
            "plan": the_plan,
            "cycle": the_cycle,
            "entity": the_entity,
            "form": form,
            "errors": errors,
            "download_url": reverse(
                "cycle-xlsx-download",
                kwargs={"plan": the_plan.code, "cycle": the_cycle.code, "entity": the_entity.code},
            ),
            "nav": "work",
        },
        status=status,
    )
