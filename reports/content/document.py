"""What the report is made of: the parts every renderer draws, and the edition's rules for how
much of each part the document shows."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import charts
from reporting.models import Cycle, Obstacle, ProgressUpdate
from reports.models import Edition

PUBLIC = Edition.PUBLIC
EDITIONS = tuple(Edition.values)

GOOD = ("on_track", "completed")
# The document keeps the first texts of each deliverable (lead entities first) so that it reads
# as a report, not a dump; the XLSX data annex carries every text.
HIGHLIGHTS_PER_DELIVERABLE = 2
SEVERE = (Obstacle.Severity.HIGH, Obstacle.Severity.CRITICAL)
OBSTACLES_PER_PRIORITY = 10


class ReportError(Exception):
    """The report cannot be built; the message says why, in the reader's words."""


def rating_labels() -> dict[str, str]:
    return {code: str(label) for code, label in ProgressUpdate.Rating.choices}


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Chart:
    key: str
    title: str
    spec: dict[str, Any]
    table: Table


@dataclass
class Text:
    """A paragraph from a progress update, with where it comes from."""

    deliverable: str
    entity: str
    body: str
    more: int = 0  # further texts on the same deliverable, left to the data annex


@dataclass
class ObstacleItem:
    deliverable: str
    entity: str
    category: str
    severity: str
    description: str
    mitigation: str
    escalated: bool
    severe: bool = False
    critical: bool = False


@dataclass
class DeliverableLine:
    code: str
    text: str
    lead: list[str]
    support: list[str]
    rating: str  # consolidated rating code, "" when nobody reported
    entity_ratings: list[tuple[str, str, str]]  # (entity label, role label, rating code)
    wps: bool

    def ratings_by_rating(self, labels: dict[str, str]) -> str:
        """Entities grouped by their rating, worst first: "Delayed: MINUSMA; On track: ..."."""
        groups: dict[str, list[str]] = defaultdict(list)
        for entity, _role, rating in self.entity_ratings:
            groups[rating].append(entity)
        order = charts.RATING_ORDER
        ranked = sorted(groups, key=lambda r: -(order.index(r) if r in order else 99))
        return "; ".join(f"{labels.get(r, r)}: {', '.join(groups[r])}" for r in ranked)


@dataclass
class ResultPart:
    code: str
    title: str
    deliverables: list[DeliverableLine]


@dataclass
class PrioritySection:
    number: int
    title: str
    results: list[ResultPart]
    counts: Counter[str]
    ratings_chart: Chart
    trend_chart: Chart
    highlights: list[Text]
    all_highlights: list[Text]
    obstacles: list[ObstacleItem]
    indicators: Table

    @property
    def deliverables(self) -> list[DeliverableLine]:
        return [line for result in self.results for line in result.deliverables]

    @property
    def needing_attention(self) -> list[ObstacleItem]:
        """Obstacles escalated to leadership or of high or critical severity, escalated and
        critical ones first."""
        severe = [o for o in self.obstacles if o.escalated or o.severe]
        return sorted(severe, key=lambda o: (not o.escalated, not o.critical))

    @property
    def attention(self) -> list[ObstacleItem]:
        """What the document lists: the first of those needing attention (the data annex has
        every obstacle)."""
        return self.needing_attention[:OBSTACLES_PER_PRIORITY]

    @property
    def attention_more(self) -> int:
        return max(0, len(self.needing_attention) - OBSTACLES_PER_PRIORITY)

    @property
    def obstacle_counts(self) -> Table:
        counts = Counter(o.category for o in self.obstacles)
        return Table(
            caption=_("Obstacles reported under priority %(n)s by category") % {"n": self.number},
            columns=[_("Category"), _("Obstacles")],
            rows=[[label, n] for label, n in counts.most_common()],
        )


@dataclass
class RegisterSection:
    title: str
    summary: str
    facts: list[tuple[str, Any]]
    tables: list[Table]
    chart: Chart | None = None


@dataclass
class Report:
    plan_title: str
    plan_code: str
    cycle: Cycle
    edition: str
    confidential: bool
    language: str
    generated_at: dt.datetime
    version_number: int | None
    executive_summary: str
    summary_table: Table
    summary_chart: Chart
    changes: Table
    totals: dict[str, int]
    priorities: list[PrioritySection]
    wps_deliverables: list[DeliverableLine]
    wps_notes: list[Text]
    all_wps_notes: list[Text]
    wps_indicators: Table
    registers: list[RegisterSection]
    annex: list[DeliverableLine]
    rating_labels: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return _("Action for Peacekeeping+: progress report, %(cycle)s") % {
            "cycle": self.cycle.code
        }

    @property
    def edition_label(self) -> str:
        return str(Edition(self.edition).label)

    @property
    def is_public(self) -> bool:
        return self.edition == PUBLIC

    @property
    def period(self) -> str:
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.cycle.period_start, "j F Y"),
            "end": date_format(self.cycle.period_end, "j F Y"),
        }
