from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.models import Edition, Format, ReportDraft


class SummaryForm(forms.ModelForm):
    class Meta:
        model = ReportDraft
        fields = ["executive_summary"]
        widgets = {"executive_summary": forms.Textarea(attrs={"rows": 12})}


class BuildForm(forms.Form):
    edition = forms.ChoiceField(label=_("Edition"), choices=Edition.choices)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    confidential = forms.BooleanField(
        label=_("Include confidential content (internal edition only, never published)"),
        required=False,
    )


class PublishForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        initial=[code for code, _name in settings.LANGUAGES],
    )
    confirm = forms.BooleanField(
        label=_(
            "I have read the public edition: it may be circulated outside the United Nations, "
            "and the published files can never be changed."
        )
    )
