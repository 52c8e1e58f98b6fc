"""The report as an A4 PDF: the standalone HTML laid out by WeasyPrint with the print rules."""

from __future__ import annotations

from pathlib import Path

from reports.content import Report
from reports.render.html import standalone, stylesheet

# The reports app's folder: it holds the print rules and is the base of the document's URLs.
REPORTS_DIR = Path(__file__).resolve().parent.parent


def render_pdf(report: Report) -> bytes:
    # Imported here: WeasyPrint takes long to load, and only a PDF build needs it.
    from weasyprint import HTML

    # The print rules go after the screen rules in the document itself: stylesheets given to
    # WeasyPrint apart rank as the reader's, below the document's own.
    css = (
        stylesheet("css/report.css") + "\n" + (REPORTS_DIR / "pdf.css").read_text(encoding="utf-8")
    )
    html = standalone(report, css=css, for_print=True)
    pdf = HTML(string=html, base_url=str(REPORTS_DIR)).write_pdf(
        # Whole fonts: subsetting them glyph by glyph takes longer than the layout itself.
        full_fonts=True,
    )
    return bytes(pdf or b"")
