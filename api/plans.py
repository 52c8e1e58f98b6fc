"""The plan: plans by code, their versions and the tree of a version (priorities → results →
deliverables with their entities and indicators), and the deliverables as a filterable list.

The plan is a public document: every signed-in token reads it. Draft revisions are the planning
unit's only, as on the versions page (`plans.selectors.versions_visible_to`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.conventions import ReadOnlyResource
from core.models import Entity
from plans import selectors
from plans.models import (
    Assignment,
    Deliverable,
    DeliverableEntity,
    Marker,
    Milestone,
    Plan,
    PlanVersion,
)
from plans.versions import ROLE_KEYS, current_version
from reporting.selectors import cycles_visible_to


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` (or 1, 0); anything else is an error, not "no filter"."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        text = str(value).strip().lower() if value is not None else ""
        if text == "":
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise ValidationError(_("Give true or false."), code="invalid")

    def validate(self, value: Any) -> None:
        return None


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["widget"] = forms.TextInput
        super().__init__(*args, **kwargs)


class IntegerFilter(filters.NumberFilter):
    """A whole number: 1.5 is an error, not 1."""

    field_class = forms.IntegerField


# Plans and versions ----------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer[Plan]):
    current_version = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The number of the version in force (the latest published)."),
    )

    class Meta:
        model = Plan
        fields = ["code", "title", "short_title", "period_start", "period_end", "current_version"]


class VersionSerializer(serializers.ModelSerializer[PlanVersion]):
    class Meta:
        model = PlanVersion
        fields = [
            "number",
            "state",
            "effective_from",
            "published_at",
            "created_at",
            "note",
            "source",
            "reasons",
        ]


class TreeEntitySerializer(serializers.Serializer[dict[str, Any]]):
    entity = serializers.CharField(help_text=gettext_lazy("The entity's code."))
    scope = serializers.CharField(default="")
    level = serializers.CharField(default="")


class BaselineSerializer(serializers.Serializer[dict[str, Any]]):
    value = serializers.FloatField()
    date = serializers.DateField(default=None, allow_null=True)


class TreeIndicatorSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField(default="increase")
    baseline = BaselineSerializer(default=None, allow_null=True)
    targets = serializers.DictField(
        child=serializers.FloatField(),
        default=dict,
        help_text=gettext_lazy("The target of each period, by the period's code (2023-H1)."),
    )
    end_target = serializers.FloatField(default=None, allow_null=True)


class TreeDeliverableSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    text = serializers.CharField()
    lead_text = serializers.CharField()
    lead_entities = TreeEntitySerializer(many=True)
    supporting_entities = TreeEntitySerializer(many=True)
    oversight_entities = TreeEntitySerializer(many=True)
    markers = serializers.ListField(child=serializers.CharField())
    indicators = TreeIndicatorSerializer(many=True)


class TreeResultSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    title = serializers.CharField()
    indicators = TreeIndicatorSerializer(many=True)
    deliverables = TreeDeliverableSerializer(many=True)


class TreePrioritySerializer(serializers.Serializer[dict[str, Any]]):
    number = serializers.IntegerField()
    title = serializers.CharField()
    indicators = TreeIndicatorSerializer(many=True)
    results = TreeResultSerializer(many=True)


class TreeMarkerSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    name = serializers.CharField()


class TreeSerializer(serializers.Serializer[dict[str, Any]]):
    plan = serializers.CharField(help_text=gettext_lazy("The plan's code."))
    version = VersionSerializer()
    markers = TreeMarkerSerializer(many=True)
    priorities = TreePrioritySerializer(many=True)


def _refs(entities: list[Any]) -> list[dict[str, Any]]:
    """A plan file may name an entity by its code alone, or with its scope and level."""
    return [{"entity": e} if isinstance(e, str) else e for e in entities]


def version_tree(version: PlanVersion) -> dict[str, Any]:
    """The version as it was published (its stored tree, so that a later revision changes
    nothing in it), with each indicator under the priority, result or deliverable it measures.
    No query beyond the version itself."""
    stored = version.tree
    attached: dict[str, list[dict[str, Any]]] = {}
    for indicator in stored.get("indicators", []):
        attached.setdefault(str(indicator["attached_to"]), []).append(indicator)
    priorities = []
    for p in stored["priorities"]:
        results = []
        for r in p["results"]:
            deliverables = [
                {
                    **d,
                    **{key: _refs(d.get(key, [])) for key in ROLE_KEYS},
                    "markers": d.get("markers", []),
                    "indicators": attached.get(d["code"], []),
                }
                for d in r["deliverables"]
            ]
            results.append(
                {
                    "code": r["code"],
                    "title": r["title"],
                    "indicators": attached.get(r["code"], []),
                    "deliverables": deliverables,
                }
            )
        priorities.append(
            {
                "number": p["number"],
                "title": p["title"],
                "indicators": attached.get(str(p["number"]), []),
                "results": results,
            }
        )
    return {
        "plan": version.plan.code,
        "version": version,
        "markers": stored.get("markers", []),
        "priorities": priorities,
    }


VERSION_NUMBER = OpenApiParameter(
    "number",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description=gettext_lazy("The version's number."),
)


class Plans(ReadOnlyResource):
    """Plans by code, with their versions and the tree of each version."""

    serializer_class = PlanSerializer
    lookup_field = "code"
    ordering_fields = ["code", "period_start"]
    ordering = ["-period_start", "code"]
    filterset_class = None

    def get_queryset(self) -> QuerySet[Plan]:
        published = PlanVersion.objects.filter(
            plan=OuterRef("pk"), state=PlanVersion.State.PUBLISHED
        ).order_by("-number")
        return selectors.plans_visible_to(self.request.user).annotate(
            current_version=Subquery(published.values("number")[:1])
        )

    def _plan(self) -> Plan:
        return selectors.plan_for(self.request.user, self.kwargs["code"])

    def _version(self, number: Any) -> PlanVersion:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            raise serializers.ValidationError(
                {"version": [_("Give the version's number, a whole number.")]}
            ) from None
        return selectors.version_for(self.request.user, self._plan(), wanted)

    @extend_schema(responses=VersionSerializer(many=True), filters=False)
    @action(detail=True, url_path="versions", url_name="versions", pagination_class=None)
    def versions(self, request: Request, code: str) -> Response:
        """The plan's published versions, oldest first (and the draft revision, for the planning
        unit)."""
        found = selectors.versions_visible_to(request.user, self._plan())
        return Response(VersionSerializer(found, many=True).data)

    @extend_schema(responses=VersionSerializer, parameters=[VERSION_NUMBER], filters=False)
    @action(detail=True, url_path=r"versions/(?P<number>[0-9]+)", url_name="version")
    def version(self, request: Request, code: str, number: str) -> Response:
        """One version of the plan."""
        return Response(VersionSerializer(self._version(number)).data)

    @extend_schema(responses=TreeSerializer, parameters=[VERSION_NUMBER], filters=False)
    @action(detail=True, url_path=r"versions/(?P<number>[0-9]+)/tree", url_name="version-tree")
    def version_tree(self, request: Request, code: str, number: str) -> Response:
        """The whole plan as that version has it, in one response."""
        return Response(TreeSerializer(version_tree(self._version(number))).data)

    @extend_schema(
        responses=TreeSerializer,
        filters=False,
        parameters=[
            OpenApiParameter(
                "version",
                OpenApiTypes.INT,
                description=gettext_lazy("A version's number; the version in force by default."),
            )
        ],
    )
    @action(detail=True, url_path="tree", url_name="tree")
    def tree(self, request: Request, code: str) -> Response:
        """The whole plan in one response: the version in force, or `?version=`."""
        wanted = request.query_params.get("version")
        if wanted is not None:
            version = self._version(wanted)
        else:
            found = current_version(self._plan())
            if found is None:
                raise Http404(_("The plan has no published version."))
            version = found
        return Response(TreeSerializer(version_tree(version)).data)


# Deliverables ----------------------------------------------------------------------------------


class PartSerializer(serializers.ModelSerializer[DeliverableEntity]):
    entity = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = DeliverableEntity
        fields = ["entity", "role", "scope", "level"]


class DeliverableSerializer(serializers.ModelSerializer[Deliverable]):
    priority = serializers.IntegerField(source="result.priority.number", read_only=True)
    result = serializers.CharField(source="result.code", read_only=True)
    entities = PartSerializer(
        source="parts",
        many=True,
        read_only=True,
        help_text=gettext_lazy(
            "The lead, supporting and oversight entities, in the Lead line's order."
        ),
    )
    markers = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    retired_in = serializers.IntegerField(
        source="retired_in.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Deliverable
        fields = [
            "code",
            "priority",
            "result",
            "position",
            "text",
            "lead_text",
            "entities",
            "markers",
            "footnotes",
            "retired_in",
        ]


ROLE_CHOICES = DeliverableEntity.Role.choices


class DeliverableFilter(filters.FilterSet):
    """The filters of the deliverable list page (`plans.selectors.deliverable_search`)."""

    q = filters.CharFilter(
        method="_search", help_text=gettext_lazy("Words in the code, the text or the Lead line.")
    )
    priority = IntegerFilter(field_name="result__priority__number")
    result = filters.CharFilter(field_name="result__code")
    entity = filters.ModelChoiceFilter(
        queryset=Entity.objects.all(),
        to_field_name="code",
        method="_search",
        help_text=gettext_lazy(
            "An entity's code: the deliverables it (or a group it belongs to) has a part in."
        ),
    )
    role = filters.ChoiceFilter(choices=ROLE_CHOICES, method="_search")
    marker = filters.ModelChoiceFilter(
        queryset=Marker.objects.all(), to_field_name="code", method="_marker"
    )
    retired = StrictBooleanFilter(field_name="retired_in", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Deliverable
        fields = ["q", "priority", "result", "entity", "role", "marker", "retired"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        view = getattr(self.request, "parser_context", {}).get("view") if self.request else None
        plan = getattr(view, "plan", None)
        if plan is not None:
            self.filters["marker"].queryset = Marker.objects.filter(plan=plan)

    @extend_schema_field(OpenApiTypes.STR)
    def _search(
        self, queryset: QuerySet[Deliverable], name: str, value: Any
    ) -> QuerySet[Deliverable]:
        """The words, the entity and the role are read together, as the page does."""
        data = self.form.cleaned_data
        if name != next(n for n in ("q", "entity", "role") if data.get(n)):
            return queryset
        return selectors.deliverable_search(
            queryset,
            selectors.DeliverableFilter(
                q=data.get("q") or "", entity=data.get("entity"), role=data.get("role") or ""
            ),
        )

    def _marker(
        self, queryset: QuerySet[Deliverable], name: str, value: Marker
    ) -> QuerySet[Deliverable]:
        return queryset.filter(markers=value)


PLAN_CODE = OpenApiParameter(
    "plan_code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=gettext_lazy("The plan's code."),
)


@extend_schema_view(
    list=extend_schema(parameters=[PLAN_CODE]), retrieve=extend_schema(parameters=[PLAN_CODE])
)
class Deliverables(ReadOnlyResource):
    """The deliverables of a plan, filtered as on the deliverable list page. Retired ones are
    included (with `retired_in`) unless `?retired=false`."""

    serializer_class = DeliverableSerializer
    filterset_class = DeliverableFilter
    lookup_field = "code"
    ordering_fields = ["position", "code"]
    ordering = ["position"]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_for(request.user, kwargs["plan_code"])

    def get_queryset(self) -> QuerySet[Deliverable]:
        if getattr(self, "swagger_fake_view", False):
            return Deliverable.objects.none()
        return selectors.deliverables_visible_to(
            self.request.user, self.plan, include_retired=True
        ).select_related("retired_in")


# Work plans ------------------------------------------------------------------------------------


class FocalPointSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    assignment = serializers.IntegerField(source="assignment_id", read_only=True)
    plan = serializers.CharField(source="assignment.deliverable.plan.code", read_only=True)
    deliverable = serializers.CharField(source="assignment.deliverable.code", read_only=True)
    entity = serializers.CharField(source="assignment.entity.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "assignment",
            "plan",
            "deliverable",
            "entity",
            "title",
            "due_date",
            "status",
            "status_label",
            "completed_on",
        ]


class AssignmentMilestoneSerializer(serializers.ModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "status", "completed_on"]


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    plan = serializers.CharField(source="deliverable.plan.code", read_only=True)
    deliverable = serializers.CharField(source="deliverable.code", read_only=True)
    entity = serializers.CharField(source="entity.code", read_only=True)
    via = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        help_text=gettext_lazy("The group whose part the entity has, as named in the Lead line."),
    )
    focal_points = FocalPointSerializer(many=True, read_only=True)
    milestones = AssignmentMilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "plan",
            "deliverable",
            "entity",
            "role",
            "via",
            "scope",
            "active",
            "focal_points",
            "milestones",
        ]


class AssignmentFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="deliverable__plan__code")
    deliverable = filters.CharFilter(field_name="deliverable__code")
    entity = filters.CharFilter(field_name="entity__code")
    role = filters.ChoiceFilter(choices=ROLE_CHOICES)
    active = StrictBooleanFilter(
        help_text=gettext_lazy("In the work plan (true) or taken out of it (false).")
    )

    class Meta:
        model = Assignment
        fields = ["plan", "deliverable", "entity", "role", "active"]


ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(retrieve=extend_schema(parameters=[ID]))
class Assignments(ReadOnlyResource):
    """Work-plan assignments: which entity reports on which deliverable, with its focal points
    and milestones. Internal: 404 (and an empty list) for anyone the work-plan pages refuse."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["id", "deliverable__position", "entity__code"]
    ordering = ["deliverable__position", "entity__code"]

    def get_queryset(self) -> QuerySet[Assignment]:
        return (
            selectors.assignments_visible_to(self.request.user)
            .select_related("deliverable__plan", "entity", "via")
            .prefetch_related("focal_points", "milestones")
        )


class MilestoneFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="assignment__deliverable__plan__code")
    assignment = IntegerFilter(field_name="assignment_id")
    deliverable = filters.CharFilter(field_name="assignment__deliverable__code")
    entity = filters.CharFilter(field_name="assignment__entity__code")
    status = filters.ChoiceFilter(choices=Milestone.Status.choices)
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte")
    cycle = filters.CharFilter(
        method="_in_cycle",
        help_text=gettext_lazy(
            "A reporting cycle's code: the milestones due within its period (with `plan` when "
            "several plans have a cycle of that code)."
        ),
    )

    class Meta:
        model = Milestone
        fields = [
            "plan",
            "assignment",
            "deliverable",
            "entity",
            "status",
            "due_after",
            "due_before",
            "cycle",
        ]

    def _in_cycle(
        self, queryset: QuerySet[Milestone], name: str, value: str
    ) -> QuerySet[Milestone]:
        cycles = cycles_visible_to(self.request.user if self.request else None).filter(code=value)
        if self.form.cleaned_data.get("plan"):
            cycles = cycles.filter(plan__code=self.form.cleaned_data["plan"])
        found = list(cycles[:2])
        if not found:
            raise serializers.ValidationError(
                {"cycle": [_("There is no reporting cycle %(code)s.") % {"code": value}]}
            )
        if len(found) > 1:
            raise serializers.ValidationError(
                {
                    "cycle": [
                        _("Several plans have a cycle %(code)s: give the plan's code.")
                        % {"code": value}
                    ]
                }
            )
        cycle = found[0]
        return queryset.filter(
            assignment__deliverable__plan_id=cycle.plan_id,
            due_date__gte=cycle.period_start,
            due_date__lte=cycle.period_end,
        )


@extend_schema_view(retrieve=extend_schema(parameters=[ID]))
class Milestones(ReadOnlyResource):
    """The milestones of the work plans, as the work-plan pages show them."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    ordering_fields = ["due_date", "id", "status"]
    ordering = ["due_date", "id"]

    def get_queryset(self) -> QuerySet[Milestone]:
        return selectors.milestones_visible_to(self.request.user).select_related(
            "assignment__deliverable__plan", "assignment__entity"
        )
