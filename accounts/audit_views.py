"""The audit trail's page: who did what to which object, for administrators and the planning
unit (404 for everyone else), filtered, paginated and exported as CSV. The entries are written by
the services (`core.audit.log`); this page only reads them, through `audit_entries_visible_to`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.http import AuthenticatedRequest
from accounts.selectors import audit_entries_visible_to, reads_audit_trail
from core.export import csv_response
from core.models import AuditEntry
from core.selectors import audit_actions, audit_object_types

PAGE_SIZE = 50


def object_type_label(label: str) -> str:
    """An object type as the reader knows it ("progress update"), its code if the model is gone."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("User (username)"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=gettext_lazy("Object type"), required=False)
    object_id = forms.CharField(label=gettext_lazy("Object id"), required=False, max_length=80)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    since = forms.DateField(
        label=gettext_lazy("From (YYYY-MM-DD)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=gettext_lazy("To (YYYY-MM-DD)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, data: Any, *, object_types: Iterable[str], actions: Iterable[str]) -> None:
        super().__init__(data)
        any_type: list[tuple[str, str]] = [("", _("Any object type"))]
        self.fields["object_type"].choices = any_type + [  # type: ignore[attr-defined]
            (label, f"{object_type_label(label)} ({label})") for label in object_types
        ]
        any_action: list[tuple[str, str]] = [("", _("Any action"))]
        self.fields["action"].choices = any_action + [(a, a) for a in actions]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period is before its start."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The filters that were valid: a wrong field is reported on the form and left out."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in ("", None) and name not in self.errors
        }


def _parsed(request: AuthenticatedRequest) -> tuple[AuditFilterForm, dict[str, Any]]:
    if not reads_audit_trail(request.user):
        raise Http404
    form = AuditFilterForm(request.GET, object_types=audit_object_types(), actions=audit_actions())
    return form, form.filters()


def _query(filters: dict[str, Any]) -> str:
    return urlencode({name: str(value) for name, value in filters.items()})


def _details(entry: AuditEntry) -> str:
    return json.dumps(entry.data, ensure_ascii=False, sort_keys=True) if entry.data else ""


@login_required
def audit_trail(request: AuthenticatedRequest) -> HttpResponse:
    form, filters = _parsed(request)
    entries = audit_entries_visible_to(request.user, **filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav": "audit",
        "form": form,
        "page": page,
        "rows": [(e, object_type_label(e.object_type), _details(e)) for e in page],
        "query": _query(filters),
    }
    return render(request, "accounts/audit.html", context)


def _rows(entries: Iterable[AuditEntry]) -> Iterator[list[object]]:
    for entry in entries:
        yield [
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.actor.username if entry.actor else "",
            entry.action,
            entry.object_type,
            entry.object_id,
            _details(entry),
        ]


@login_required
def audit_trail_export(request: AuthenticatedRequest) -> HttpResponse:
    _form, filters = _parsed(request)
    entries = audit_entries_visible_to(request.user, **filters)
    header = [_("when"), _("who"), _("action"), _("object type"), _("object id"), _("details")]
    return csv_response("audit-trail.csv", header, _rows(entries.iterator(chunk_size=2000)))
