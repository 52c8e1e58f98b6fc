"""Indicator values with their breakdowns (disaggregations), and the tracking table as JSON rows.

Reported values are internal (indicators.selectors.values_visible_to: UN staff see them all,
anyone else none), as on the indicator pages; the tracking table is read by UN staff only, as
its page is (`require_internal`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import require_internal
from api.conventions import NeverStored, ReadOnlyResource
from api.interchange import PROBLEMS, HXLAliasRenderer, HXLRenderer, hxl_data
from core.numbers import plain_int
from core.selectors import entity_by_code
from indicators import selectors
from indicators.aggregation import STATUS_LABELS, Status
from indicators.models import Breakdown, Indicator, IndicatorValue
from plans.selectors import plan_for


class BreakdownSerializer(serializers.ModelSerializer[Breakdown]):
    dimension = serializers.CharField(source="category.dimension.code", read_only=True)
    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Breakdown
        fields = ["dimension", "category", "category_name", "amount", "numerator", "denominator"]


class IndicatorValueSerializer(serializers.ModelSerializer[IndicatorValue]):
    plan = serializers.CharField(source="indicator.plan.code", read_only=True)
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    entity = serializers.CharField(source="entity.code", read_only=True)
    cycle = serializers.CharField(source="cycle.code", read_only=True)
    period_start = serializers.DateField(source="cycle.period_start", read_only=True)
    period_end = serializers.DateField(source="cycle.period_end", read_only=True)
    plan_version = serializers.IntegerField(
        source="cycle.version.number", read_only=True, allow_null=True, default=None
    )
    breakdowns = BreakdownSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "plan",
            "indicator",
            "indicator_name",
            "unit",
            "entity",
            "cycle",
            "period_start",
            "period_end",
            "plan_version",
            "value",
            "numerator",
            "denominator",
            "note",
            "entered_at",
            "breakdowns",
        ]


class IntegerFilter(filters.Filter):
    field_class = forms.IntegerField


class IndicatorValueFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="indicator__plan__code", label=_("Plan code"))
    indicator = filters.CharFilter(field_name="indicator__code", label=_("Indicator code"))
    entity = filters.CharFilter(field_name="entity__code", label=_("Entity code"))
    cycle = filters.CharFilter(field_name="cycle__code", label=_("Cycle code"))
    period = filters.DateFilter(
        method="filter_period", label=_("A date within the cycle's period (ISO 8601)")
    )
    plan_version = IntegerFilter(
        field_name="cycle__version__number",
        label=_("Plan version in force in the cycle"),
        min_value=0,
        max_value=32767,  # a PositiveSmallIntegerField
    )

    class Meta:
        model = IndicatorValue
        fields = ["plan", "indicator", "entity", "cycle", "period", "plan_version"]

    def filter_period(
        self, queryset: QuerySet[IndicatorValue], name: str, value: dt.date
    ) -> QuerySet[IndicatorValue]:
        return queryset.filter(cycle__period_start__lte=value, cycle__period_end__gte=value)


def values_for(user: Any) -> QuerySet[IndicatorValue]:
    """The values the user may see (the indicator pages' gate), with what a row shows."""
    return (
        selectors.values_visible_to(user)
        .select_related("indicator__plan", "cycle__version", "entity")
        .prefetch_related(
            Prefetch(
                "breakdowns",
                queryset=Breakdown.objects.select_related("category__dimension").order_by(
                    "category__dimension__position", "category__position"
                ),
            )
        )
    )


# The HXL columns of indicator values: (header, hashtag, how to read the value from a row).
VALUE_COLUMNS: list[tuple[str, str, str]] = [
    ("indicator_code", "#indicator+code", "indicator"),
    ("indicator_name", "#indicator+name", "indicator_name"),
    ("period_start", "#date+start", "period_start"),
    ("period_end", "#date+end", "period_end"),
    ("entity_code", "#org+code", "entity"),
    ("country_code", "#country+code", "country"),
    ("value", "#value", "value"),
    ("numerator", "#value+numerator", "numerator"),
    ("denominator", "#value+denominator", "denominator"),
    ("unit", "#meta+unit", "unit"),
    ("cycle", "#meta+cycle", "cycle"),
    ("plan", "#meta+plan", "plan"),
]


@extend_schema_view(
    list=extend_schema(
        description=(
            "Reported values, each with its breakdowns. `indicator-values.csv` (or "
            "`?format=hxl`) gives every matching value, unpaginated, as HXL-tagged CSV."
        ),
        responses={
            (200, "application/json"): IndicatorValueSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            **PROBLEMS,
        },
    ),
    retrieve=extend_schema(
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={(200, "application/json"): IndicatorValueSerializer, **PROBLEMS},
    ),
)
class IndicatorValues(ReadOnlyResource):
    """What each entity reported for each indicator and cycle, with its disaggregations."""

    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    renderer_classes = [JSONRenderer, HXLRenderer, HXLAliasRenderer]
    ordering_fields = ["id", "cycle__period_start", "indicator__code", "entity__code"]
    ordering = ["cycle__period_start", "indicator__position", "entity__code", "id"]

    def get_queryset(self) -> QuerySet[IndicatorValue]:
        return values_for(self.request.user)

    def get_renderers(self) -> list[BaseRenderer]:
        # One value is JSON only; the CSV is a list's.
        if getattr(self, "action", None) == "retrieve":
            return [JSONRenderer()]
        return super().get_renderers()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if request.accepted_renderer.format in (HXLRenderer.format, HXLAliasRenderer.format):
            values = self.filter_queryset(self.get_queryset()).prefetch_related(
                "entity__mission__host_states"
            )
            return Response(
                hxl_data(VALUE_COLUMNS, (_hxl_row(v) for v in values)),
                headers={"Content-Disposition": 'attachment; filename="a4p-indicator-values.csv"'},
            )
        return super().list(request, *args, **kwargs)


def _hxl_row(value: IndicatorValue) -> dict[str, Any]:
    mission = getattr(value.entity, "mission", None)
    countries = " ".join(s.iso3 for s in mission.host_states.all()) if mission else ""
    return {
        "indicator": value.indicator.code,
        "indicator_name": value.indicator.name,
        "period_start": value.cycle.period_start.isoformat(),
        "period_end": value.cycle.period_end.isoformat(),
        "entity": value.entity.code,
        "country": countries,
        "value": value.value,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "unit": value.indicator.unit,
        "cycle": value.cycle.code,
        "plan": value.indicator.plan.code,
    }


# The tracking table ----------------------------------------------------------------------------


class TrackingCycleSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    state = serializers.CharField()


class CellSerializer(serializers.Serializer[Any]):
    cycle = serializers.CharField(source="cycle.code")
    target = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    actual = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    to_date = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    achievement = serializers.DecimalField(
        max_digits=20, decimal_places=1, allow_null=True, help_text=_("Percent of the target")
    )
    status = serializers.ChoiceField(choices=[s.value for s in Status])
    status_label = serializers.SerializerMethodField()
    entities = serializers.IntegerField(help_text=_("Entities that reported"))

    def get_status_label(self, cell: selectors.Cell) -> str:
        return str(STATUS_LABELS[cell.status])


class TrackingRowSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    attached_to = serializers.CharField(source="indicator.attached_code")
    priority = serializers.IntegerField(source="priority_number")
    unit = serializers.ChoiceField(source="indicator.unit", choices=Indicator.Unit.choices)
    direction = serializers.ChoiceField(
        source="indicator.direction", choices=Indicator.Direction.choices
    )
    baseline = serializers.DecimalField(
        source="indicator.baseline", max_digits=20, decimal_places=4, allow_null=True
    )
    end_target = serializers.DecimalField(
        source="span_target", max_digits=20, decimal_places=4, allow_null=True
    )
    wps = serializers.CharField(source="indicator.wps")
    cells = CellSerializer(many=True)


class TrackingSerializer(serializers.Serializer[Any]):
    plan = serializers.CharField()
    entity = serializers.CharField(allow_null=True)
    cycles = TrackingCycleSerializer(many=True)
    rows = TrackingRowSerializer(many=True)


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class Tracking(NeverStored, APIView):
    """The tracking table of a plan, as its page shows it: per indicator, target, actual, value
    to date, achievement and status of each reported cycle."""

    @extend_schema(
        operation_id="plans_tracking",
        parameters=[
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH),
            OpenApiParameter("priority", OpenApiTypes.INT, description=str(_("Priority number"))),
            OpenApiParameter(
                "entity", OpenApiTypes.STR, description=str(_("Only this entity's values"))
            ),
            OpenApiParameter("wps", OpenApiTypes.BOOL, description=str(_("Only WPS indicators"))),
        ],
        responses={(200, "application/json"): TrackingSerializer, **PROBLEMS},
    )
    def get(self, request: Request, code: str) -> Response:
        plan = plan_for(request.user, code)
        require_internal(request.user)
        errors: dict[str, str] = {}
        priority_text = request.query_params.get("priority", "")
        priority = plain_int(priority_text)
        if priority_text and priority is None:
            errors["priority"] = str(_("Give a priority number, for example 4."))
        entity_code = request.query_params.get("entity", "")
        # A code is a slug: anything else names no entity (and is never sent to the database).
        entity = entity_by_code(entity_code) if SLUG.fullmatch(entity_code) else None
        if entity_code and entity is None:
            errors["entity"] = str(_("No entity has this code."))
        wps = request.query_params.get("wps", "")
        if wps not in ("", "true", "false", "1", "0"):
            errors["wps"] = str(_("Give true or false."))
        if errors:
            raise ValidationError(errors)
        cycles = selectors.reported_cycles(plan)
        rows = selectors.tracking_table(
            plan,
            cycles=cycles,
            priority=priority,
            entity_id=entity.pk if entity else None,
            wps_only=wps in ("true", "1"),
        )
        for row in rows:
            for cell in row.cells:
                if cell.achievement is not None:
                    cell.achievement = round(cell.achievement, 1)
        data = {
            "plan": plan.code,
            "entity": entity.code if entity else None,
            "cycles": cycles,
            "rows": rows,
        }
        return Response(TrackingSerializer(data).data)
