"""The one CSV writer and the one XLSX cell writer of the application: every CSV file served
(register exports, statistics tables, dashboard tables) and every cell of every workbook (the
offline progress updates, the tracking table, the report's data annex) goes through them, so none
can carry a formula.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and some read a leading tab or
carriage return the same way) as a formula: text typed by a user ("=HYPERLINK(…)") would run on
the reader's machine.

- CSV has no types: `spreadsheet_safe` puts an apostrophe before such text, which spreadsheets
  show as text; numbers, including negative ones, stay numbers.
- XLSX has types: `xlsx_put` writes every text as a text cell (openpyxl would otherwise store a
  text starting with "=" as a formula) and, when it starts like a formula, sets the cell's
  quote prefix, the flag Excel sets itself when one types an apostrophe first: the cell shows and
  keeps the text as typed, even when edited, and reading the cell back gives exactly the text
  written, with no apostrophe to strip (the offline workbook relies on this round trip)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import HttpResponse

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# The control characters an XLSX cell cannot hold (openpyxl refuses them); tab, line feed and
# carriage return are allowed. The same set as openpyxl's ILLEGAL_CHARACTERS_RE, kept here so
# that importing this module does not load openpyxl.
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# Values a cell holds as they are; anything else is written as its text.
_XLSX_KEPT = (int, float, Decimal, bool, date, datetime, time, timedelta)


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


def xlsx_text(value: str) -> str:
    """Text as an XLSX cell may hold it: without the control characters it cannot hold."""
    return _XLSX_ILLEGAL.sub("", value)


def xlsx_put(cell: Cell, value: object) -> Cell:
    """Put a value in a cell so that no spreadsheet runs it: numbers, dates and booleans as they
    are, None as an empty cell, anything else as a text cell, quote-prefixed when it starts like
    a formula (see the module's docstring)."""
    if value is None or isinstance(value, _XLSX_KEPT):
        cell.value = value
        return cell
    text = xlsx_text(str(value))
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def xlsx_append(ws: Worksheet, row: Iterable[object]) -> list[Cell]:
    """`Worksheet.append` through `xlsx_put`: the row under the sheet's last one; its cells."""
    from openpyxl.cell.cell import Cell  # openpyxl takes long to load; only workbooks need it

    cells = [xlsx_put(Cell(ws), value) for value in row]
    ws.append(cells)
    return cells
