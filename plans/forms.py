from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Entity
from plans.models import DeliverableEntity, Plan
from plans.selectors import DeliverableFilter


class EntityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Entity) -> str:
        return f"{obj.acronym} — {obj.display_name}" if obj.acronym else obj.display_name


class DeliverableFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words in the text")}),
    )
    entity = EntityChoiceField(
        label=_("Entity"),
        queryset=Entity.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Any entity"),
    )
    role = forms.ChoiceField(
        label=_("As"),
        required=False,
        choices=[("", _("Lead or supporting")), *DeliverableEntity.Role.choices],
    )
    marker = forms.ChoiceField(label=_("Marker"), required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, *args: Any, plan: Plan, entities: Any, priorities: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        entity_field = self.fields["entity"]
        assert isinstance(entity_field, forms.ModelChoiceField)
        entity_field.queryset = entities
        marker_field = self.fields["marker"]
        assert isinstance(marker_field, forms.ChoiceField)
        marker_field.choices = [("", _("Any marker"))] + [
            (m.code, m.name) for m in plan.markers.all()
        ]
        priority_field = self.fields["priority"]
        assert isinstance(priority_field, forms.ChoiceField)
        priority_field.choices = [("", _("All priorities"))] + [
            (p.number, f"{p.number}. {p.title}") for p in priorities
        ]

    def to_filter(self) -> DeliverableFilter:
        data = self.cleaned_data
        return DeliverableFilter(
            q=data.get("q") or "",
            entity=data.get("entity"),
            role=data.get("role") or "",
            marker=data.get("marker") or "",
            priority=data.get("priority"),
        )
