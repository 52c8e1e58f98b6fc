from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Entity
from indicators.models import Category, Indicator
from indicators.services import ValueInput


def number_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=4, required=False)


class ValueForm(forms.Form):
    """One entity's value for an indicator in the open cycle, with its breakdowns."""

    entity = forms.ModelChoiceField(label=_("Reporting entity"), queryset=Entity.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        indicator: Indicator,
        entities: Any,
        categories: list[Category],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.categories = categories
        if entities is None:  # the entity is given by the page (a progress update)
            del self.fields["entity"]
        else:
            entity = self.fields["entity"]
            assert isinstance(entity, forms.ModelChoiceField)
            entity.queryset = entities
        unit = indicator.unit
        if unit == Indicator.Unit.PERCENT:
            self.fields["numerator"] = number_field(_("Numerator"))
            self.fields["denominator"] = number_field(_("Denominator"))
        elif unit == Indicator.Unit.YESNO:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Value"), coerce=Decimal, choices=[("1", _("Yes")), ("0", _("No"))]
            )
        elif unit == Indicator.Unit.ORDINAL:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Value"),
                coerce=Decimal,
                choices=[(str(i), label) for i, label in enumerate(indicator.scale, start=1)],
            )
        else:
            self.fields["value"] = number_field(_("Value"))
        for category in categories:
            label = f"{category.dimension.name}: {category.name}"
            if unit == Indicator.Unit.PERCENT:
                self.fields[f"cat_{category.pk}_num"] = number_field(
                    _("%(label)s — numerator") % {"label": label}
                )
                self.fields[f"cat_{category.pk}_den"] = number_field(
                    _("%(label)s — denominator") % {"label": label}
                )
            else:
                self.fields[f"cat_{category.pk}"] = number_field(label)
        self.fields["note"] = self.fields.pop("note")

    def breakdown_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("cat_")]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("cat_")]

    def to_input(self) -> ValueInput:
        d = self.cleaned_data
        breakdowns = {}
        for category in self.categories:
            breakdowns[category.pk] = (
                d.get(f"cat_{category.pk}"),
                d.get(f"cat_{category.pk}_num"),
                d.get(f"cat_{category.pk}_den"),
            )
        return ValueInput(
            value=d.get("value"),
            numerator=d.get("numerator"),
            denominator=d.get("denominator"),
            note=d.get("note", ""),
            breakdowns=breakdowns,
        )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)
