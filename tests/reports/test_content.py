"""The report's content and its two editions, in every format: what each contains, and the leak
test (no text marked internal or confidential in the public edition)."""

from __future__ import annotations

import pytest

from reporting.models import Sensitivity
from reports import content, render
from reports.content import ReportError, build_report, consolidated
from reports.services import report_build
from tests.reports.conftest import MARK, PERSON, Reported
from tests.reports.documents import pdf_bookmarks, pdf_pages, text_of

FORMATS = ["html", "pdf", "docx", "xlsx"]
pytestmark = pytest.mark.django_db


def test_consolidated_rating_is_the_leads_most_frequent_ties_to_the_worse() -> None:
    assert consolidated([("lead", "on_track"), ("lead", "on_track"), ("lead", "delayed")]) == (
        "on_track"
    )
    assert consolidated([("lead", "on_track"), ("lead", "delayed")]) == "delayed"
    assert consolidated([("support", "completed"), ("lead", "off_track")]) == "off_track"
    assert consolidated([("support", "completed")]) == "completed"
    assert consolidated([]) == ""


def test_summary_counts_deliverables_by_consolidated_rating(reported: Reported) -> None:
    report = build_report(reported.cycle, edition="internal", confidential=True)
    # Independently: the deliverables given a rating in the fixture, by rating.
    expected = {"on_track": 1, "delayed": 1, "off_track": 1, "completed": 3}
    assert {k: v for k, v in report.totals.items() if k != "none"} == expected
    assert report.totals["none"] == 71 - 6
    priority1 = report.summary_table.rows[0]
    assert priority1[0].startswith("1. ")
    assert priority1[-1] == 8  # priority 1 has 8 deliverables
    assert len(report.annex) == 71


def test_public_edition_counts_only_ratings_it_may_show(reported: Reported) -> None:
    public = build_report(reported.cycle, edition="public")
    internal = build_report(reported.cycle, edition="internal")
    cleared = build_report(reported.cycle, edition="internal", confidential=True)
    # Ratings of public and internal updates are the plan's status in both editions; the
    # confidential update's rating (off track) only in a cleared internal edition.
    assert public.totals.get("off_track", 0) == internal.totals.get("off_track", 0) == 0
    assert cleared.totals["off_track"] == 1
    assert public.totals["delayed"] == 1


def test_public_edition_in_the_app_preview_has_no_internal_text(reported: Reported) -> None:
    report = build_report(reported.cycle, edition="public")
    texts = [t.body for p in report.priorities for t in p.all_highlights]
    texts += [o.description for p in report.priorities for o in p.obstacles]
    assert any(MARK[Sensitivity.PUBLIC] in t for t in texts)
    assert not any(MARK[Sensitivity.INTERNAL] in t for t in texts)


@pytest.mark.parametrize("fmt", FORMATS)
def test_leak_no_internal_or_confidential_text_in_the_public_edition(
    reported: Reported, fmt: str
) -> None:
    _name, data = report_build(cycle=reported.cycle, edition="public", fmt=fmt)
    text = text_of(data, fmt)
    assert MARK[Sensitivity.PUBLIC] in text
    assert MARK[Sensitivity.INTERNAL] not in text
    assert MARK[Sensitivity.CONFIDENTIAL] not in text
    assert PERSON[1] not in text  # no person's name
    assert "Public edition" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_internal_edition_has_internal_but_not_confidential_text(
    reported: Reported, fmt: str
) -> None:
    _name, data = report_build(cycle=reported.cycle, edition="internal", fmt=fmt)
    text = text_of(data, fmt)
    assert MARK[Sensitivity.PUBLIC] in text
    assert MARK[Sensitivity.INTERNAL] in text
    assert MARK[Sensitivity.CONFIDENTIAL] not in text
    assert "Internal edition" in text


def test_cleared_internal_edition_has_confidential_text(reported: Reported) -> None:
    _name, data = report_build(
        cycle=reported.cycle, edition="internal", fmt="html", confidential=True
    )
    assert MARK[Sensitivity.CONFIDENTIAL] in text_of(data, "html")
    # The public edition ignores the request for confidential content.
    _name, data = report_build(
        cycle=reported.cycle, edition="public", fmt="html", confidential=True
    )
    assert MARK[Sensitivity.CONFIDENTIAL] not in text_of(data, "html")


def test_every_format_opens_and_has_the_sections(reported: Reported) -> None:
    import io

    from docx import Document
    from openpyxl import load_workbook

    report = build_report(reported.cycle, edition="public", executive_summary="**Steady** year.")
    pdf = render.render_pdf(report)
    pages = pdf_pages(pdf)[:-1]
    assert len(pages) > 10
    assert "Action for Peacekeeping+: progress report, 2023-H1 · Public edition" in pages[2]
    assert f"3 / {len(pages)}" in pages[2]  # page numbers
    marks = pdf_bookmarks(pdf)
    assert marks[0] == "Contents" and marks[1] == "Summary"
    assert sum(m.startswith("Priority ") for m in marks) == 7
    docx = Document(io.BytesIO(render.render_docx(report)))
    headings = [p.text for p in docx.paragraphs if p.style and p.style.name == "Heading 1"]
    assert headings[:2] == ["Contents", "Summary"]
    assert any(h.startswith("Priority 7:") for h in headings)
    assert headings[-1] == "Annex: deliverables, entities and ratings"
    assert "Public edition" in docx.sections[0].header.paragraphs[0].text
    workbook = load_workbook(io.BytesIO(render.render_xlsx(report)))
    assert workbook.sheetnames[:3] == ["Summary", "Trends", "Indicators"]
    assert "Annex" in workbook.sheetnames
    html = render.render_html(report).decode()
    assert "<strong>Steady</strong> year." in html
    assert html.count('class="report-section priority"') == 7


def test_report_uses_the_plan_text_of_the_cycles_version(reported: Reported) -> None:
    version = reported.cycle.version
    assert version is not None
    tree = version.tree
    tree["priorities"][0]["results"][0]["deliverables"][0]["text"] = "Text as of version one."
    type(version).objects.filter(pk=version.pk).update(tree=tree)
    reported.cycle.refresh_from_db()
    report = build_report(reported.cycle, edition="public")
    assert report.annex[0].text == "Text as of version one."


def test_no_validated_update_is_a_clear_error(workplans: object, planner: object) -> None:
    import datetime as dt

    from tests.reporting.conftest import make_cycle

    cycle = make_cycle(workplans, planner, "2022-H1", dt.date(2022, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ReportError, match="no validated progress update"):
        build_report(cycle, edition="public")


def test_public_edition_with_only_internal_updates_is_a_clear_error(reported: Reported) -> None:
    reported.cycle.updates.exclude(sensitivity=Sensitivity.CONFIDENTIAL).update(
        sensitivity=Sensitivity.CONFIDENTIAL
    )
    with pytest.raises(ReportError):
        build_report(reported.cycle, edition="public")


def test_report_build_refuses_unknown_format_and_edition(reported: Reported) -> None:
    with pytest.raises(ReportError, match="Unknown format"):
        report_build(cycle=reported.cycle, edition="public", fmt="odt")
    with pytest.raises(ReportError, match="Unknown edition"):
        report_build(cycle=reported.cycle, edition="secret", fmt="html")


def test_build_takes_a_fixed_number_of_queries(
    reported: Reported, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        content.build_report(reported.cycle, edition="internal")


def test_french_edition(reported: Reported) -> None:
    _name, data = report_build(cycle=reported.cycle, edition="public", fmt="html", language="fr")
    html = data.decode()
    assert 'lang="fr"' in html
    assert "Édition publique" in html or "Edition publique" in html


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_register_section_gives_aggregates_only_in_the_public_edition(
    reported: Reported, fmt: str
) -> None:
    import datetime as dt

    from tests.registers.factories import case_with

    case_with(
        ["BGD", "BGD"],
        mission="minusca",
        incident_date=dt.date(2023, 3, 2),
        description="Xylophoneambush near the river crossing.",
        place="Xylophonetown",
    )
    case_with(["NPL"], mission="minusma", incident_date=dt.date(2019, 1, 5))  # out of the period
    public = build_report(reported.cycle, edition="public")
    assert [r.title for r in public.registers] == [
        "Crimes against peacekeepers (resolution 2589 (2021))"
    ]
    section = public.registers[0]
    assert section.chart is not None
    assert section.chart.table.rows == [["MINUSCA", 1, 2, 0]]
    _name, data = report_build(cycle=reported.cycle, edition="public", fmt=fmt)
    text = text_of(data, fmt)
    assert "Crimes against peacekeepers" in text
    assert "Xylophone" not in text  # no free text of a case, not even its place
