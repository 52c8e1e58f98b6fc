"""The report drawn in each format from one `content.Report`: HTML (a standalone file), PDF (the
same HTML laid out by WeasyPrint for A4), DOCX (real Word headings and styles, for staff to edit)
and XLSX (the data annex). Charts are the shared chart definitions, as SVG in HTML and PDF and as
PNG in Word."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import charts
from reporting.offline import cell_text
from reports.content import PrioritySection, Report, Table

HERE = Path(__file__).resolve().parent


def _css(name: str) -> str:
    found = finders.find(name)
    return Path(str(found)).read_text(encoding="utf-8") if found else ""


def render_html(report: Report) -> bytes:
    """A standalone HTML file: styles and charts inside it, readable offline."""
    html = render_to_string(
        "reports/standalone.html",
        {"report": report, "css": _css("css/report.css")},
    )
    return html.encode("utf-8")


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    # The print rules go after the screen rules in the document itself: stylesheets given to
    # WeasyPrint apart rank as the reader's, below the document's own.
    css = _css("css/report.css") + "\n" + (HERE / "pdf.css").read_text(encoding="utf-8")
    html = render_to_string(
        "reports/standalone.html", {"report": report, "css": css, "for_print": True}
    )
    pdf = HTML(string=html, base_url=str(HERE)).write_pdf(
        # Whole fonts: subsetting them glyph by glyph takes longer than the layout itself.
        full_fonts=True,
    )
    return bytes(pdf or b"")


# --- Word --------------------------------------------------------------------------------------


def _plain(markdown_text: str) -> list[str]:
    """Markdown narrative as plain paragraphs for Word (emphasis dropped, list items kept)."""
    from reporting.templatetags.a4p_text import markdown

    html = str(markdown(markdown_text))
    html = re.sub(r"<li>", "• ", html)
    parts = re.split(r"</p>|</li>|<br\s*/?>|</h\d>|</blockquote>", html)
    return [strip_tags(p).strip() for p in parts if strip_tags(p).strip()]


def _docx_table(doc: Any, table: Table) -> None:
    doc.add_paragraph(table.caption, style="Caption")
    t = doc.add_table(rows=1, cols=len(table.columns))
    t.style = "Light Grid Accent 1"
    for cell, text in zip(t.rows[0].cells, table.columns, strict=True):
        cell.text = str(text)
    for row in table.rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    doc.add_paragraph()


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (page number, table of contents), computed by Word when the file opens."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(separate)
    run._r.append(end)


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    for level in (1, 2, 3):
        doc.styles[f"Heading {level}"].font.color.rgb = RGBColor(0x0B, 0x53, 0x94)

    core = doc.core_properties
    core.title = report.title
    core.subject = report.edition_label
    core.author = _("United Nations Department of Peace Operations")
    core.language = report.language

    header = section.header.paragraphs[0]
    header.text = f"{report.title} · {report.edition_label}"
    header.style.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if not report.is_public:
        footer.add_run(_("Internal: not for distribution outside the Organization.") + "  ")
    footer.add_run(_("Page") + " ")
    _field(footer, "PAGE")

    doc.add_paragraph(_("United Nations · Department of Peace Operations"), style="Subtitle")
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.edition_label, style="Intense Quote")
    facts = [
        (_("Plan"), report.plan_title),
        (_("Reporting period"), f"{report.cycle.code} · {report.period}"),
        (_("Prepared"), report.generated_at.date().isoformat()),
    ]
    for label, value in facts:
        fact = doc.add_paragraph()
        fact.add_run(f"{label}: ").bold = True
        fact.add_run(str(value))
    doc.add_paragraph(
        _(
            "This edition contains only content cleared for public release. Register data "
            "appear as aggregates only."
        )
        if report.is_public
        else _("Internal: for United Nations staff. Not for distribution outside the Organization.")
    )
    doc.add_page_break()
    doc.add_heading(_("Contents"), level=1)
    toc = doc.add_paragraph()
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u')
    doc.add_paragraph(
        _("Word fills in the table of contents when you update fields (F9)."), style="Caption"
    )
    doc.add_page_break()

    def chart(c: Any) -> None:
        doc.add_picture(io.BytesIO(charts.to_png(c.spec)), width=Cm(15))
        _docx_table(doc, c.table)

    labels = report.rating_labels
    doc.add_heading(_("Summary"), level=1)
    for chunk in _plain(report.executive_summary):
        doc.add_paragraph(chunk)
    chart(report.summary_chart)
    _docx_table(doc, report.changes)

    def rating(code: str) -> str:
        return labels.get(code, "") if code else _("not reported")

    for sec in report.priorities:
        doc.add_page_break()
        doc.add_heading(_("Priority %(n)s: %(title)s") % {"n": sec.number, "title": sec.title}, 1)
        chart(sec.ratings_chart)
        chart(sec.trend_chart)
        doc.add_heading(_("Deliverables"), level=2)
        for r in sec.results:
            doc.add_heading(_("Result %(code)s: %(title)s") % {"code": r.code, "title": r.title}, 3)
            for d in r.deliverables:
                para = doc.add_paragraph(style="List Bullet")
                para.add_run(f"{d.code} ").bold = True
                para.add_run(f"[{rating(d.rating)}] ").italic = True
                para.add_run(d.text)
        doc.add_heading(_("Highlights"), level=2)
        if not sec.highlights:
            doc.add_paragraph(_("No highlight reported for this priority in this edition."))
        for t in sec.highlights:
            doc.add_paragraph(f"{t.deliverable} · {t.entity}", style="Caption")
            for chunk in _plain(t.body):
                doc.add_paragraph(chunk)
            if t.more:
                doc.add_paragraph(more_text(t.more), style="Caption")
        doc.add_heading(_("Obstacles and mitigations"), level=2)
        if sec.obstacles:
            _docx_table(doc, sec.obstacle_counts)
            if sec.attention:
                _docx_table(doc, attention_table(sec))
                if sec.attention_more:
                    doc.add_paragraph(
                        ngettext(
                            "%(n)s more obstacle of this kind is in the data annex (XLSX).",
                            "%(n)s more obstacles of this kind are in the data annex (XLSX).",
                            sec.attention_more,
                        )
                        % {"n": sec.attention_more},
                        style="Caption",
                    )
            else:
                doc.add_paragraph(
                    _("No obstacle of this priority was escalated or rated high or critical.")
                )
        else:
            doc.add_paragraph(_("No obstacle reported for this priority in this edition."))
        doc.add_heading(_("Indicators"), level=2)
        if sec.indicators.rows:
            _docx_table(doc, sec.indicators)
        else:
            doc.add_paragraph(_("No indicator is attached to this priority."))

    doc.add_page_break()
    doc.add_heading(_("Women, peace and security"), level=1)
    for d in report.wps_deliverables:
        para = doc.add_paragraph(style="List Bullet")
        para.add_run(f"{d.code} ").bold = True
        para.add_run(f"[{rating(d.rating)}] ").italic = True
        para.add_run(d.text)
    if report.wps_notes:
        doc.add_heading(_("Gender notes from progress updates"), level=2)
        for t in report.wps_notes:
            doc.add_paragraph(f"{t.deliverable} · {t.entity}", style="Caption")
            for chunk in _plain(t.body):
                doc.add_paragraph(chunk)
    if report.wps_indicators.rows:
        _docx_table(doc, report.wps_indicators)

    for reg in report.registers:
        doc.add_page_break()
        doc.add_heading(reg.title, level=1)
        if reg.summary:
            doc.add_paragraph(reg.summary)
        for label, value in reg.facts:
            para = doc.add_paragraph()
            para.add_run(f"{label}: ").bold = True
            para.add_run(str(value))
        if reg.chart:
            chart(reg.chart)
        for table in reg.tables:
            _docx_table(doc, table)

    doc.add_page_break()
    doc.add_heading(_("Annex: deliverables, entities and ratings"), level=1)
    _docx_table(doc, annex_table(report))

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def attention_table(p: PrioritySection) -> Table:
    return Table(
        caption=_(
            "Obstacles under priority %(n)s escalated to leadership or of high or critical severity"
        )
        % {"n": p.number},
        columns=[
            _("Deliverable"),
            _("Entity"),
            _("Category"),
            _("Severity"),
            _("Obstacle"),
            _("Mitigation"),
        ],
        rows=[
            [
                o.deliverable,
                o.entity,
                o.category,
                o.severity + (f" · {_('escalated')}" if o.escalated else ""),
                o.description,
                o.mitigation or "—",
            ]
            for o in p.attention
        ],
    )


def more_text(n: int) -> str:
    return ngettext(
        "%(n)s more text on this deliverable is in the data annex (XLSX).",
        "%(n)s more texts on this deliverable are in the data annex (XLSX).",
        n,
    ) % {"n": n}


def annex_table(report: Report) -> Table:
    labels = report.rating_labels
    return Table(
        caption=_(
            "Every deliverable with its lead and supporting entities and each reporting "
            "entity's rating, %(cycle)s"
        )
        % {"cycle": report.cycle.code},
        columns=[_("Deliverable"), _("Lead"), _("Supporting"), _("Rating"), _("Ratings by entity")],
        rows=[
            [
                d.code,
                ", ".join(d.lead) or "—",
                ", ".join(d.support) or "—",
                labels.get(d.rating, "") if d.rating else _("not reported"),
                d.ratings_by_rating(labels) or "—",
            ]
            for d in report.annex
        ],
    )


# --- Excel -------------------------------------------------------------------------------------


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DCE6F1")

    def sheet(title: str, tables: list[Table], first: bool = False) -> None:
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        ws.title = title[:31]
        ws.append([report.title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([f"{report.edition_label} · {report.cycle.code} · {report.period}"])
        widths: dict[int, int] = {}
        for table in tables:
            ws.append([])
            ws.append([table.caption])
            ws.cell(row=ws.max_row, column=1).font = bold
            ws.append([str(c) for c in table.columns])
            for i in range(1, len(table.columns) + 1):
                cell = ws.cell(row=ws.max_row, column=i)
                cell.font = bold
                cell.fill = head_fill
            for row in table.rows:
                ws.append([_cell(v) for v in row])
                for cell in ws[ws.max_row]:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # a text that starts with "=" stays text
                for i, v in enumerate(row, start=1):
                    widths[i] = max(widths.get(i, 8), min(60, len(str(v))))
        for i, w in widths.items():
            ws.column_dimensions[get_column_letter(i)].width = w + 2
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    sheet(_("Summary"), [report.summary_table, report.changes], first=True)
    sheet(
        _("Trends"),
        [p.trend_chart.table for p in report.priorities]
        + [p.ratings_chart.table for p in report.priorities],
    )
    sheet(_("Indicators"), [p.indicators for p in report.priorities] + [report.wps_indicators])
    obstacles = Table(
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
    sheet(_("Obstacles"), [obstacles])
    sheet(
        _("Highlights"),
        [
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
        ],
    )
    if report.registers:
        sheet(
            _("Registers"),
            [
                Table(caption=f"{reg.title}: {t.caption}", columns=t.columns, rows=t.rows)
                for reg in report.registers
                for t in ([reg.chart.table] if reg.chart else []) + reg.tables
            ],
        )
    sheet(_("Annex"), [annex_table(report)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    """Numbers stay numbers; anything else is text as a cell may hold it (codes such as "1.10"
    must not turn into 1.1)."""
    if isinstance(value, int | float):
        return value
    return cell_text("" if value is None else str(value))


RENDERERS = {
    "html": render_html,
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
}


def render(report: Report, fmt: str) -> bytes:
    return RENDERERS[fmt](report)


def filename(report: Report, fmt: str) -> str:
    return f"a4p-report-{report.cycle.code}-{report.edition}-{report.language}.{fmt}"
