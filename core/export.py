"""The one CSV writer of the application: every CSV file served (register exports, statistics
tables, dashboard tables) goes through it, so they all open the same way in a spreadsheet and
none can carry a formula.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and some read a leading tab or
carriage return the same way) as a formula: text typed by a user ("=HYPERLINK(…)") would run on
the reader's machine. `spreadsheet_safe` puts an apostrophe before such text, which spreadsheets
show as text; numbers, including negative ones, stay numbers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value: object) -> object:
    """The value as a spreadsheet may read it without running anything."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _safe_rows(rows: Iterable[Sequence[object]]) -> Iterable[list[object]]:
    return ([spreadsheet_safe(cell) for cell in row] for row in rows)


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(_safe_rows([header]))
    writer.writerows(_safe_rows(rows))
    return out.getvalue()


def csv_response(
    filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """An attachment: a header row, then the rows, in UTF-8."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheets read UTF-8 with a byte-order mark
    writer = csv.writer(response)
    writer.writerows(_safe_rows([header]))
    writer.writerows(_safe_rows(rows))
    return response
