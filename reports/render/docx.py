"""The report as a Word document, for staff to edit: real Word headings (Heading 1 to 3), Caption,
List Bullet and table styles, a header with edition and cycle, page-number and contents fields;
charts as PNG."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import charts
from reporting.templatetags.a4p_text import markdown
from reports.content import (
    Chart,
    DeliverableLine,
    PrioritySection,
    RegisterSection,
    Report,
    Table,
    Text,
)
from reports.render.tables import annex_table, attention_table, more_text

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph


def render_docx(report: Report) -> bytes:
    # Imported here, as in each function of this module that needs python-docx: it takes long
    # to load, and only a Word build needs it.
    from docx import Document

    doc = Document()
    _page_setup(doc, report)
    _cover(doc, report)
    _contents(doc)
    _summary(doc, report)
    for section in report.priorities:
        _priority(doc, report, section)
    _wps(doc, report)
    for register in report.registers:
        _register(doc, register)
    doc.add_page_break()
    doc.add_heading(_("Annex: deliverables, entities and ratings"), level=1)
    _table(doc, annex_table(report))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc: WordDocument, report: Report) -> None:
    """A4, the styles, the document's properties, and the running header and footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # python-docx: start-up time
    from docx.shared import Mm, Pt, RGBColor

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    for level in (1, 2, 3):
        doc.styles[f"Heading {level}"].font.color.rgb = RGBColor(0x0B, 0x53, 0x94)

    properties = doc.core_properties
    properties.title = report.title
    properties.subject = report.edition_label
    properties.author = _("United Nations Department of Peace Operations")
    properties.language = report.language

    header = section.header.paragraphs[0]
    header.text = f"{report.title} · {report.edition_label}"
    header.style.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if not report.is_public:
        footer.add_run(_("Internal: not for distribution outside the Organization.") + "  ")
    footer.add_run(_("Page") + " ")
    _field(footer, "PAGE")


def _cover(doc: WordDocument, report: Report) -> None:
    doc.add_paragraph(_("United Nations · Department of Peace Operations"), style="Subtitle")
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.edition_label, style="Intense Quote")
    facts = [
        (_("Plan"), report.plan_title),
        (_("Reporting period"), f"{report.cycle.code} · {report.period}"),
        (_("Prepared"), report.generated_at.date().isoformat()),
    ]
    for label, value in facts:
        _fact(doc, label, value)
    doc.add_paragraph(
        _(
            "This edition contains only content cleared for public release. Register data "
            "appear as aggregates only."
        )
        if report.is_public
        else _("Internal: for United Nations staff. Not for distribution outside the Organization.")
    )
    doc.add_page_break()


def _contents(doc: WordDocument) -> None:
    doc.add_heading(_("Contents"), level=1)
    toc = doc.add_paragraph()
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u')
    doc.add_paragraph(
        _("Word fills in the table of contents when you update fields (F9)."), style="Caption"
    )
    doc.add_page_break()


def _summary(doc: WordDocument, report: Report) -> None:
    doc.add_heading(_("Summary"), level=1)
    for chunk in _plain(report.executive_summary):
        doc.add_paragraph(chunk)
    _chart(doc, report.summary_chart)
    _table(doc, report.changes)


def _priority(doc: WordDocument, report: Report, section: PrioritySection) -> None:
    doc.add_page_break()
    doc.add_heading(
        _("Priority %(n)s: %(title)s") % {"n": section.number, "title": section.title}, 1
    )
    _chart(doc, section.ratings_chart)
    _chart(doc, section.trend_chart)
    doc.add_heading(_("Deliverables"), level=2)
    for result in section.results:
        doc.add_heading(
            _("Result %(code)s: %(title)s") % {"code": result.code, "title": result.title}, 3
        )
        for line in result.deliverables:
            _deliverable(doc, report, line)
    doc.add_heading(_("Highlights"), level=2)
    if not section.highlights:
        doc.add_paragraph(_("No highlight reported for this priority in this edition."))
    for text in section.highlights:
        _text(doc, text)
        if text.more:
            doc.add_paragraph(more_text(text.more), style="Caption")
    _obstacles(doc, section)
    doc.add_heading(_("Indicators"), level=2)
    if section.indicators.rows:
        _table(doc, section.indicators)
    else:
        doc.add_paragraph(_("No indicator is attached to this priority."))


def _obstacles(doc: WordDocument, section: PrioritySection) -> None:
    doc.add_heading(_("Obstacles and mitigations"), level=2)
    if not section.obstacles:
        doc.add_paragraph(_("No obstacle reported for this priority in this edition."))
        return
    _table(doc, section.obstacle_counts)
    if not section.attention:
        doc.add_paragraph(
            _("No obstacle of this priority was escalated or rated high or critical.")
        )
        return
    _table(doc, attention_table(section))
    if section.attention_more:
        doc.add_paragraph(
            ngettext(
                "%(n)s more obstacle of this kind is in the data annex (XLSX).",
                "%(n)s more obstacles of this kind are in the data annex (XLSX).",
                section.attention_more,
            )
            % {"n": section.attention_more},
            style="Caption",
        )


def _wps(doc: WordDocument, report: Report) -> None:
    doc.add_page_break()
    doc.add_heading(_("Women, peace and security"), level=1)
    for line in report.wps_deliverables:
        _deliverable(doc, report, line)
    if report.wps_notes:
        doc.add_heading(_("Gender notes from progress updates"), level=2)
        for text in report.wps_notes:
            _text(doc, text)
    if report.wps_indicators.rows:
        _table(doc, report.wps_indicators)


def _register(doc: WordDocument, register: RegisterSection) -> None:
    doc.add_page_break()
    doc.add_heading(register.title, level=1)
    if register.summary:
        doc.add_paragraph(register.summary)
    for label, value in register.facts:
        _fact(doc, label, value)
    if register.chart:
        _chart(doc, register.chart)
    for table in register.tables:
        _table(doc, table)


def _deliverable(doc: WordDocument, report: Report, line: DeliverableLine) -> None:
    rating = report.rating_labels.get(line.rating, "") if line.rating else _("not reported")
    para = doc.add_paragraph(style="List Bullet")
    para.add_run(f"{line.code} ").bold = True
    para.add_run(f"[{rating}] ").italic = True
    para.add_run(line.text)


def _text(doc: WordDocument, text: Text) -> None:
    doc.add_paragraph(f"{text.deliverable} · {text.entity}", style="Caption")
    for chunk in _plain(text.body):
        doc.add_paragraph(chunk)


def _fact(doc: WordDocument, label: str, value: object) -> None:
    para = doc.add_paragraph()
    para.add_run(f"{label}: ").bold = True
    para.add_run(str(value))


def _chart(doc: WordDocument, chart: Chart) -> None:
    from docx.shared import Cm  # python-docx: start-up time

    doc.add_picture(io.BytesIO(charts.to_png(chart.spec)), width=Cm(15))
    _table(doc, chart.table)


def _table(doc: WordDocument, table: Table) -> None:
    doc.add_paragraph(table.caption, style="Caption")
    drawn = doc.add_table(rows=1, cols=len(table.columns))
    drawn.style = "Light Grid Accent 1"
    for cell, text in zip(drawn.rows[0].cells, table.columns, strict=True):
        cell.text = str(text)
    for row in table.rows:
        cells = drawn.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    doc.add_paragraph()


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (page number, table of contents), computed by Word when the file opens."""
    from docx.oxml import OxmlElement  # python-docx: start-up time
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


def _plain(markdown_text: str) -> list[str]:
    """Markdown narrative as plain paragraphs for Word (emphasis dropped, list items kept)."""
    html = str(markdown(markdown_text))
    html = re.sub(r"<li>", "• ", html)
    parts = re.split(r"</p>|</li>|<br\s*/?>|</h\d>|</blockquote>", html)
    return [strip_tags(p).strip() for p in parts if strip_tags(p).strip()]
