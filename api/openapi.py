"""The OpenAPI document of `/api/v1/` tells the truth about errors and authentication: every
operation declares the problem documents it may answer (`application/problem+json`, the `Problem`
component, `api.conventions.problem_handler`) and the two ways in (a Bearer token, the session).
Schemathesis checks every response against it (tests/api/test_schemathesis.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from api.conventions import PROBLEM_CONTENT_TYPE

WRITES = ("POST", "PUT", "PATCH", "DELETE")


class ProblemErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(
        help_text="The field at fault (`a.b`, `items[0].c`); empty for the request as a whole."
    )
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer[Any]):
    """An RFC 7807 problem document (schema only: `problem_handler` writes them)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(allow_blank=True)
    errors = ProblemErrorSerializer(
        many=True, required=False, help_text="For invalid input: each field at fault."
    )
    retry_after = serializers.IntegerField(
        required=False, help_text="For 429: seconds to wait (also the Retry-After header)."
    )

    class Meta:
        ref_name = "Problem"


def problem_codes(method: str, *, is_list: bool) -> list[str]:
    """The error statuses an operation may answer. Every one: 401 (no or bad credentials), 403
    (not allowed, or a read-only token writing), 404 (not found or not yours to see; a page past
    the last), 429 (throttled). Lists (filters) and writes (bodies): 400. Writes: 409 (a stale
    version, a workflow rule) and 415 (a body that is not JSON)."""
    codes = ["401", "403", "404", "429"]
    if is_list or method in WRITES:
        codes.append("400")
    if method in WRITES:
        codes += ["409", "415"]
    return sorted(codes)


class ProblemsAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the problem responses of `problem_codes` on every operation
    (a code an `extend_schema` already declares is left as declared)."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        # A list (filters) or an operation declaring its own parameters (`?version=`) may refuse
        # them: 400.
        is_list = self._is_list_view() and self.method == "GET"
        reads_query = is_list or bool(self.get_override_parameters())
        for code in problem_codes(self.method, is_list=reads_query):
            if code in responses:
                continue
            response = self._get_response_for_code(
                ProblemSerializer, code, [PROBLEM_CONTENT_TYPE], direction
            )
            response["description"] = PROBLEM_DESCRIPTIONS[code]
            if code == "429":
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait before the next request.",
                    }
                }
            responses[code] = response
        return responses


PROBLEM_DESCRIPTIONS = {
    "400": "The request is not valid: `errors` names each field at fault.",
    "401": "No credentials, or a token unknown, revoked or expired.",
    "403": "Not allowed (a read-only token writing, or a role that may not do this).",
    "404": "No such object, or not one you may see; or a page past the last.",
    "409": "A conflict: a stale version (both versions in the body) or a workflow rule.",
    "415": "The body is not in a supported media type (send JSON).",
    "429": "Too many requests: wait `Retry-After` seconds.",
}


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "a4p_<prefix>_<secret>",
            "description": "A personal token from /accounts/tokens/ or `a4p token create`.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
