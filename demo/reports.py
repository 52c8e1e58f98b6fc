"""Demo reports: executive summaries of the past cycles, and the published report of 2023-H1, so
that the public reports page has an edition to download (in English). 2023-H2, closed, is left for a
planning officer to summarise and publish. Idempotent."""

from __future__ import annotations

from accounts.models import User
from demo import texts
from reporting.models import Cycle
from reports.models import Publication, ReportDraft
from reports.services import report_publish

SUMMARIES: dict[str, str] = texts.load("reports")["summaries"]
PUBLISHED = "2023-H1"


def demo_reports_ensure() -> dict[str, int]:
    drafts = 0
    for code, text in SUMMARIES.items():
        cycle = Cycle.objects.filter(code=code).first()
        if cycle is None:
            continue
        _draft, created = ReportDraft.objects.get_or_create(
            cycle=cycle, defaults={"executive_summary": text}
        )
        drafts += created
    published = 0
    cycle = Cycle.objects.filter(code=PUBLISHED).first()
    planner = User.objects.filter(username="planner").first()
    if cycle and planner and not Publication.objects.filter(cycle=cycle).exists():
        # English only, to keep `a4p demo` quick; the app publishes in every language.
        published = len(report_publish(cycle=cycle, actor=planner, languages=["en"]))
    return {"summaries": drafts, "publications": published}
