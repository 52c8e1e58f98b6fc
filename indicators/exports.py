"""The tracking table as an XLSX workbook: the same rows as the page, one column group per
cycle. Every cell through `core.export.xlsx_append` (no text is ever a formula)."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.export import xlsx_append
from core.models import Entity
from indicators import selectors
from indicators.aggregation import STATUS_LABELS


def tracking_xlsx(
    plan_code: str, cycles: list[Any], rows: list[selectors.Row], entity: Entity | None
) -> HttpResponse:
    # openpyxl is imported when a workbook is asked for, not with every page (start-up time).
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Tracking")[:31]
    head = [
        _("Code"),
        _("Indicator"),
        _("Attached to"),
        pgettext("of measure", "Unit"),
        _("Direction"),
        _("Baseline"),
        _("End-of-plan target"),
    ]
    for cycle in cycles:
        head += [
            _("%(cycle)s target") % {"cycle": cycle.code},
            _("%(cycle)s actual") % {"cycle": cycle.code},
            _("%(cycle)s to date") % {"cycle": cycle.code},
            _("%(cycle)s achievement (%%)") % {"cycle": cycle.code},
            _("%(cycle)s status") % {"cycle": cycle.code},
        ]
    xlsx_append(sheet, head)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    for row in rows:
        ind = row.indicator
        line: list[Any] = [
            ind.code,
            ind.name,
            ind.attached_code,
            ind.get_unit_display(),
            ind.get_direction_display(),
            ind.baseline,
            row.span_target,
        ]
        for c in row.cells:
            line += [
                c.target,
                c.actual,
                c.to_date,
                round(c.achievement, 1) if c.achievement is not None else None,
                str(STATUS_LABELS[c.status]),
            ]
        xlsx_append(sheet, line)
    buffer = io.BytesIO()
    book.save(buffer)
    suffix = f"-{entity.code}" if entity else ""
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="A4P-indicators-{plan_code}{suffix}.xlsx"'
    )
    return response
