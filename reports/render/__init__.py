"""The report drawn in each format from one `content.Report`: HTML (a standalone file), PDF (the
same HTML laid out by WeasyPrint for A4), DOCX (real Word headings and styles, for staff to edit)
and XLSX (the data annex). Charts are the shared chart definitions, as SVG in HTML and PDF and as
PNG in Word."""

from __future__ import annotations

from collections.abc import Callable

from reports.content import Report
from reports.render.docx import render_docx
from reports.render.html import render_html
from reports.render.pdf import render_pdf
from reports.render.xlsx import render_xlsx

RENDERERS: dict[str, Callable[[Report], bytes]] = {
    "html": render_html,
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
}

__all__ = [
    "RENDERERS",
    "filename",
    "render",
    "render_docx",
    "render_html",
    "render_pdf",
    "render_xlsx",
]


def render(report: Report, fmt: str) -> bytes:
    return RENDERERS[fmt](report)


def filename(report: Report, fmt: str) -> str:
    return f"a4p-report-{report.cycle.code}-{report.edition}-{report.language}.{fmt}"
