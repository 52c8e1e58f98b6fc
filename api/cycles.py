"""Reporting cycles: internal, as `reporting.selectors.cycles_visible_to` gives them (UN staff
in any role; 404 and an empty list for anyone else). Looked up by their code (2023-H1)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from rest_framework import serializers

from api.conventions import ReadOnlyResource
from reporting.models import Cycle
from reporting.selectors import cycles_visible_to


class CycleSerializer(serializers.ModelSerializer[Cycle]):
    plan = serializers.CharField(source="plan.code", read_only=True)
    version = serializers.IntegerField(
        source="version.number",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("The number of the plan version the cycle reports against."),
    )
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "code",
            "plan",
            "version",
            "kind",
            "state",
            "state_label",
            "period_start",
            "period_end",
            "opens_on",
            "due_on",
            "closes_on",
        ]


class CycleFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="plan__code")
    state = filters.ChoiceFilter(choices=Cycle.State.choices)
    kind = filters.ChoiceFilter(choices=Cycle.Kind.choices)

    class Meta:
        model = Cycle
        fields = ["plan", "state", "kind"]


class Cycles(ReadOnlyResource):
    """Reporting cycles with their state and dates. A code names one cycle of a plan; when two
    plans have a cycle of the same code, the detail address needs `?plan=`."""

    serializer_class = CycleSerializer
    filterset_class = CycleFilter
    lookup_field = "code"
    ordering_fields = ["period_start", "code", "opens_on", "due_on"]
    ordering = ["-period_start", "code"]

    def get_queryset(self) -> QuerySet[Cycle]:
        return cycles_visible_to(self.request.user).select_related("plan", "version")

    def get_object(self) -> Cycle:
        found = list(self.filter_queryset(self.get_queryset()).filter(code=self.kwargs["code"])[:2])
        if not found:
            raise Http404(_("No such reporting cycle."))
        if len(found) > 1:
            raise serializers.ValidationError(
                {
                    "plan": [
                        _("Several plans have a cycle %(code)s: give the plan's code.")
                        % {"code": self.kwargs["code"]}
                    ]
                }
            )
        return found[0]
