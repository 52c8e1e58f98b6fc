"""Demo reports: executive summaries of the past cycles, and the published report of 2023-H1, so
that the public reports page has an edition to download (in English). 2023-H2, closed, is left for a
planning officer to summarise and publish. Idempotent."""

from __future__ import annotations

from accounts.models import User
from reporting.models import Cycle
from reports.models import Publication, ReportDraft
from reports.services import report_publish

SUMMARIES = {
    "2022-H1": (
        "The first cycle of the A4P+ plan set the baseline. Most deliverables started on time; "
        "the strategic reviews of several missions and the new performance framework were the "
        "main achievements. Delays concentrated on deliverables that depend on host-country "
        "cooperation and on funding for data systems."
    ),
    "2022-H2": (
        "Implementation gathered pace: more deliverables are on track than in the first half "
        "of the year, and the first integrated data dashboards reached missions. Movement "
        "restrictions and the liquidity situation remained the obstacles most often reported."
    ),
    "2023-H1": (
        "Two thirds of the rated deliverables are on track or completed. Progress was strongest "
        "on strategic communications and on the accountability of peacekeepers; the women, "
        "peace and security commitments advanced in every mission that reports on them.\n\n"
        "Leadership attention is required on:\n\n"
        "- host-country cooperation on status-of-forces issues;\n"
        "- funding for the environmental and data deliverables;\n"
        "- the follow-up of crimes against peacekeepers by host-State authorities."
    ),
}
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
