"""The aggregation rules of docs/indicators.md, checked on generated data."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from indicators import aggregation as agg

amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
maybe = st.one_of(st.none(), amounts)
series = st.lists(maybe, min_size=1, max_size=12)


@given(series)
def test_sum_adds_only_what_was_reported(values: list[Decimal | None]) -> None:
    known = [v for v in values if v is not None]
    result = agg.combine_periods(values, agg.PeriodRule.SUM)
    assert result == (sum(known, Decimal(0)) if known else None)


@given(series)
def test_missing_is_never_zero(values: list[Decimal | None]) -> None:
    for rule in agg.PeriodRule:
        if all(v is None for v in values):
            assert agg.combine_periods(values, rule) is None
    for entity_rule in agg.EntityRule:
        if all(v is None for v in values):
            assert agg.combine_entities(values, entity_rule) is None


@given(series)
def test_latest_and_cumulative_take_the_last_reported_value(values: list[Decimal | None]) -> None:
    known = [v for v in values if v is not None]
    for rule in (agg.PeriodRule.LATEST, agg.PeriodRule.CUMULATIVE):
        assert agg.combine_periods(values, rule) == (known[-1] if known else None)


@given(series)
def test_mean_is_over_reporting_periods(values: list[Decimal | None]) -> None:
    known = [v for v in values if v is not None]
    result = agg.combine_periods(values, agg.PeriodRule.MEAN)
    if not known:
        assert result is None
    else:
        assert result is not None
        assert min(known) <= result <= max(known)


@given(series)
def test_to_date_of_a_flow_is_a_running_total(values: list[Decimal | None]) -> None:
    running = agg.to_date(values, agg.PeriodRule.SUM)
    total = Decimal(0)
    for value, shown in zip(values, running, strict=True):
        if value is None:
            assert shown is None
        else:
            total += value
            assert shown == total


parts = st.lists(
    st.tuples(st.integers(0, 5000), st.integers(1, 5000)).filter(lambda t: t[0] <= t[1]),
    min_size=1,
    max_size=10,
)


@given(parts)
def test_percentages_combine_as_ratio_of_sums(items: list[tuple[int, int]]) -> None:
    ratios = [agg.Ratio(Decimal(n), Decimal(d)) for n, d in items]
    combined = agg.combine_ratios(ratios)
    assert combined is not None
    expected = Decimal(sum(n for n, _ in items)) * 100 / Decimal(sum(d for _, d in items))
    assert combined.percent == expected
    lowest = min(r.percent for r in ratios if r.percent is not None)
    highest = max(r.percent for r in ratios if r.percent is not None)
    assert combined.percent is not None and lowest <= combined.percent <= highest


def test_ratio_of_sums_is_not_the_mean_of_percentages() -> None:
    """One mission with 1 woman of 2 (50 %) and one with 10 of 1,000 (1 %): 1.1 %, not 25.5 %."""
    combined = agg.combine_ratios(
        [agg.Ratio(Decimal(1), Decimal(2)), agg.Ratio(Decimal(10), Decimal(1000))]
    )
    assert combined is not None
    assert round(combined.percent, 2) == Decimal("1.10")  # type: ignore[arg-type]


@given(amounts, amounts, amounts)
def test_achievement_of_increasing_and_decreasing_indicators_mirror(
    baseline: Decimal, target: Decimal, actual: Decimal
) -> None:
    assume(target != baseline)
    up = agg.achievement(actual, target, baseline, increase=True)
    down = agg.achievement(-actual, -target, -baseline, increase=False)
    assert up == down
    assert agg.achievement(target, target, baseline, increase=target > baseline) == 100
    assert agg.achievement(baseline, target, baseline, increase=target > baseline) == 0


def test_decreasing_indicator_reaching_its_target_is_achieved() -> None:
    # Fatalities from malicious acts: baseline 30, target 20, actual 18.
    assert agg.status(Decimal(18), Decimal(20), Decimal(30), increase=False) is agg.Status.ACHIEVED
    assert agg.achievement(Decimal(25), Decimal(20), Decimal(30), increase=False) == 50
    assert agg.status(Decimal(25), Decimal(20), Decimal(30), increase=False) is agg.Status.OFF_TRACK
    assert agg.status(Decimal(21), Decimal(20), Decimal(30), increase=False) is agg.Status.ON_TRACK


def test_status_without_value_or_target() -> None:
    assert agg.status(None, Decimal(5), None, increase=True) is agg.Status.NO_DATA
    assert agg.status(Decimal(5), None, None, increase=True) is agg.Status.NO_TARGET


@given(st.lists(maybe, min_size=1, max_size=8), st.one_of(st.none(), amounts))
def test_end_target_wins_over_period_targets(
    targets: list[Decimal | None], end: Decimal | None
) -> None:
    for rule in agg.PeriodRule:
        result = agg.span_target(targets, end, rule)
        if end is not None:
            assert result == end
        elif rule is agg.PeriodRule.SUM:
            known = [t for t in targets if t is not None]
            assert result == (sum(known, Decimal(0)) if known else None)
        else:
            known = [t for t in targets if t is not None]
            assert result == (known[-1] if known else None)


@given(st.lists(maybe, min_size=1, max_size=6))
def test_several_entities(values: list[Decimal | None]) -> None:
    known = [v for v in values if v is not None]
    total = agg.combine_entities(values, agg.EntityRule.SUM)
    mean = agg.combine_entities(values, agg.EntityRule.MEAN)
    top = agg.combine_entities(values, agg.EntityRule.MAX)
    if known:
        assert total == sum(known, Decimal(0))
        assert mean is not None and total is not None
        assert abs(mean * len(known) - total) < Decimal("1e-15")
        assert top == max(known)
    else:
        assert total is mean is top is None
