"""The report of a cycle, composed from its sections."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language

from reporting.models import Cycle
from reports.content.document import PUBLIC, Report
from reports.content.priority import priority_section
from reports.content.registers import register_sections
from reports.content.sources import bound_tree, edition_confidential, gather
from reports.content.summary import summary_part
from reports.content.wps import wps_part


def build_report(
    cycle: Cycle,
    *,
    edition: str,
    confidential: bool = False,
    executive_summary: str | None = None,
) -> Report:
    """Everything the report shows for `cycle`. Raises ReportError when there is nothing to
    report (no validated update)."""
    confidential = edition_confidential(edition, confidential=confidential)
    tree = bound_tree(cycle)
    sources = gather(cycle, tree, edition=edition, confidential=confidential)
    priorities = [priority_section(priority, sources) for priority in tree["priorities"]]
    summary = summary_part(priorities, sources)
    wps = wps_part(priorities, sources)
    return Report(
        plan_title=tree["plan"].get("title", cycle.plan.title),
        plan_code=cycle.plan.code,
        cycle=cycle,
        edition=edition,
        confidential=confidential,
        language=get_language() or "en",
        generated_at=timezone.now(),
        version_number=cycle.version.number if cycle.version else None,
        executive_summary=executive_summary or "",
        summary_table=summary.table,
        summary_chart=summary.chart,
        changes=summary.changes,
        totals=summary.totals,
        priorities=priorities,
        wps_deliverables=wps.deliverables,
        wps_notes=wps.notes,
        all_wps_notes=wps.all_notes,
        wps_indicators=wps.indicators,
        registers=register_sections(cycle, public=edition == PUBLIC),
        # Every deliverable of the plan version, in the plan's order.
        annex=[line for section in priorities for line in section.deliverables],
        rating_labels=sources.rating_labels,
    )
