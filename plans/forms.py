"""The plan's forms: the deliverable filter, the edits of a draft revision, and the work plans'
assignments, focal points and milestones."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import users_holding
from core.models import Entity
from plans.exporters import plain_number
from plans.models import DeliverableEntity, Milestone, Plan, Priority
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
        self,
        *args: Any,
        plan: Plan,
        entities: QuerySet[Entity],
        priorities: QuerySet[Priority],
        **kwargs: Any,
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


def _code_list(raw: str) -> list[str]:
    return [code.strip() for code in raw.split(",") if code.strip()]


class DeliverableEditForm(forms.Form):
    code = forms.CharField(label=_("Deliverable code"), max_length=12)
    result = forms.CharField(
        label=_("Result"),
        max_length=10,
        required=False,
        help_text=_("Only for a new deliverable."),
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    lead_text = forms.CharField(label=_("Lead line"), max_length=500)
    lead_entities = forms.CharField(label=_("Lead entities (codes, comma-separated)"))
    supporting_entities = forms.CharField(
        label=_("Supporting entities (codes, comma-separated)"), required=False
    )
    markers = forms.CharField(label=_("Markers (codes, comma-separated)"), required=False)
    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_lead_entities(self) -> list[str]:
        return _code_list(self.cleaned_data["lead_entities"])

    def clean_supporting_entities(self) -> list[str]:
        return _code_list(self.cleaned_data["supporting_entities"])

    def clean_markers(self) -> list[str]:
        return _code_list(self.cleaned_data["markers"])


class RetireForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    reason = forms.CharField(
        label=_("Reason for retiring it"), widget=forms.Textarea(attrs={"rows": 2})
    )


class IndicatorEditForm(forms.Form):
    code = forms.CharField(label=_("Indicator code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    end_target = forms.DecimalField(label=_("End-of-plan target"), required=False)
    targets = forms.CharField(
        label=_("Period targets"),
        required=False,
        help_text=_("For example: 2024-H1=12; 2024-H2=13. Replaces all targets."),
    )
    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_targets(self) -> dict[str, Any] | None:
        raw = self.cleaned_data.get("targets", "").strip()
        if not raw:
            return None
        targets: dict[str, Any] = {}
        for part in raw.split(";"):
            period, _sep, value = part.partition("=")
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                raise forms.ValidationError(
                    _("%(part)s: write period=value, for example 2024-H1=12.")
                    % {"part": part.strip()}
                ) from None
            targets[period.strip()] = plain_number(number)
        return dict(sorted(targets.items()))


class IndicatorAddForm(IndicatorEditForm):
    """A new indicator: the edit form's fields, plus what defines it."""

    definition = forms.CharField(
        label=_("Definition"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attached_to = forms.CharField(
        label=_("Attached to (priority, result or deliverable code)"), max_length=10
    )
    unit = forms.ChoiceField(
        label=_("Unit of measure"),
        choices=[
            ("number", _("Number")),
            ("percent", _("Percent")),
            ("yesno", _("Yes/no")),
        ],
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[
            ("increase", _("Higher is better")),
            ("decrease", _("Lower is better")),
        ],
    )
    period_aggregation = forms.ChoiceField(
        label=_("Across periods"),
        choices=[
            ("latest", _("Latest value")),
            ("sum", _("Sum of the periods")),
            ("cumulative", _("Cumulative (running total reported)")),
            ("mean", _("Mean of the periods")),
        ],
    )
    data_source = forms.CharField(label=_("Data source"), required=False, max_length=300)
    field_order = [
        "code",
        "name",
        "definition",
        "attached_to",
        "unit",
        "direction",
        "period_aggregation",
        "targets",
        "end_target",
        "data_source",
        "reason",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )


class AssignmentAddForm(forms.Form):
    deliverable = forms.CharField(label=_("Deliverable code"), max_length=12)
    role = forms.ChoiceField(label=_("Role"), choices=DeliverableEntity.Role.choices[:2])


class FocalPointsForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label=_("Focal points"),
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, entity: Entity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = self.fields["users"]
        assert isinstance(users, forms.ModelMultipleChoiceField)
        users.queryset = users_holding(Role.FOCAL_POINT, entity_ids=[entity.pk]).order_by(
            "last_name", "first_name"
        )


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "status", "completed_on"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "completed_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Milestone.Status.DONE and not data.get("completed_on"):
            self.add_error("completed_on", _("A milestone that is done needs its completion date."))
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        """Checked field by field in clean(); the assignment is set by the service."""


def form_errors(form: forms.BaseForm) -> str:
    """A form's errors in one line, for a message above the page."""
    return "; ".join(str(error) for errors in form.errors.values() for error in errors)
