"""The arithmetic of indicators, in one place, free of the database. Each rule is described in
docs/indicators.md and property-tested in tests/indicators/test_aggregation.py.

Values are Decimal or None. None means missing: it is never read as zero, and a missing value
stays missing through every rule unless the rule says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)


class PeriodRule(StrEnum):
    SUM = "sum"  # a flow: what happened in each period adds up (people trained)
    CUMULATIVE = "cumulative"  # the values reported are already running totals
    LATEST = "latest"  # a stock or a state: the last reported value (share of women)
    MEAN = "mean"  # an average level over the periods that reported


class EntityRule(StrEnum):
    SUM = "sum"  # several entities each report their part (missions' trainees)
    MEAN = "mean"  # each entity reports a level; the plan-wide level is their mean
    MAX = "max"  # a yes/no or threshold reached by any entity


@dataclass(frozen=True)
class Ratio:
    """A percentage kept as its parts, so that it can be added up correctly."""

    numerator: Decimal
    denominator: Decimal

    @property
    def percent(self) -> Decimal | None:
        if self.denominator == 0:
            return None
        return self.numerator * HUNDRED / self.denominator


def present(values: Sequence[Decimal | None]) -> list[Decimal]:
    return [v for v in values if v is not None]


def combine_entities(values: Sequence[Decimal | None], rule: EntityRule) -> Decimal | None:
    """One period, several entities. Missing entities are left out; if none reported, the
    result is missing (not zero)."""
    known = present(values)
    if not known:
        return None
    if rule is EntityRule.SUM:
        return sum(known, Decimal(0))
    if rule is EntityRule.MEAN:
        return sum(known, Decimal(0)) / len(known)
    return max(known)


def combine_ratios(ratios: Sequence[Ratio | None]) -> Ratio | None:
    """Percentages from several entities or periods: the ratio of the sums of numerators and
    denominators, never the average of the percentages."""
    known = [r for r in ratios if r is not None]
    if not known:
        return None
    return Ratio(
        sum((r.numerator for r in known), Decimal(0)),
        sum((r.denominator for r in known), Decimal(0)),
    )


def combine_periods(values: Sequence[Decimal | None], rule: PeriodRule) -> Decimal | None:
    """Values of consecutive periods (oldest first) → the value for the whole span.

    SUM adds the periods that reported; CUMULATIVE and LATEST take the last reported value;
    MEAN averages the periods that reported. All missing → missing.
    """
    known = present(values)
    if not known:
        return None
    if rule is PeriodRule.SUM:
        return sum(known, Decimal(0))
    if rule in (PeriodRule.CUMULATIVE, PeriodRule.LATEST):
        return known[-1]
    return sum(known, Decimal(0)) / len(known)


def to_date(values: Sequence[Decimal | None], rule: PeriodRule) -> list[Decimal | None]:
    """The running value after each period, for charts and tracking tables. A period that did
    not report shows missing, even when earlier periods did."""
    out: list[Decimal | None] = []
    for index, value in enumerate(values):
        out.append(None if value is None else combine_periods(values[: index + 1], rule))
    return out


def span_target(
    period_targets: Sequence[Decimal | None], end_target: Decimal | None, rule: PeriodRule
) -> Decimal | None:
    """The target for the whole plan. An explicit end-of-plan target wins. Otherwise, for a
    flow (SUM) it is the sum of the period targets, and for levels (CUMULATIVE, LATEST, MEAN) the
    last period target — adding up targets of a level would double count."""
    if end_target is not None:
        return end_target
    return combine_periods(
        period_targets, PeriodRule.SUM if rule is PeriodRule.SUM else PeriodRule.LATEST
    )


def achievement(
    actual: Decimal | None, target: Decimal | None, baseline: Decimal | None, increase: bool
) -> Decimal | None:
    """Share of the way from the baseline to the target, in percent (may exceed 100 or be
    negative). Without a baseline the way starts at zero for an increasing indicator; a
    decreasing one then measures target / actual (halving the target level is 100 %).
    Missing actual or target, or a target equal to the baseline → missing."""
    if actual is None or target is None:
        return None
    if baseline is None:
        if increase:
            return None if target == 0 else actual * HUNDRED / target
        if actual == 0:
            return HUNDRED if target >= 0 else None
        return target * HUNDRED / actual
    distance = (target - baseline) if increase else (baseline - target)
    if distance == 0:
        return None
    moved = (actual - baseline) if increase else (baseline - actual)
    return moved * HUNDRED / distance


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"


STATUS_LABELS = {
    Status.ACHIEVED: _("achieved"),
    Status.ON_TRACK: _("on track"),
    Status.AT_RISK: _("at risk"),
    Status.OFF_TRACK: _("off track"),
    Status.NO_DATA: _("no data"),
    Status.NO_TARGET: _("no target"),
}

ON_TRACK_FROM = Decimal(90)
AT_RISK_FROM = Decimal(60)


def status(
    actual: Decimal | None, target: Decimal | None, baseline: Decimal | None, increase: bool
) -> Status:
    """The documented rule: against the target of the same period, achievement ≥ 100 % is
    achieved, ≥ 90 % on track, ≥ 60 % at risk, below that off track."""
    if actual is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    reached = actual >= target if increase else actual <= target
    if reached:
        return Status.ACHIEVED
    share = achievement(actual, target, baseline, increase)
    if share is None:
        return Status.OFF_TRACK
    if share >= ON_TRACK_FROM:
        return Status.ON_TRACK
    if share >= AT_RISK_FROM:
        return Status.AT_RISK
    return Status.OFF_TRACK
