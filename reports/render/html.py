"""The report as a standalone HTML file, and the document the PDF lays out."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from reports.content import Report


def stylesheet(name: str) -> str:
    found = finders.find(name)
    return Path(str(found)).read_text(encoding="utf-8") if found else ""


def standalone(report: Report, *, css: str, for_print: bool = False) -> str:
    return render_to_string(
        "reports/standalone.html", {"report": report, "css": css, "for_print": for_print}
    )


def render_html(report: Report) -> bytes:
    """A standalone HTML file: styles and charts inside it, readable offline."""
    return standalone(report, css=stylesheet("css/report.css")).encode("utf-8")
