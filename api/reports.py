"""Published reports and their files: metadata with the SHA-256 and size of each file and the
address of the existing file view that serves its bytes. Read through reports.selectors'
gate, as the reports page: internal editions for UN staff only, public ones for anyone signed
in."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers

from api.conventions import ReadOnlyResource
from api.interchange import PROBLEMS
from reports import selectors
from reports.models import Edition, Format, Publication, PublishedFile


class _DownloadField(serializers.Field):
    """The absolute address of reports' file view (`report-file`) for this file."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: PublishedFile) -> str:
        path = reverse("report-file", kwargs={"pk": value.pk, "filename": value.filename})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


DownloadField = extend_schema_field({"type": "string", "format": "uri"})(_DownloadField)


class PublishedFileSerializer(serializers.ModelSerializer[PublishedFile]):
    publication = serializers.IntegerField(source="publication_id", read_only=True)
    edition = serializers.CharField(source="publication.edition", read_only=True)
    cycle = serializers.CharField(source="publication.cycle.code", read_only=True)
    download_url = DownloadField()

    class Meta:
        model = PublishedFile
        fields = [
            "id",
            "publication",
            "cycle",
            "edition",
            "format",
            "language",
            "filename",
            "size",
            "sha256",
            "download_url",
        ]


class PublicationFileSerializer(PublishedFileSerializer):
    class Meta(PublishedFileSerializer.Meta):
        fields = ["id", "format", "language", "filename", "size", "sha256", "download_url"]


class PublicationSerializer(serializers.ModelSerializer[Publication]):
    plan = serializers.CharField(source="cycle.plan.code", read_only=True)
    cycle = serializers.CharField(source="cycle.code", read_only=True)
    period_start = serializers.DateField(source="cycle.period_start", read_only=True)
    period_end = serializers.DateField(source="cycle.period_end", read_only=True)
    edition_label = serializers.CharField(source="get_edition_display", read_only=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = [
            "id",
            "plan",
            "cycle",
            "period_start",
            "period_end",
            "edition",
            "edition_label",
            "revision",
            "published_at",
            "executive_summary",
            "files",
        ]

    @extend_schema_field(PublicationFileSerializer(many=True))
    def get_files(self, publication: Publication) -> list[dict[str, Any]]:
        return list(
            PublicationFileSerializer(
                publication.files_in_order(), many=True, context=self.context
            ).data
        )


class PublicationFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="cycle__plan__code")
    cycle = filters.CharFilter(field_name="cycle__code")
    edition = filters.ChoiceFilter(choices=Edition.choices)

    class Meta:
        model = Publication
        fields = ["plan", "cycle", "edition"]


_ID = [OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)]


@extend_schema_view(
    list=extend_schema(
        responses={(200, "application/json"): PublicationSerializer(many=True), **PROBLEMS}
    ),
    retrieve=extend_schema(
        parameters=_ID,
        responses={(200, "application/json"): PublicationSerializer, **PROBLEMS},
    ),
)
class Publications(ReadOnlyResource):
    """Published editions of the cycles' reports, every revision, with their files."""

    serializer_class = PublicationSerializer
    filterset_class = PublicationFilter
    ordering_fields = ["published_at", "cycle__period_start", "revision"]
    ordering = ["-cycle__period_start", "edition", "-revision"]

    def get_queryset(self) -> QuerySet[Publication]:
        return selectors.publications_visible_to(self.request.user)


class PublishedFileFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="publication__cycle__plan__code")
    cycle = filters.CharFilter(field_name="publication__cycle__code")
    edition = filters.ChoiceFilter(field_name="publication__edition", choices=Edition.choices)
    # `format` is the API's own parameter (the response's format): the file's is `file_format`.
    file_format = filters.ChoiceFilter(field_name="format", choices=Format.choices)
    language = filters.CharFilter()
    sha256 = filters.CharFilter()

    class Meta:
        model = PublishedFile
        fields = ["plan", "cycle", "edition", "file_format", "language", "sha256"]


@extend_schema_view(
    list=extend_schema(
        responses={(200, "application/json"): PublishedFileSerializer(many=True), **PROBLEMS}
    ),
    retrieve=extend_schema(
        parameters=_ID,
        responses={(200, "application/json"): PublishedFileSerializer, **PROBLEMS},
    ),
)
class PublishedFiles(ReadOnlyResource):
    """The files of the published editions: metadata, SHA-256 and the address of the bytes."""

    serializer_class = PublishedFileSerializer
    filterset_class = PublishedFileFilter
    ordering_fields = ["id", "size", "language", "format"]
    ordering = ["-publication__cycle__period_start", "publication_id", "language", "format"]

    def get_queryset(self) -> QuerySet[PublishedFile]:
        return selectors.published_files_visible_to(self.request.user)
