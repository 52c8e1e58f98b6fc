from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reporting.models import Cycle, Obstacle, ProgressUpdate
from reporting.services import ObstacleData

TEXTAREA = {"rows": 5}


class UpdateForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ProgressUpdate
        fields = ["rating", "narrative", "achievements", "next_steps", "wps_note", "sensitivity"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 8}),
            "achievements": forms.Textarea(attrs=TEXTAREA),
            "next_steps": forms.Textarea(attrs=TEXTAREA),
            "wps_note": forms.Textarea(attrs={"rows": 3}),
            "rating": forms.RadioSelect,
            "sensitivity": forms.RadioSelect,
        }
        help_texts = {
            "narrative": _("What was done this period. Markdown: **bold**, lists, links."),
            "sensitivity": _("Public text may appear in the public edition of the report."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rating = self.fields["rating"]
        assert isinstance(rating, forms.ChoiceField)
        rating.required = False
        rating.choices = ProgressUpdate.Rating.choices


class ObstacleForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # An empty first choice, so that the spare blank obstacle form counts as unchanged.
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *Obstacle.Category.choices]
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", "—"), *Obstacle.Severity.choices]
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    mitigation = forms.CharField(
        label=_("Mitigation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    support_requested = forms.CharField(
        label=_("Support requested"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    support_from = forms.CharField(label=_("From whom"), required=False, max_length=200)
    escalate = forms.BooleanField(label=_("Escalate to leadership"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("support_requested") and not data.get("support_from"):
            self.add_error("support_from", _("Say from whom the support is requested."))
        return data

    def to_data(self) -> ObstacleData:
        d = self.cleaned_data
        return ObstacleData(
            id=d.get("id"),
            category=d["category"],
            severity=d["severity"],
            description=d["description"],
            mitigation=d.get("mitigation", ""),
            support_requested=d.get("support_requested", ""),
            support_from=d.get("support_from", ""),
            escalate=bool(d.get("escalate")),
        )


ObstacleFormSet = forms.formset_factory(ObstacleForm, extra=1, can_delete=True)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ValidateForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, image, CSV or text; up to 10 MB."),
    )
    url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("file")) == bool(data.get("url")):
            raise ValidationError(_("Attach either a file or a link."))
        return data


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["code", "kind", "period_start", "period_end", "opens_on", "due_on", "closes_on"]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"})
            for name in ["period_start", "period_end", "opens_on", "due_on", "closes_on"]
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        opens, due, closes = data.get("opens_on"), data.get("due_on"), data.get("closes_on")
        if opens and due and due < opens:
            self.add_error("due_on", _("Updates cannot be due before the cycle opens."))
        if due and closes and closes < due:
            self.add_error("closes_on", _("The cycle cannot close before updates are due."))
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        """The date checks above say it field by field; the plan is set by the view."""
