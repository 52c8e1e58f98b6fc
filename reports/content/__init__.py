"""What the consolidated semi-annual report says, built once from a cycle's data and then drawn by
each renderer (HTML, PDF, DOCX, XLSX). Both editions come from this one builder; the edition only
decides which texts may enter:

- public edition: texts of updates marked *public* only; register data as aggregates; no person's
  name anywhere (entities are named, people are not);
- internal edition: texts of *public* and *internal* updates, and of *confidential* ones only when
  the edition is built for a reader cleared for them (never for a published file).

Ratings are the plan's status, not texts: the ratings of public and internal updates count in both
editions; a confidential update contributes nothing to an edition that may not show it.

The plan's wording comes from the plan version the cycle is bound to, so a report of 2022 keeps the
deliverables as they read in 2022 even after a revision.

`build_report` (build.py) reads the sources once (sources.py) and composes the sections: the
summary (summary.py), one per priority (priority.py, its deliverables in deliverables.py and its
indicators in indicator_tables.py), women, peace and security (wps.py), the registers
(registers.py) and the annex. The cover and the contents are drawn by each renderer from the
report's own facts (document.py) and its headings.
"""

from reports.content.build import build_report
from reports.content.document import (
    EDITIONS,
    PUBLIC,
    Chart,
    DeliverableLine,
    ObstacleItem,
    PrioritySection,
    RegisterSection,
    Report,
    ReportError,
    ResultPart,
    Table,
    Text,
    rating_labels,
)
from reports.content.registers import register_providers
from reports.content.sources import allowed_sensitivities, consolidated

__all__ = [
    "EDITIONS",
    "PUBLIC",
    "Chart",
    "DeliverableLine",
    "ObstacleItem",
    "PrioritySection",
    "RegisterSection",
    "Report",
    "ReportError",
    "ResultPart",
    "Table",
    "Text",
    "allowed_sensitivities",
    "build_report",
    "consolidated",
    "rating_labels",
    "register_providers",
]
