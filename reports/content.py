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
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from core import charts
from core.models import Entity
from indicators import selectors as indicator_selectors
from indicators.aggregation import STATUS_LABELS, Status
from plans.exporters import plain_number
from reporting.models import Cycle, Obstacle, ProgressUpdate, Sensitivity
from reports.models import Edition

PUBLIC = Edition.PUBLIC
EDITIONS = tuple(Edition.values)

GOOD = ("on_track", "completed")
# The document keeps the first texts of each deliverable (lead entities first) so that it reads
# as a report, not a dump; the XLSX data annex carries every text.
HIGHLIGHTS_PER_DELIVERABLE = 2
SEVERE = (Obstacle.Severity.HIGH, Obstacle.Severity.CRITICAL)
OBSTACLES_PER_PRIORITY = 10
R = ProgressUpdate.Rating


class ReportError(Exception):
    """The report cannot be built; the message says why, in the reader's words."""


def rating_labels() -> dict[str, str]:
    return {code: str(label) for code, label in R.choices}


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
    generated_at: Any
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


def allowed_sensitivities(edition: str, *, confidential: bool) -> list[str]:
    if edition == PUBLIC:
        return [Sensitivity.PUBLIC]
    if confidential:
        return [Sensitivity.PUBLIC, Sensitivity.INTERNAL, Sensitivity.CONFIDENTIAL]
    return [Sensitivity.PUBLIC, Sensitivity.INTERNAL]


def consolidated(ratings: list[tuple[str, str]]) -> str:
    """One rating for a deliverable from its entities' (role, rating): the most frequent rating
    among the lead entities (the supporting ones when no lead reported), ties going to the less
    favourable rating, so a split never reads better than it is."""
    leads = [r for role, r in ratings if role == "lead" and r]
    pool = leads or [r for _role, r in ratings if r]
    if not pool:
        return ""
    counts = Counter(pool)
    order = charts.RATING_ORDER
    return max(counts, key=lambda r: (counts[r], order.index(r) if r in order else -1))


def _entity_labels(codes: set[str]) -> dict[str, str]:
    return {e.code: e.label for e in Entity.objects.filter(code__in=codes)}


def build_report(
    cycle: Cycle,
    *,
    edition: str,
    confidential: bool = False,
    executive_summary: str | None = None,
) -> Report:
    """Everything the report shows for `cycle`. Raises ReportError when there is nothing to
    report (no validated update)."""
    if edition not in EDITIONS:
        raise ReportError(
            _("Unknown edition “%(edition)s”: use public or internal.") % {"edition": edition}
        )
    if edition == PUBLIC:
        confidential = False
    tree = cycle.version.tree if cycle.version else None
    if not tree:
        raise ReportError(
            _("Cycle %(code)s is bound to no plan version; bind it before reporting.")
            % {"code": cycle.code}
        )
    allowed = allowed_sensitivities(edition, confidential=confidential)
    # Ratings are status, not text: public and internal ones count in both editions.
    counted = [Sensitivity.PUBLIC, Sensitivity.INTERNAL] + (
        [Sensitivity.CONFIDENTIAL] if confidential else []
    )
    validated = ProgressUpdate.objects.filter(
        state=ProgressUpdate.State.VALIDATED, sensitivity__in=counted
    )
    history_cycles = list(
        Cycle.objects.filter(plan=cycle.plan, period_start__lte=cycle.period_start)
        .exclude(state=Cycle.State.PLANNED)
        .order_by("period_start")
    )
    # One query for the ratings of every cycle so far: the trends and the comparison.
    history = list(
        validated.filter(cycle__in=history_cycles)
        .exclude(rating="")
        .values_list("cycle_id", "assignment__deliverable__code", "assignment__role", "rating")
    )
    if not any(c == cycle.pk for c, *_rest in history):
        raise ReportError(
            _(
                "Cycle %(code)s has no validated progress update that this edition may show: "
                "there is nothing to report yet. Validate updates first."
            )
            % {"code": cycle.code}
        )
    per_cycle: dict[int, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for cycle_id, code, role, rating in history:
        per_cycle[cycle_id][code].append((role, rating))
    deliverable_rating = {
        cid: {code: consolidated(pairs) for code, pairs in by_code.items()}
        for cid, by_code in per_cycle.items()
    }
    current = deliverable_rating.get(cycle.pk, {})
    previous_cycle = history_cycles[-2] if len(history_cycles) > 1 else None
    previous = deliverable_rating.get(previous_cycle.pk, {}) if previous_cycle else {}

    updates = list(
        validated.filter(cycle=cycle)
        .select_related("assignment__entity", "assignment__deliverable")
        .prefetch_related(
            Prefetch("obstacles", queryset=Obstacle.objects.order_by("-escalate", "pk"))
        )
        .order_by("assignment__deliverable__code", "assignment__role", "assignment__entity__code")
    )
    by_deliverable: dict[str, list[ProgressUpdate]] = defaultdict(list)
    for update in updates:
        by_deliverable[update.assignment.deliverable.code].append(update)

    codes: set[str] = set()
    for priority in tree["priorities"]:
        for result in priority["results"]:
            for d in result["deliverables"]:
                codes.update(x["entity"] for x in d.get("lead_entities", []))
                codes.update(x["entity"] for x in d.get("supporting_entities", []))
    labels = _entity_labels(codes)
    rlabels = rating_labels()
    role_labels = {"lead": _("lead"), "support": _("supporting"), "oversight": _("oversight")}
    category_labels = dict(Obstacle.Category.choices)
    severity_labels = dict(Obstacle.Severity.choices)

    def line(d: dict[str, Any]) -> DeliverableLine:
        ups = by_deliverable.get(d["code"], [])
        return DeliverableLine(
            code=d["code"],
            text=d["text"],
            lead=[labels.get(x["entity"], x["entity"]) for x in d.get("lead_entities", [])],
            support=[
                labels.get(x["entity"], x["entity"]) for x in d.get("supporting_entities", [])
            ],
            rating=current.get(d["code"], ""),
            entity_ratings=[
                (
                    u.assignment.entity.label,
                    str(role_labels.get(u.assignment.role, u.assignment.role)),
                    u.rating,
                )
                for u in ups
                if u.rating
            ],
            wps="wps" in d.get("markers", []),
        )

    all_cycles = history_cycles
    tracking = indicator_selectors.tracking_table(cycle.plan, cycles=all_cycles)

    in_version = {i["code"] for i in tree.get("indicators", [])}

    def indicator_table(rows: list[Any], caption: str) -> Table:
        out = []
        for row in rows:
            ind = row.indicator
            if ind.code not in in_version:
                continue
            cell = row.cells[-1] if row.cells else None
            out.append(
                [
                    ind.code,
                    ind.name,
                    _num(ind.baseline),
                    _num(cell.target if cell else None),
                    _num(cell.actual if cell else None),
                    _num(cell.to_date if cell else None),
                    _num(row.span_target),
                    str(STATUS_LABELS[cell.status if cell else Status.NO_DATA]),
                ]
            )
        return Table(
            caption=caption,
            columns=[
                _("Code"),
                _("Indicator"),
                _("Baseline"),
                _("Target (cycle)"),
                _("Actual (cycle)"),
                _("To date"),
                _("End target"),
                _("Status"),
            ],
            rows=out,
        )

    sections: list[PrioritySection] = []
    annex: list[DeliverableLine] = []
    summary_rows: list[list[Any]] = []
    chart_rows: list[dict[str, Any]] = []
    change_rows: list[list[Any]] = []
    totals: Counter[str] = Counter()
    wps_lines: list[DeliverableLine] = []
    wps_notes: list[Text] = []
    all_wps_notes: list[Text] = []
    rating_codes = [c for c in charts.RATING_ORDER if c in rlabels]
    for priority in tree["priorities"]:
        n = priority["number"]
        results = []
        counts: Counter[str] = Counter()
        highlights: list[Text] = []
        all_highlights: list[Text] = []
        obstacles: list[ObstacleItem] = []
        priority_codes: list[str] = []
        result_chart_rows: list[dict[str, Any]] = []
        for result in priority["results"]:
            lines = [line(d) for d in result["deliverables"]]
            results.append(
                ResultPart(code=result["code"], title=result["title"], deliverables=lines)
            )
            annex.extend(lines)
            for ln in lines:
                priority_codes.append(ln.code)
                counts[ln.rating or "none"] += 1
                if ln.rating:
                    result_chart_rows.append(
                        {
                            "group": result["code"],
                            "order": result["code"],
                            "rating": ln.rating,
                            "count": 1,
                        }
                    )
                if ln.wps:
                    wps_lines.append(ln)
                texts, notes = [], []
                for u in by_deliverable.get(ln.code, []):
                    if u.sensitivity not in allowed:
                        continue  # its rating counts; its texts stay out of this edition
                    entity = u.assignment.entity.label
                    if u.achievements.strip():
                        texts.append(Text(ln.code, entity, u.achievements.strip()))
                    if u.wps_note.strip():
                        notes.append(Text(ln.code, entity, u.wps_note.strip()))
                    for o in u.obstacles.all():
                        obstacles.append(
                            ObstacleItem(
                                deliverable=ln.code,
                                entity=entity,
                                category=str(category_labels.get(o.category, o.category)),
                                severity=str(severity_labels.get(o.severity, o.severity)),
                                description=o.description,
                                mitigation=o.mitigation,
                                escalated=o.escalate,
                                severe=o.severity in SEVERE,
                                critical=o.severity == Obstacle.Severity.CRITICAL,
                            )
                        )
                all_highlights.extend(texts)
                highlights.extend(_first(texts))
                all_wps_notes.extend(notes)
                wps_notes.extend(_first(notes))
        totals.update(counts)
        label = f"{n}. {priority['title']}"
        summary_rows.append(
            [
                label,
                *[counts.get(c, 0) for c in rating_codes],
                counts.get("none", 0),
                len(priority_codes),
            ]
        )
        for code in rating_codes:
            if counts.get(code):
                chart_rows.append(
                    {"group": str(n), "order": n, "rating": code, "count": counts[code]}
                )
        good_now = sum(1 for c in priority_codes if current.get(c) in GOOD)
        good_before = sum(1 for c in priority_codes if previous.get(c) in GOOD)
        change_rows.append(
            [
                label,
                good_before if previous_cycle else "—",
                good_now,
                _signed(good_now - good_before) if previous_cycle else "—",
            ]
        )
        trend_rows = []
        trend_table = []
        for c in history_cycles:
            ratings = deliverable_rating.get(c.pk, {})
            rated = [ratings[code] for code in priority_codes if ratings.get(code)]
            if not rated:
                continue
            share = round(100 * sum(1 for r in rated if r in GOOD) / len(rated))
            trend_rows.append(
                {
                    "period": c.code,
                    "period_order": c.period_start.isoformat(),
                    "series": str(n),
                    "share": share,
                }
            )
            trend_table.append([c.code, len(rated), share])
        ratings_table = Table(
            caption=_("Deliverables of priority %(n)s by result and rating") % {"n": n},
            columns=[_("Result"), *[rlabels[c] for c in rating_codes]],
            rows=[
                [r.code, *[sum(1 for d in r.deliverables if d.rating == c) for c in rating_codes]]
                for r in results
            ],
        )
        trend_tbl = Table(
            caption=_("Share of rated deliverables of priority %(n)s on track or completed")
            % {"n": n},
            columns=[_("Cycle"), _("Rated deliverables"), _("On track or completed (%)")],
            rows=trend_table,
        )
        sections.append(
            PrioritySection(
                number=n,
                title=priority["title"],
                results=results,
                counts=counts,
                ratings_chart=Chart(
                    key=f"p{n}-ratings",
                    title=ratings_table.caption,
                    spec=charts.ratings_stacked(
                        result_chart_rows,
                        group_title=_("Result"),
                        count_title=_("Deliverables"),
                        rating_labels=rlabels,
                        title=ratings_table.caption,
                    ),
                    table=ratings_table,
                ),
                trend_chart=Chart(
                    key=f"p{n}-trend",
                    title=trend_tbl.caption,
                    spec=charts.share_trend(
                        trend_rows,
                        period_title=_("Cycle"),
                        share_title=_("On track or completed (%)"),
                        series_title=_("Priority"),
                        title=trend_tbl.caption,
                    ),
                    table=trend_tbl,
                ),
                highlights=highlights,
                all_highlights=all_highlights,
                obstacles=obstacles,
                indicators=indicator_table(
                    [r for r in tracking if r.priority_number == n],
                    _("Indicators of priority %(n)s: target against actual, %(cycle)s")
                    % {"n": n, "cycle": cycle.code},
                ),
            )
        )

    summary_table = Table(
        caption=_("Deliverables by consolidated rating and priority, %(cycle)s")
        % {"cycle": cycle.code},
        columns=[_("Priority"), *[rlabels[c] for c in rating_codes], _("Not reported"), _("Total")],
        rows=summary_rows,
    )
    summary_chart = Chart(
        key="summary",
        title=summary_table.caption,
        spec=charts.ratings_stacked(
            chart_rows,
            group_title=_("Priority"),
            count_title=_("Deliverables"),
            rating_labels=rlabels,
            title=summary_table.caption,
        ),
        table=summary_table,
    )
    changes = Table(
        caption=_("Deliverables on track or completed: %(cycle)s against %(previous)s")
        % {"cycle": cycle.code, "previous": previous_cycle.code if previous_cycle else "—"},
        columns=[
            _("Priority"),
            previous_cycle.code if previous_cycle else _("Previous cycle"),
            cycle.code,
            pgettext("difference", "Change"),
        ],
        rows=change_rows,
    )
    wps_rows = [r for r in tracking if r.indicator.wps]
    registers = _register_sections(cycle, public=edition == PUBLIC)
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
        summary_table=summary_table,
        summary_chart=summary_chart,
        changes=changes,
        totals=dict(totals),
        priorities=sections,
        wps_deliverables=wps_lines,
        wps_notes=wps_notes,
        all_wps_notes=all_wps_notes,
        wps_indicators=indicator_table(
            wps_rows,
            _("Women, peace and security indicators: target against actual, %(cycle)s")
            % {"cycle": cycle.code},
        ),
        registers=registers,
        annex=annex,
        rating_labels=rlabels,
    )


def _register_sections(cycle: Cycle, *, public: bool) -> list[RegisterSection]:
    """A section for each register that has data in the cycle's period; registers provide
    their own aggregates (public editions get aggregates only)."""
    sections = []
    for n, provider in enumerate(register_providers(), start=1):
        data = provider(period_start=cycle.period_start, period_end=cycle.period_end, public=public)
        if not data:
            continue
        tables = [
            Table(caption=t["caption"], columns=list(t["columns"]), rows=list(t["rows"]))
            for t in data.get("tables", [])
        ]
        # The register's first table (a label and a count per row) drawn as bars.
        first = tables[0] if tables else None
        chart = (
            Chart(
                key=f"register-{n}",
                title=first.caption,
                spec=charts.counts_bar(
                    [{"label": str(row[0]), "count": row[1]} for row in first.rows],
                    label_title=first.columns[0],
                    count_title=first.columns[1],
                    title=first.caption,
                ),
                table=first,
            )
            if first and len(first.columns) > 1 and first.rows
            else None
        )
        sections.append(
            RegisterSection(
                title=data["title"],
                summary=data.get("summary", ""),
                facts=list(data.get("facts", [])),
                tables=tables[1:] if chart else tables,
                chart=chart,
            )
        )
    return sections


def register_providers() -> list[Any]:
    """The registers' report sections, in a fixed order; a register that is not installed is
    simply absent."""
    providers = []
    try:
        from registers.report import crimes_report_section
    except ImportError:
        pass
    else:
        providers.append(crimes_report_section)
    return providers


def _first(texts: list[Text]) -> list[Text]:
    kept = texts[:HIGHLIGHTS_PER_DELIVERABLE]
    if kept and len(texts) > len(kept):
        last = kept[-1]
        kept[-1] = Text(last.deliverable, last.entity, last.body, more=len(texts) - len(kept))
    return kept


def _num(value: Decimal | None) -> int | float | str:
    return "—" if value is None else plain_number(value)


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else ("\u00b10" if n == 0 else f"\u2212{-n}")
