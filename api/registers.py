"""The registers through `/api/v1/registers/<code>/…`, built from the register kernel's registry:
each registered register's `api_resources` becomes a list and a detail endpoint (and a create
endpoint when the resource has a `write`), its `api_statistics` a statistics endpoint. The next
register needs no code here.

Every record is read through the register's gate (what the pages read), so what a reader may
not see is 404; every record a response shows is logged in the register's access log as an API
read, in one insert; a record is created through the register's own service (the create page's).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.conventions import NeverStored
from registers.access import RegisterAccess, register_access_for
from registers.kernel.registry import ApiResource, Register, registers
from registers.kernel.services import accesses_record


class RecordSerializer(serializers.Serializer[Any]):
    """A register's record as its register renders it for the reader's access: the fields
    shared with a Member State only for a delegate (see docs/api/registers.md)."""

    id = serializers.IntegerField()


class RecordNotValid(exceptions.ValidationError):
    pass


def _form_errors(form: Any) -> dict[str, list[str]]:
    """A Django form's errors keyed by field ("non_field_errors" for the whole record)."""
    return {
        ("non_field_errors" if field == "__all__" else field): [e["message"] for e in errors]
        for field, errors in form.errors.get_json_data().items()
    }


class RegisterRecords(NeverStored, viewsets.GenericViewSet[Any]):
    """The records of one register's resource (subclassed per resource by `resource_viewset`)."""

    register: Register
    resource: ApiResource
    serializer_class = RecordSerializer
    lookup_value_regex = r"[0-9]+"

    def _reader(self) -> RegisterAccess:
        reader = register_access_for(self.request.user)
        if not reader.any_cases:
            raise Http404
        return reader

    def get_queryset(self) -> QuerySet[Any]:
        return self.resource.gate.visible_to(self.request.user)

    def _logged(self, ids: list[int]) -> None:
        accesses_record(
            log=self.register.access_log,
            user=self.request.user,
            record_ids=ids,
            action=self.register.access_log.Action.API,
        )

    def list(self, request: Request) -> Response:
        reader = self._reader()
        records = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(records.values_list("pk", flat=True))
        ids = list(page if page is not None else records.values_list("pk", flat=True))
        rows = {
            r.pk: r
            for r in self.resource.prepare_list(
                self.resource.gate.model._default_manager.filter(pk__in=ids)
            )
        }
        self._logged(ids)
        results = [self.resource.item(rows[pk], reader) for pk in ids if pk in rows]
        return self.get_paginated_response(results) if page is not None else Response(results)

    def retrieve(self, request: Request, pk: str) -> Response:
        reader = self._reader()
        record = self.resource.gate.record_for(
            request.user, pk, prepare=self.resource.prepare_detail
        )
        self._logged([record.pk])
        return Response(self.resource.detail(record, reader))

    def create(self, request: Request) -> Response:
        write = self.resource.write
        if write is None:
            raise exceptions.MethodNotAllowed(request.method or "POST")
        user = request.user
        reader = register_access_for(user)
        if not isinstance(user, User) or not reader.can_create:
            raise Http404
        if not isinstance(request.data, dict):
            raise RecordNotValid(_("Send the record as a JSON object."))
        nested = {
            str(key): [_("Give a single value, not a list or an object.")]
            for key, value in request.data.items()
            if isinstance(value, list | dict)
        }
        if nested:
            raise RecordNotValid(nested)
        form = write.form(reader, request.data)
        if not form.is_valid():
            raise RecordNotValid(_form_errors(form))
        try:
            with transaction.atomic():
                record = write.save(actor=user, **form.cleaned_data)
        except write.refused as exc:
            raise RecordNotValid({"non_field_errors": [str(exc)]}) from exc
        created = self.resource.gate.record_for(
            user, record.pk, prepare=self.resource.prepare_detail
        )
        return Response(self.resource.detail(created, reader), status=status.HTTP_201_CREATED)


class RegisterStatistics(NeverStored, viewsets.ViewSet):
    """The aggregates of one register (subclassed per register by `statistics_viewset`)."""

    register: Register

    def list(self, request: Request) -> Response:
        records = self.register.gate.aggregates_for(request.user)
        if records is None or self.register.api_statistics is None:
            raise Http404
        return Response(self.register.api_statistics(records))


PK = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The record's id.")


def resource_viewset(register: Register, resource: ApiResource) -> type[RegisterRecords]:
    """The viewset of one resource of a register."""
    name = f"{register.code.title()}{resource.name.title()}".replace("-", "")
    methods = ["get", "head", "options"] + (["post"] if resource.write else [])
    attrs: dict[str, Any] = {
        "register": register,
        "resource": resource,
        "filterset_class": resource.filterset,
        "ordering_fields": list(resource.ordering_fields),
        "ordering": list(resource.ordering),
        "http_method_names": methods,
        "__doc__": f"{register.name}: {resource.name}.",
    }
    item = type(f"{name}Item", (RecordSerializer,), {"__module__": __name__})
    viewset = type(f"{name}Records", (RegisterRecords,), attrs)
    views: dict[str, Any] = {
        "list": extend_schema(responses={200: item(many=True)}),
        "retrieve": extend_schema(parameters=[PK], responses={200: item}),
    }
    if resource.write:
        views["create"] = extend_schema(request=OpenApiTypes.OBJECT, responses={201: item})
    return extend_schema_view(**views)(viewset)


def statistics_viewset(register: Register) -> type[RegisterStatistics]:
    viewset = type(
        f"{register.code.title()}Statistics",
        (RegisterStatistics,),
        {"register": register, "__doc__": f"{register.name}: statistics."},
    )
    return extend_schema_view(list=extend_schema(responses={200: OpenApiTypes.OBJECT}))(viewset)


def routes() -> list[tuple[str, Any, str]]:
    """(prefix, viewset, basename) of every register's resources and statistics."""
    found: list[tuple[str, Any, str]] = []
    for register in registers():
        for resource in register.api_resources:
            found.append(
                (
                    f"registers/{register.code}/{resource.name}",
                    resource_viewset(register, resource),
                    f"register-{register.code}-{resource.name}",
                )
            )
        if register.api_statistics is not None:
            found.append(
                (
                    f"registers/{register.code}/statistics",
                    statistics_viewset(register),
                    f"register-{register.code}-statistics",
                )
            )
    return found
