"""Progress updates: the list and detail of what a user may see (the reporting gate), and the
workflow writes the pages make — the author's edit, submit, return and validate — through the
same services, so that the workflow rules and the audit trail hold.

Updates are not created here: opening a cycle creates a draft for every assignment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.conventions import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE, ReadOnlyResource
from indicators.selectors import update_indicators
from reporting import access, selectors, services
from reporting.models import Evidence, Obstacle, ProgressUpdate, Sensitivity, Transition

# Serializers ---------------------------------------------------------------------------------


def _name(user: User | None) -> str | None:
    return str(user) if user is not None else None


class UpdateObstacleSerializer(serializers.ModelSerializer[Obstacle]):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    severity_label = serializers.CharField(source="get_severity_display", read_only=True)

    class Meta:
        model = Obstacle
        fields = [
            "id",
            "category",
            "category_label",
            "severity",
            "severity_label",
            "description",
            "mitigation",
            "support_requested",
            "support_from",
            "escalate",
        ]


class UpdateEvidenceSerializer(serializers.ModelSerializer[Evidence]):
    """What the update's page lists of a piece of evidence; a file's bytes only through its
    download address (the page's own)."""

    kind = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    added_by = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "title",
            "kind",
            "name",
            "size",
            "content_type",
            "added_at",
            "added_by",
            "download_url",
            "url",
        ]

    def get_kind(self, evidence: Evidence) -> str:
        return "file" if evidence.file else "link"

    def get_name(self, evidence: Evidence) -> str | None:
        return (evidence.file.name or "").rsplit("/", 1)[-1] if evidence.file else None

    def get_added_by(self, evidence: Evidence) -> str | None:
        return _name(evidence.added_by)

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, evidence: Evidence) -> str | None:
        if not evidence.file:
            return None
        path = reverse("evidence-download", args=[evidence.update_id, evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class UpdateStepSerializer(serializers.ModelSerializer[Transition]):
    """One step of the history, as the update's page shows it to whoever sees the update."""

    actor = serializers.SerializerMethodField()

    class Meta:
        model = Transition
        fields = ["action", "from_state", "to_state", "actor", "at", "comment"]

    def get_actor(self, step: Transition) -> str:
        return _name(step.actor) or _("system")


class UpdateIndicatorSerializer(serializers.Serializer[Any]):
    """An indicator of the update's deliverable or result, with the value this entity reported
    for the cycle (null when none)."""

    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    computed = serializers.SerializerMethodField()
    reported = serializers.SerializerMethodField()
    value = serializers.SerializerMethodField()
    numerator = serializers.SerializerMethodField()
    denominator = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()

    def _reported(self, indicator: Any) -> Any:
        return getattr(indicator, "reported", None)

    def get_computed(self, indicator: Any) -> bool:
        return bool(indicator.computed)

    def get_reported(self, indicator: Any) -> bool:
        return self._reported(indicator) is not None

    def _number(self, indicator: Any, name: str) -> str | None:
        value = self._reported(indicator)
        number = getattr(value, name, None) if value is not None else None
        return None if number is None else str(number)

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_value(self, indicator: Any) -> str | None:
        return self._number(indicator, "value")

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_numerator(self, indicator: Any) -> str | None:
        return self._number(indicator, "numerator")

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_denominator(self, indicator: Any) -> str | None:
        return self._number(indicator, "denominator")

    def get_note(self, indicator: Any) -> str:
        value = self._reported(indicator)
        return value.note if value is not None else ""


class UpdateSerializer(serializers.ModelSerializer[ProgressUpdate]):
    """An update in a list: where it belongs, its state and rating, no text."""

    url = serializers.HyperlinkedIdentityField(view_name="api:update-detail")
    page_url = serializers.SerializerMethodField()
    plan = serializers.CharField(source="cycle.plan.code", read_only=True)
    cycle = serializers.CharField(source="cycle.code", read_only=True)
    deliverable = serializers.CharField(source="assignment.deliverable.code", read_only=True)
    entity = serializers.CharField(source="assignment.entity.code", read_only=True)
    role = serializers.CharField(source="assignment.role", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    rating_label = serializers.CharField(source="get_rating_display", read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "url",
            "page_url",
            "plan",
            "cycle",
            "deliverable",
            "entity",
            "role",
            "state",
            "state_label",
            "rating",
            "rating_label",
            "sensitivity",
            "version",
            "reopened",
            "submitted_at",
            "validated_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, update: ProgressUpdate) -> str:
        path = reverse("update-detail", args=[update.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class UpdateDetailSerializer(UpdateSerializer):
    """An update as its page shows it: the text, obstacles, evidence (metadata), the indicator
    values, the history, and what the user may do with it."""

    updated_by = serializers.SerializerMethodField()
    obstacles = UpdateObstacleSerializer(many=True, read_only=True)
    evidence = UpdateEvidenceSerializer(many=True, read_only=True)
    indicators = serializers.SerializerMethodField()
    history = UpdateStepSerializer(source="transitions", many=True, read_only=True)
    can_edit = serializers.SerializerMethodField()
    can_review = serializers.SerializerMethodField()

    class Meta(UpdateSerializer.Meta):
        fields = [
            *UpdateSerializer.Meta.fields,
            "narrative",
            "achievements",
            "next_steps",
            "wps_note",
            "updated_by",
            "obstacles",
            "evidence",
            "indicators",
            "history",
            "can_edit",
            "can_review",
        ]

    def get_updated_by(self, update: ProgressUpdate) -> str | None:
        return _name(update.updated_by)

    @extend_schema_field(UpdateIndicatorSerializer(many=True))
    def get_indicators(self, update: ProgressUpdate) -> list[dict[str, Any]]:
        return list(UpdateIndicatorSerializer(update_indicators(update), many=True).data)

    def get_can_edit(self, update: ProgressUpdate) -> bool:
        return access.can_edit(self.context["request"].user, update)

    def get_can_review(self, update: ProgressUpdate) -> bool:
        return access.can_review(self.context["request"].user, update)


class UpdateObstacleWriteSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(required=False, allow_null=True)
    category = serializers.ChoiceField(choices=Obstacle.Category.choices)
    severity = serializers.ChoiceField(choices=Obstacle.Severity.choices)
    description = serializers.CharField()
    mitigation = serializers.CharField(required=False, allow_blank=True, default="")
    support_requested = serializers.CharField(required=False, allow_blank=True, default="")
    support_from = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    escalate = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("support_requested") and not attrs.get("support_from"):
            raise serializers.ValidationError(
                {"support_from": _("Say from whom the support is requested.")}
            )
        return attrs


class UpdateEditSerializer(serializers.Serializer[Any]):
    """The author's edit: the version read (required), the fields to change; `obstacles`, when
    given, replaces the update's obstacles (keep one by giving its `id`)."""

    version = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("The version you read; a stale one is a conflict.")
    )
    rating = serializers.ChoiceField(
        choices=ProgressUpdate.Rating.choices, required=False, allow_blank=True
    )
    narrative = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    achievements = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    next_steps = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    wps_note = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    sensitivity = serializers.ChoiceField(choices=Sensitivity.choices, required=False)
    obstacles = UpdateObstacleWriteSerializer(many=True, required=False)

    # Never partial, though sent with PATCH: `version` is always required (and so the OpenAPI
    # document says, which it would not for a partial serializer).
    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass


class UpdateReturnSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(help_text=gettext_lazy("What needs to change (required)."))


class UpdateValidateSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class UpdateProblemSerializer(serializers.Serializer[Any]):
    """An RFC 7807 problem document (api.conventions.problem_handler); `errors` names each
    invalid field of a 400."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()), required=False
    )


class UpdateConflictSerializer(UpdateProblemSerializer):
    """A refused edit. For a stale version, what is saved now beside the version the client
    read; for an update not with its author, a problem document alone."""

    current_version = serializers.IntegerField(required=False)
    your_version = serializers.IntegerField(required=False)
    updated_by = serializers.CharField(allow_null=True, required=False)
    current = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=gettext_lazy("The saved values of the fields the request would change."),
    )


# Filters -------------------------------------------------------------------------------------


class UpdateFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="cycle__plan__code", label=gettext_lazy("plan code"))
    cycle = filters.CharFilter(field_name="cycle__code", label=gettext_lazy("cycle code"))
    entity = filters.CharFilter(
        field_name="assignment__entity__code", label=gettext_lazy("entity code")
    )
    deliverable = filters.CharFilter(
        field_name="assignment__deliverable__code", label=gettext_lazy("deliverable code")
    )
    marker = filters.CharFilter(
        field_name="assignment__deliverable__markers__code",
        distinct=True,
        label=gettext_lazy("marker code"),
    )
    state = filters.ChoiceFilter(choices=ProgressUpdate.State.choices)
    rating = filters.ChoiceFilter(choices=ProgressUpdate.Rating.choices)
    awaiting_review = filters.BooleanFilter(
        method="_awaiting_review",
        label=gettext_lazy("waiting for your review (your review queue)"),
    )

    class Meta:
        model = ProgressUpdate
        fields = ["plan", "cycle", "entity", "deliverable", "marker", "state", "rating"]

    def _awaiting_review(
        self, queryset: QuerySet[ProgressUpdate], name: str, value: bool | None
    ) -> QuerySet[ProgressUpdate]:
        """The reviewer's queue of the pages (`selectors.review_queue`), or everything else."""
        if value is None:
            return queryset
        queue = selectors.review_queue(self.request.user).values("pk")
        return queryset.filter(pk__in=queue) if value else queryset.exclude(pk__in=queue)


# The resource --------------------------------------------------------------------------------


def _problem(code: int, title: str, detail: str, **more: Any) -> Response:
    body = {"type": PROBLEM_TYPE, "title": title, "status": code, "detail": detail, **more}
    return Response(body, status=code, content_type=PROBLEM_CONTENT_TYPE)


def _author_only(update: ProgressUpdate) -> str:
    return _("Only a focal point of %(entity)s or the planning unit can change this update.") % {
        "entity": update.assignment.entity.label
    }


def _refused(error: services.ReportingError) -> Response:
    return _problem(status.HTTP_409_CONFLICT, _("The workflow refuses this."), str(error))


PROBLEMS: dict[Any, Any] = {
    (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        UpdateProblemSerializer, description="Invalid input."
    ),
    (403, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        UpdateProblemSerializer, description="The user sees the update but may not do this."
    ),
    (404, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        UpdateProblemSerializer, description="No such update, or not one the user may see."
    ),
    (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        UpdateProblemSerializer, description="The workflow refuses this step now."
    ),
}


@extend_schema_view(
    list=extend_schema(
        responses={
            200: UpdateSerializer(many=True),
            (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                UpdateProblemSerializer, description="A filter's value is not valid."
            ),
        }
    ),
    retrieve=extend_schema(
        responses={
            200: UpdateDetailSerializer,
            (404, PROBLEM_CONTENT_TYPE): PROBLEMS[(404, PROBLEM_CONTENT_TYPE)],
        }
    ),
)
class Updates(ReadOnlyResource):
    """Progress updates the user may see (the same gate as the pages), and the author's and the
    reviewer's steps of the workflow."""

    serializer_class = UpdateSerializer
    filterset_class = UpdateFilter
    lookup_value_regex = r"[0-9]+"
    ordering_fields = ["id", "updated_at", "submitted_at", "validated_at", "state", "version"]
    ordering = ["cycle__plan__code", "cycle__code", "assignment__deliverable__position", "id"]

    def get_queryset(self) -> QuerySet[ProgressUpdate]:
        updates = selectors.with_context(selectors.updates_visible_to(self.request.user))
        if self.action == "list":
            return updates
        return updates.prefetch_related(
            "obstacles",
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
            Prefetch("transitions", queryset=Transition.objects.select_related("actor")),
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list":
            return UpdateSerializer
        if self.action == "partial_update":
            return UpdateEditSerializer
        if self.action == "return_":
            return UpdateReturnSerializer
        if self.action == "validate":
            return UpdateValidateSerializer
        return UpdateDetailSerializer

    def _detail(self, pk: int) -> Response:
        update = self.get_queryset().filter(pk=pk).first()
        if update is None:  # moved out of the user's sight by the step itself
            raise Http404
        return Response(UpdateDetailSerializer(update, context=self.get_serializer_context()).data)

    def _input(self, request: Request) -> dict[str, Any]:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        request=UpdateEditSerializer,
        responses={
            200: UpdateDetailSerializer,
            **PROBLEMS,
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                UpdateConflictSerializer,
                description="A stale version (with the saved values), or the update is not "
                "with its author.",
            ),
        },
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The author's edit (`reporting.services.update_save`), with the version read."""
        update = self.get_object()
        if not access.is_author(request.user, update):
            raise exceptions.PermissionDenied(_author_only(update))
        data = self._input(request)
        version = data.pop("version")
        items = data.pop("obstacles", None)
        obstacles = None if items is None else [services.ObstacleData(**i) for i in items]
        try:
            services.update_save(
                update=update,
                actor=request.user,
                expected_version=version,
                values=data,
                obstacles=obstacles,
            )
        except services.EditConflict as conflict:
            current = conflict.current
            changed = {name: getattr(current, name) for name in data}
            if items is not None:
                changed["obstacles"] = UpdateObstacleSerializer(
                    current.obstacles.all(), many=True
                ).data
            return _problem(
                status.HTTP_409_CONFLICT,
                _("Edit conflict."),
                str(conflict),
                current_version=current.version,
                your_version=version,
                updated_by=_name(current.updated_by),
                current=changed,
            )
        except services.ReportingError as error:
            return _refused(error)
        return self._detail(update.pk)

    @extend_schema(
        request=None,
        responses={
            200: UpdateDetailSerializer,
            **{code: answer for code, answer in PROBLEMS.items() if code[0] != 400},
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """The author submits (or resubmits) the update for review."""
        update = self.get_object()
        if not access.is_author(request.user, update):
            raise exceptions.PermissionDenied(_author_only(update))
        try:
            services.update_submit(update=update, actor=request.user)
        except services.ReportingError as error:
            return _refused(error)
        return self._detail(update.pk)

    def _review(self, request: Request, service: Callable[..., ProgressUpdate]) -> Response:
        """Return or validate: the update (404 if unseen), a reviewer of it (403 otherwise), the
        comment read by the action's serializer, then the reporting service."""
        update = self.get_object()
        self._reviewer_only(request, update)
        data = self._input(request)
        try:
            service(update=update, actor=request.user, comment=data["comment"])
        except services.ReportingError as error:
            return _refused(error)
        return self._detail(update.pk)

    def _reviewer_only(self, request: Request, update: ProgressUpdate) -> None:
        if not access.is_reviewer(request.user, update):
            raise exceptions.PermissionDenied(
                _("Only a reviewer of %(entity)s or the planning unit can review this update.")
                % {"entity": update.assignment.entity.label}
            )

    @extend_schema(
        request=UpdateReturnSerializer, responses={200: UpdateDetailSerializer, **PROBLEMS}
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """The reviewer returns the update to its author, saying what needs to change."""
        return self._review(request, services.update_return)

    @extend_schema(
        request=UpdateValidateSerializer, responses={200: UpdateDetailSerializer, **PROBLEMS}
    )
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, pk: str | None = None) -> Response:
        """The reviewer validates the update (with an optional comment)."""
        return self._review(request, services.update_validate)
