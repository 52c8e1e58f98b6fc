"""What the report is drawn from, read once per build: the cycle's validated updates, the
consolidated ratings of every cycle so far, the entities' labels and the indicator tracking."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from core import charts
from core.models import Entity
from indicators import selectors as indicator_selectors
from indicators.selectors import Row
from reporting.models import Cycle, Obstacle, ProgressUpdate, Sensitivity
from reports.content.document import EDITIONS, PUBLIC, ReportError, rating_labels

# (cycle id, deliverable code, role, rating) of a validated update
HistoryRow = tuple[int, str, str, str]


@dataclass
class Sources:
    cycle: Cycle
    allowed: list[str]  # the sensitivities whose texts the edition shows
    history_cycles: list[Cycle]  # every cycle so far, oldest first, the reported one last
    ratings_by_cycle: dict[int, dict[str, str]]  # cycle id → deliverable code → rating
    updates: dict[str, list[ProgressUpdate]]  # deliverable code → the cycle's updates
    entity_labels: dict[str, str]
    rating_labels: dict[str, str]
    role_labels: dict[str, str]
    tracking: list[Row]
    in_version: set[str]  # codes of the indicators in the cycle's plan version

    @property
    def current(self) -> dict[str, str]:
        return self.ratings_by_cycle.get(self.cycle.pk, {})

    @property
    def previous_cycle(self) -> Cycle | None:
        return self.history_cycles[-2] if len(self.history_cycles) > 1 else None

    @property
    def previous(self) -> dict[str, str]:
        previous_cycle = self.previous_cycle
        return self.ratings_by_cycle.get(previous_cycle.pk, {}) if previous_cycle else {}

    @property
    def rating_codes(self) -> list[str]:
        return [c for c in charts.RATING_ORDER if c in self.rating_labels]


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


def edition_confidential(edition: str, *, confidential: bool) -> bool:
    """Whether the edition shows confidential texts; a public edition never does. Raises
    ReportError for an unknown edition."""
    if edition not in EDITIONS:
        raise ReportError(
            _("Unknown edition “%(edition)s”: use public or internal.") % {"edition": edition}
        )
    return confidential and edition != PUBLIC


def bound_tree(cycle: Cycle) -> dict[str, Any]:
    """The plan as worded in the version the cycle is bound to."""
    tree = cycle.version.tree if cycle.version else None
    if not tree:
        raise ReportError(
            _("Cycle %(code)s is bound to no plan version; bind it before reporting.")
            % {"code": cycle.code}
        )
    return tree


def gather(cycle: Cycle, tree: dict[str, Any], *, edition: str, confidential: bool) -> Sources:
    """Everything the sections need. Raises ReportError when the cycle has no validated update
    the edition may show."""
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
    ratings_by_cycle = _ratings_by_cycle(cycle, validated, history_cycles)
    return Sources(
        cycle=cycle,
        allowed=allowed_sensitivities(edition, confidential=confidential),
        history_cycles=history_cycles,
        ratings_by_cycle=ratings_by_cycle,
        updates=_updates_by_deliverable(validated.filter(cycle=cycle)),
        entity_labels=_entity_labels(tree),
        rating_labels=rating_labels(),
        role_labels={"lead": _("lead"), "support": _("supporting"), "oversight": _("oversight")},
        tracking=indicator_selectors.tracking_table(cycle.plan, cycles=history_cycles),
        in_version={i["code"] for i in tree.get("indicators", [])},
    )


def _ratings_by_cycle(
    cycle: Cycle, validated: QuerySet[ProgressUpdate], history_cycles: list[Cycle]
) -> dict[int, dict[str, str]]:
    # One query for the ratings of every cycle so far: the trends and the comparison.
    history: list[HistoryRow] = list(
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
    return {
        cid: {code: consolidated(pairs) for code, pairs in by_code.items()}
        for cid, by_code in per_cycle.items()
    }


def _updates_by_deliverable(updates: QuerySet[ProgressUpdate]) -> dict[str, list[ProgressUpdate]]:
    ordered = (
        updates.select_related("assignment__entity", "assignment__deliverable")
        .prefetch_related(
            Prefetch("obstacles", queryset=Obstacle.objects.order_by("-escalate", "pk"))
        )
        .order_by("assignment__deliverable__code", "assignment__role", "assignment__entity__code")
    )
    by_deliverable: dict[str, list[ProgressUpdate]] = defaultdict(list)
    for update in ordered:
        by_deliverable[update.assignment.deliverable.code].append(update)
    return by_deliverable


def _entity_labels(tree: dict[str, Any]) -> dict[str, str]:
    """The labels of the entities the plan version names, lead or supporting."""
    codes: set[str] = set()
    for priority in tree["priorities"]:
        for result in priority["results"]:
            for d in result["deliverables"]:
                codes.update(x["entity"] for x in d.get("lead_entities", []))
                codes.update(x["entity"] for x in d.get("supporting_entities", []))
    return {e.code: e.label for e in Entity.objects.filter(code__in=codes)}
