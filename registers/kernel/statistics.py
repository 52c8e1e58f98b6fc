"""Statistics every register publishes the same way: tables of aggregates (on the page and as
CSV through the one writer), bar charts drawn by the template, and small-cell suppression: a
register that publishes its counts to a wide audience sets a threshold below which a count is
withheld, so that a small count cannot single out a person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse

from core.export import csv_response

Rows = list[dict[str, Any]]


def suppressed(rows: Rows, columns: tuple[str, ...], *, below: int) -> Rows:
    """The rows with each count under `below` (other than 0) in these columns withheld (None)."""
    if below <= 1:
        return rows
    return [
        {
            key: None if key in columns and isinstance(value, int) and 0 < value < below else value
            for key, value in row.items()
        }
        for row in rows
    ]


@dataclass(frozen=True)
class StatTable:
    """One table of aggregates over a register's records."""

    rows: Callable[[QuerySet[Any]], Rows]
    columns: tuple[str, ...]  # in the CSV's order
    counts: tuple[str, ...]  # the columns small-cell suppression applies to

    def read(self, records: QuerySet[Any], *, small_cells: int) -> Rows:
        return suppressed(self.rows(records), self.counts, below=small_cells)

    def csv(self, records: QuerySet[Any], *, filename: str, small_cells: int) -> HttpResponse:
        """The table as CSV; a withheld or missing count is an empty cell."""
        rows = self.read(records, small_cells=small_cells)
        return csv_response(
            filename,
            self.columns,
            ([_cell(row.get(column)) for column in self.columns] for row in rows),
        )


def _cell(value: object) -> object:
    return "" if value is None else value


def bars(rows: Rows, label: str, value: str) -> dict[str, Any]:
    """Data for an accessible inline SVG bar chart drawn by the template (a withheld count draws
    no bar)."""
    top = max((row[value] or 0 for row in rows), default=0) or 1
    return {
        "rows": [
            {
                "label": row[label],
                "value": row[value],
                "width": round((row[value] or 0) * 300 / top),
            }
            for row in rows
        ],
        "height": 22 * len(rows),
    }
