"""The indicator tables of the report: baseline, target and actual of the cycle, value to date,
end target and status, by the rules of indicators/aggregation.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from indicators.aggregation import STATUS_LABELS, Status
from indicators.selectors import Row
from plans.exporters import plain_number
from reports.content.document import Table


def indicator_table(rows: list[Row], caption: str, *, in_version: set[str]) -> Table:
    """One line per indicator of `rows` that the cycle's plan version holds."""
    return Table(
        caption=caption,
        columns=[
            _("Code"),
            _("Indicator"),
            _("Baseline"),
            _("Target (cycle)"),
            _("Actual (cycle)"),
            _("To date"),
            _("End target"),
            _("Status"),
        ],
        rows=[_line(row) for row in rows if row.indicator.code in in_version],
    )


def _line(row: Row) -> list[Any]:
    indicator = row.indicator
    cell = row.cells[-1] if row.cells else None
    return [
        indicator.code,
        indicator.name,
        _num(indicator.baseline),
        _num(cell.target if cell else None),
        _num(cell.actual if cell else None),
        _num(cell.to_date if cell else None),
        _num(row.span_target),
        str(STATUS_LABELS[cell.status if cell else Status.NO_DATA]),
    ]


def _num(value: Decimal | None) -> int | float | str:
    return "—" if value is None else plain_number(value)
