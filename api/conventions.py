"""The conventions every endpoint of `/api/v1/` shares (pagination is `api.pagination`): RFC 7807
problem documents for every error (with the field named), never-stored responses, and the base
classes the resources build on (`ReadOnlyResource`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler

API_PREFIX = "/api/"

PROBLEM_TYPE = "about:blank"
PROBLEM_CONTENT_TYPE = "application/problem+json"


def _errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail flattened into [{"field": "a.b", "message": "..."}]."""
    if isinstance(detail, dict):
        found: list[dict[str, str]] = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "detail") else str(key)
            found += _errors(value, f"{prefix}.{name}" if prefix and name else prefix or name)
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and not isinstance(value, str):
                found += _errors(value, f"{prefix}[{index}]" if prefix else f"[{index}]")
            else:
                found += _errors(value, prefix)
        return found
    return [{"field": prefix, "message": str(detail)}]


def problem_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error as an RFC 7807 problem document: `type`, `title`, `status`, `detail`, and for
    invalid input `errors`, each naming its field."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    body: dict[str, Any] = {"type": PROBLEM_TYPE, "status": code}
    if isinstance(exc, exceptions.ValidationError):
        body["title"] = _("The request is not valid.")
        body["errors"] = _errors(exc.detail)
        body["detail"] = "; ".join(
            f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in body["errors"]
        )
    elif isinstance(exc, Http404 | exceptions.NotFound):
        body["title"] = _("Not found.")
        body["detail"] = _("No such object, or not one you may see.")
    elif isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        body["title"] = _("Not allowed.")
        body["detail"] = str(getattr(exc, "detail", "")) or _("You may not do this.")
    else:
        detail = getattr(exc, "detail", None)
        body["title"] = str(detail) if detail is not None else str(status.HTTP_400_BAD_REQUEST)
        body["detail"] = str(detail) if detail is not None else ""
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = int(exc.wait)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's 404 (`handler404`): an address under `/api/` that no route matches is a
    problem document like every other API error; any other address gets the 404 page."""
    if not request.path.startswith(API_PREFIX):
        return defaults.page_not_found(request, exception)
    response = JsonResponse(
        {
            "type": PROBLEM_TYPE,
            "status": 404,
            "title": _("Not found."),
            "detail": _("No such address in the API."),
        },
        status=404,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    response["Cache-Control"] = "no-store, private"
    return response


class NeverStored:
    """Every API response carries confidential data or may: never stored by a cache."""

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response["Cache-Control"] = "no-store, private"
        return response


class ReadOnlyResource(NeverStored, viewsets.ReadOnlyModelViewSet):
    """A list and a detail endpoint over a gated queryset: `get_queryset` must read through the
    model's gate (the same selector the pages use), so that what a token may not see is 404."""

    lookup_value_regex = r"[^/]+"
