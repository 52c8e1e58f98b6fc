"""The report's data annex as a workbook: summary, trends, indicators, obstacles, every highlight
and gender note, registers, annex. Every cell through `core.export.xlsx_append`: titles,
captions, headers and texts are text cells, never formulas."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from core.export import xlsx_append
from reporting.offline import cell_text
from reports.content import Report, Table
from reports.render.tables import annex_table

if TYPE_CHECKING:
    from openpyxl import Workbook


def render_xlsx(report: Report) -> bytes:
    # Imported here: openpyxl takes long to load, and only a workbook build needs it.
    from openpyxl import Workbook

    workbook = Workbook()
    _sheet(workbook, report, _("Summary"), [report.summary_table, report.changes], first=True)
    _sheet(
        workbook,
        report,
        _("Trends"),
        [p.trend_chart.table for p in report.priorities]
        + [p.ratings_chart.table for p in report.priorities],
    )
    _sheet(
        workbook,
        report,
        _("Indicators"),
        [p.indicators for p in report.priorities] + [report.wps_indicators],
    )
    _sheet(workbook, report, _("Obstacles"), [_obstacles(report)])
    _sheet(workbook, report, _("Highlights"), _texts(report))
    if report.registers:
        _sheet(workbook, report, _("Registers"), _registers(report))
    _sheet(workbook, report, _("Annex"), [annex_table(report)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet(
    workbook: Workbook, report: Report, title: str, tables: list[Table], first: bool = False
) -> None:
    """A sheet headed by the report's title, edition and period, then each table with its
    caption."""
    from openpyxl.styles import Alignment, Font, PatternFill  # openpyxl: start-up time
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DCE6F1")
    ws = workbook.active if first else workbook.create_sheet()
    assert ws is not None
    ws.title = title[:31]
    xlsx_append(ws, [report.title])[0].font = Font(bold=True, size=13)
    xlsx_append(ws, [f"{report.edition_label} · {report.cycle.code} · {report.period}"])
    widths: dict[int, int] = {}
    for table in tables:
        ws.append([])
        xlsx_append(ws, [table.caption])[0].font = bold
        for cell in xlsx_append(ws, [str(c) for c in table.columns]):
            cell.font = bold
            cell.fill = head_fill
        for row in table.rows:
            xlsx_append(ws, [_cell(v) for v in row])
            for i, v in enumerate(row, start=1):
                widths[i] = max(widths.get(i, 8), min(60, len(str(v))))
    for i, w in widths.items():
        ws.column_dimensions[get_column_letter(i)].width = w + 2
    for sheet_row in ws.iter_rows(min_row=3):
        for cell in sheet_row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _obstacles(report: Report) -> Table:
    return Table(
        caption=_("Obstacles and mitigations"),
        columns=[
            _("Priority"),
            _("Deliverable"),
            _("Entity"),
            _("Category"),
            _("Severity"),
            _("Escalated"),
            _("Obstacle"),
            _("Mitigation"),
        ],
        rows=[
            [
                p.number,
                o.deliverable,
                o.entity,
                o.category,
                o.severity,
                _("yes") if o.escalated else _("no"),
                o.description,
                o.mitigation,
            ]
            for p in report.priorities
            for o in p.obstacles
        ],
    )


def _texts(report: Report) -> list[Table]:
    """Every highlight and gender note of the edition, not only those the document shows."""
    return [
        Table(
            caption=_("Highlights: every text of the edition"),
            columns=[_("Priority"), _("Deliverable"), _("Entity"), _("Highlight")],
            rows=[
                [p.number, t.deliverable, t.entity, t.body]
                for p in report.priorities
                for t in p.all_highlights
            ],
        ),
        Table(
            caption=_("Gender notes from progress updates"),
            columns=[_("Deliverable"), _("Entity"), _("Note")],
            rows=[[t.deliverable, t.entity, t.body] for t in report.all_wps_notes],
        ),
    ]


def _registers(report: Report) -> list[Table]:
    return [
        Table(caption=f"{reg.title}: {t.caption}", columns=t.columns, rows=t.rows)
        for reg in report.registers
        for t in ([reg.chart.table] if reg.chart else []) + reg.tables
    ]


def _cell(value: Any) -> Any:
    """Numbers stay numbers; anything else is text as a cell may hold it (codes such as "1.10"
    must not turn into 1.1)."""
    if isinstance(value, int | float):
        return value
    return cell_text("" if value is None else str(value))
