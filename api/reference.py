"""Reference data: entities (HQ offices, missions as entities), missions and Member States. Public
facts of the plan, readable by any token; looked up by their stable codes."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers

from api.conventions import ReadOnlyResource
from core.models import Entity, MemberState, Mission


class EntitySerializer(serializers.ModelSerializer[Entity]):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Entity
        fields = ["code", "acronym", "name", "name_fr", "kind", "parent", "uncertain"]


class EntityFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Entity.Kind.choices)

    class Meta:
        model = Entity
        fields = ["kind"]


class Entities(ReadOnlyResource):
    """Entities of the plan: DPO's offices, other departments, missions as entities."""

    serializer_class = EntitySerializer
    filterset_class = EntityFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self) -> QuerySet[Entity]:
        return Entity.objects.select_related("parent")


class MissionSerializer(serializers.ModelSerializer[Mission]):
    code = serializers.CharField(source="entity.code", read_only=True)
    acronym = serializers.CharField(source="entity.acronym", read_only=True)
    name = serializers.CharField(source="entity.name", read_only=True)
    host_states = serializers.SlugRelatedField(slug_field="iso3", many=True, read_only=True)

    class Meta:
        model = Mission
        fields = [
            "code",
            "acronym",
            "name",
            "mission_type",
            "in_plan_group",
            "host_states",
            "host_territory",
            "hq",
            "start_date",
            "end_date",
        ]


class Missions(ReadOnlyResource):
    """Peace operations (peacekeeping operations and special political missions)."""

    serializer_class = MissionSerializer
    lookup_field = "entity__code"
    lookup_url_kwarg = "code"
    filterset_fields = ["mission_type", "in_plan_group"]
    ordering_fields = ["entity__code", "start_date"]
    ordering = ["entity__code"]

    def get_queryset(self) -> QuerySet[Mission]:
        return Mission.objects.select_related("entity").prefetch_related("host_states")


class MemberStateSerializer(serializers.ModelSerializer[MemberState]):
    class Meta:
        model = MemberState
        fields = ["iso3", "iso2", "m49", "name", "name_fr", "region", "subregion"]


class MemberStates(ReadOnlyResource):
    """The Member States of the United Nations, by ISO 3166 alpha-3 code."""

    serializer_class = MemberStateSerializer
    lookup_field = "iso3"
    filterset_fields = ["region"]
    ordering_fields = ["iso3", "name"]
    ordering = ["iso3"]

    def get_queryset(self) -> QuerySet[MemberState]:
        return MemberState.objects.all()
