"""Forms of the account pages: a new personal API token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    READ_ONLY = "read-only"
    READ_WRITE = "read-write"

    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. a script's name.")
    )
    access = forms.ChoiceField(
        label=_("Access"),
        choices=[
            (READ_ONLY, _("Read only")),
            (READ_WRITE, _("Read and write (where your role may write)")),
        ],
        initial=READ_ONLY,
        widget=forms.RadioSelect,
    )
    expires_days = forms.IntegerField(
        label=_("Expires after (days)"), min_value=1, max_value=3650, initial=90
    )
