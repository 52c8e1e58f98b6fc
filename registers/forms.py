from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import MemberState, Mission
from registers.models import Case, CaseDocument, FollowUpStep, Victim

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MissionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.entity.acronym} — {obj.entity.display_name}"


class CaseForm(forms.ModelForm):
    mission = MissionChoice(queryset=Mission.objects.none(), label=_("Mission"))

    class Meta:
        model = Case
        fields = [
            "incident_date",
            "mission",
            "country",
            "place",
            "latitude",
            "longitude",
            "incident_type",
            "description",
            "suspected_perpetrators",
            "internal_notes",
            "sensitivity",
        ]
        widgets = {
            "incident_date": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "suspected_perpetrators": forms.Textarea(attrs={"rows": 2}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, missions: QuerySet[Mission], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions.select_related("entity")  # type: ignore[attr-defined]

    def clean_incident_date(self) -> Any:
        value = self.cleaned_data["incident_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of the incident cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both coordinates, or neither."))
        return data


class VictimForm(forms.ModelForm):
    nationality = forms.ModelChoiceField(
        queryset=MemberState.objects.all(),
        required=False,
        label=_("Nationality"),
        empty_label=_("Not recorded"),
    )

    class Meta:
        model = Victim
        fields = ["nationality", "personnel_type", "sex", "outcome"]


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUpStep
        fields = ["stage", "date", "source", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2})}


class DocumentForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = CaseDocument
        fields = ["title", "reference", "url", "document_date", "sensitivity"]
        widgets = {"document_date": DATE}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Required when closing a case without a judicial outcome."),
    )


class CaseFilterForm(forms.Form):
    mission = forms.CharField(required=False)
    year = forms.IntegerField(required=False, min_value=1940, max_value=2100)
    status = forms.ChoiceField(
        required=False, choices=[("", _("Any status")), *Case.Status.choices]
    )
    state = forms.CharField(required=False, max_length=3)
