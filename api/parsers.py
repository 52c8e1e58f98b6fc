"""The API's body formats (JSON, and the form encodings DRF takes by default), each refusing a NUL
character anywhere in the body (PostgreSQL cannot store one in text, and no field of the plan
or the registers needs one)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


def _holds_nul(value: Any) -> bool:
    if isinstance(value, QueryDict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.lists())
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _checked(data: Any) -> Any:
    fields = data.data if isinstance(data, parsers.DataAndFiles) else data
    if _holds_nul(fields):
        raise exceptions.ParseError(_("The body holds a NUL character."))
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return _checked(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return _checked(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return _checked(super().parse(stream, media_type, parser_context))
