"""The demo indicator data: loaded twice on the session's A4P+ plan after the demo users and
reporting data (the second load must create nothing), then checked for what it has to show:
values in every demo cycle that follow the model's rules, a tracked indicator for every result,
computed indicators, and the plan revision DPO published after a year, with the cycles bound to
the version in force."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum

from core.models import Entity
from demo.indicators import PERIODS, demo_indicators_ensure
from demo.reporting import DEMO_ENTITIES, FOCAL_USERS
from indicators.aggregation import Status
from indicators.computed import COMPUTED
from indicators.models import Breakdown, Dimension, Indicator, IndicatorValue
from indicators.selectors import reported_cycles, tracking_table
from indicators.services import reporting_entity_ids
from plans import versions
from plans.models import Plan, PlanVersion
from plans.planfile import read_plan_file
from reporting.models import Cycle
from tests.demo.conftest import TODAY

PAST = PERIODS[:-1]
OPEN = PERIODS[-1]
MISSION = Entity.Kind.MISSION


@pytest.fixture
def loaded(demo_loads: dict[str, Any]) -> dict[str, Any]:
    return demo_loads["indicators"]


def _cycles(plan: Plan) -> dict[str, Cycle]:
    return {c.code: c for c in Cycle.objects.filter(plan=plan, code__in=PERIODS)}


def _expected_reporters(indicator: Indicator) -> set[str]:
    """The demo entities that report it, or every entity that does when no demo entity does."""
    codes = set(
        Entity.objects.filter(pk__in=reporting_entity_ids(indicator)).values_list("code", flat=True)
    )
    return (codes & set(DEMO_ENTITIES)) or codes


def _actuals(plan: Plan, code: str) -> list[Decimal | None]:
    indicator = Indicator.objects.get(plan=plan, code=code)
    [row] = tracking_table(plan, cycles=reported_cycles(plan), indicator_id=indicator.pk)
    return [cell.actual for cell in row.cells]


def _snapshot(plan: Plan) -> set[tuple[Any, ...]]:
    values = IndicatorValue.objects.filter(indicator__plan=plan, indicator__computed="")
    rows = set(
        values.values_list(
            "indicator_id",
            "cycle_id",
            "entity_id",
            "value",
            "numerator",
            "denominator",
            "note",
            "entered_by_id",
            "entered_at",
        )
    )
    parts = Breakdown.objects.filter(value__in=values).values_list(
        "value__indicator_id",
        "value__cycle_id",
        "value__entity_id",
        "category_id",
        "amount",
        "numerator",
        "denominator",
    )
    return rows | {("part", *p) for p in parts}


# Loading ---------------------------------------------------------------------------------------


def test_the_second_load_creates_nothing(loaded: dict[str, Any], demo: Plan) -> None:
    first, second = loaded["first"], loaded["second"]
    assert first["values"] > 500 and first["breakdowns"] > first["values"]
    assert first["computed"] > 0 and first["cycles_bound"] == len(PERIODS)
    assert first["version"] == 2
    assert second == {"values": 0, "breakdowns": 0, "computed": 0, "cycles_bound": 0, "version": 2}
    assert loaded["after_second"] == loaded["after_first"]


def test_a_fresh_load_makes_the_same_values(demo: Plan) -> None:
    before = _snapshot(demo)
    with transaction.atomic():
        IndicatorValue.objects.filter(indicator__plan=demo, indicator__computed="").delete()
        again = demo_indicators_ensure(today=TODAY)
        after = _snapshot(demo)
        transaction.set_rollback(True)
    assert again["values"] == len([row for row in before if row[0] != "part"]) > 500
    assert after == before


# Who reports what, when ------------------------------------------------------------------------


def test_every_typed_indicator_is_reported_in_the_demo_cycles(demo: Plan) -> None:
    open_pairs = open_reported = 0
    first_version = {
        i["code"] for i in PlanVersion.objects.get(plan=demo, number=1).tree["indicators"]
    }
    for indicator in Indicator.objects.filter(plan=demo, computed="").select_related("retired_in"):
        expected = _expected_reporters(indicator)
        assert expected, indicator.code
        got: dict[str, set[str]] = defaultdict(set)
        for code, entity in IndicatorValue.objects.filter(indicator=indicator).values_list(
            "cycle__code", "entity__code"
        ):
            got[code].add(entity)
        retired_from = indicator.retired_in.effective_from if indicator.retired_in else None
        # An indicator added by the revision is reported from the day it took effect.
        added_from = None if indicator.code in first_version else dt.date(2023, 1, 1)
        for cycle in _cycles(demo).values():
            if (retired_from and cycle.period_start >= retired_from) or (
                added_from and cycle.period_start < added_from
            ):
                assert not got[cycle.code], (indicator.code, cycle.code)
            elif cycle.code == "2023-H2":
                # MINUSMA was leaving: it reports what it still had to report.
                assert expected - {"minusma"} <= got[cycle.code] <= expected, indicator.code
            elif cycle.code in PAST:
                assert got[cycle.code] == expected, (indicator.code, cycle.code)
            else:
                assert got[cycle.code] <= expected - {"minusma"}, indicator.code
                open_pairs += len(expected - {"minusma"})
                open_reported += len(got[cycle.code])
    # The open cycle is half reported.
    assert 0.3 * open_pairs < open_reported < 0.7 * open_pairs


def test_values_are_entered_by_the_focal_points_of_their_entity(demo: Plan) -> None:
    values = IndicatorValue.objects.filter(indicator__plan=demo, indicator__computed="")
    for entity, username in FOCAL_USERS.items():
        mine = values.filter(entity__code=entity)
        assert mine.exists()
        assert not mine.exclude(entered_by__username=username).exists()
    others = values.exclude(entity__code__in=FOCAL_USERS)
    assert not others.filter(entered_by__isnull=False).exists()
    for value in values.select_related("cycle"):
        assert value.entered_at.date() >= value.cycle.period_end or value.cycle.code == OPEN
        assert value.entered_at.date() <= min(value.cycle.closes_on, TODAY)


def test_every_result_has_an_indicator_tracked_against_targets(demo: Plan) -> None:
    cycles = reported_cycles(demo)
    assert [c.code for c in cycles] == list(PERIODS)
    rows = tracking_table(demo, cycles=cycles)
    for result in demo.results.all():
        own = [
            row
            for row in rows
            if row.indicator.result_id == result.pk
            or (row.indicator.deliverable_id and row.indicator.deliverable.result_id == result.pk)  # type: ignore[union-attr]
        ]
        tracked = [
            row
            for row in own
            if (row.indicator.baseline is not None or any(c.target is not None for c in row.cells))
            and sum(c.actual is not None for c in row.cells) >= 3
        ]
        assert tracked, result.code


# The model's rules -----------------------------------------------------------------------------


def test_every_breakdown_is_complete_and_adds_up_to_its_total(demo: Plan) -> None:
    sums = (
        Breakdown.objects.filter(value__indicator__plan=demo)
        .values("value_id", "category__dimension_id")
        .annotate(n=Count("id"), amount=Sum("amount"), num=Sum("numerator"), den=Sum("denominator"))
    )
    sizes = dict(
        Dimension.objects.filter(plan=demo).annotate(n=Count("categories")).values_list("pk", "n")
    )
    values = IndicatorValue.objects.filter(indicator__plan=demo).select_related("indicator")
    totals = {v.pk: v for v in values}
    assert len(sums) > 250
    for part in sums:
        value = totals[part["value_id"]]
        assert part["n"] == sizes[part["category__dimension_id"]], value
        if value.indicator.unit == Indicator.Unit.PERCENT:
            assert (part["num"], part["den"]) == (value.numerator, value.denominator), value
        else:
            assert part["amount"] == value.value, value


def test_breakdowns_follow_who_reports(demo: Plan) -> None:
    parts = Breakdown.objects.filter(value__indicator__plan=demo)
    by_mission = parts.filter(category__dimension__code="mission")
    assert by_mission.exists()
    # A mission's value broken down by mission would be the mission itself.
    assert not by_mission.filter(value__entity__kind=MISSION).exists()
    assert parts.filter(category__dimension__code="personnel", value__entity__kind=MISSION).exists()
    assert parts.filter(category__dimension__code="sex").exists()
    # Headquarters offices give the breakdown by mission wherever the parts add up.
    hq = (
        IndicatorValue.objects.filter(
            indicator__plan=demo,
            indicator__computed="",
            indicator__dimensions__code="mission",
            indicator__entity_rule=Indicator.EntityRule.SUM,
        )
        .exclude(entity__kind=MISSION)
        .distinct()
    )
    assert hq.count() > 100
    assert not hq.exclude(breakdowns__category__dimension__code="mission").exists()
    # A mean is never broken down into parts that would have to add up to it.
    assert not parts.filter(value__indicator__entity_rule=Indicator.EntityRule.MEAN).exists()


def test_values_respect_their_units(demo: Plan) -> None:
    values = IndicatorValue.objects.filter(indicator__plan=demo).select_related("indicator")
    units = set()
    for value in values:
        indicator = value.indicator
        units.add(indicator.unit)
        if indicator.unit == Indicator.Unit.PERCENT:
            assert value.numerator is not None and value.denominator is not None, value
            assert value.denominator > 0 and 0 <= value.numerator <= value.denominator, value
            assert value.value is not None
            assert abs(value.value - value.numerator * 100 / value.denominator) < Decimal(
                "0.0001"
            ), value
            continue
        assert value.numerator is None and value.denominator is None, value
        assert value.value is not None and value.value >= 0, value
        if indicator.unit == Indicator.Unit.YESNO:
            assert value.value in (0, 1), value
        elif indicator.unit == Indicator.Unit.ORDINAL:
            assert value.value == value.value.to_integral_value(), value
            assert 1 <= value.value <= len(indicator.scale), value
        elif indicator.entity_rule == Indicator.EntityRule.SUM:
            assert value.value == value.value.to_integral_value(), value
    assert units == {"number", "percent", "yesno", "ordinal"}


def test_the_computed_indicators_are_calculated_for_every_cycle(demo: Plan) -> None:
    computed = Indicator.objects.filter(plan=demo).exclude(computed="")
    assert computed.count() == 2
    for indicator in computed:
        for cycle in _cycles(demo).values():
            stored = {
                entity: (num, den)
                for entity, num, den in IndicatorValue.objects.filter(
                    indicator=indicator, cycle=cycle
                ).values_list("entity_id", "numerator", "denominator")
            }
            expected = COMPUTED[indicator.computed](cycle)
            assert stored, (indicator.code, cycle.code)
            assert stored == {e: (n, d) for e, (_v, n, d) in expected.items()}


# The story -------------------------------------------------------------------------------------


def test_the_values_tell_a_plausible_story(demo: Plan) -> None:
    troops = _actuals(demo, "3.1.1-a")  # women in military contingents: rising, behind target
    assert all(t is not None for t in troops[:4])
    assert Decimal("4.7") < troops[0] < troops[3] < 9  # type: ignore[operator]
    police = _actuals(demo, "3.1.1-c")  # women in formed police units: ahead of the 2022 target
    assert police[1] is not None and police[1] > 12
    fatalities = _actuals(demo, "4.1-a")  # lower is better: going down, with noise
    assert fatalities[3] is not None and fatalities[0] is not None
    assert fatalities[3] < fatalities[0]
    casevac = _actuals(demo, "4.3.1-a")
    assert casevac[3] < casevac[0]  # type: ignore[operator]
    policy = _actuals(demo, "4.4.1-a")  # adopted in 2023
    assert policy[:4] == [0, 0, 1, 1]
    steps: dict[int, list[Decimal]] = defaultdict(list)
    for entity, step in (
        IndicatorValue.objects.filter(indicator__plan=demo, indicator__code="3.3-a")
        .order_by("cycle__period_start")
        .values_list("entity_id", "value")
    ):
        assert step is not None
        steps[entity].append(step)
    assert steps and all(s == sorted(s) for s in steps.values())  # the scale is climbed
    assert any(s[-1] > s[0] for s in steps.values())
    statuses = {
        row.cells[3].status
        for row in tracking_table(demo, cycles=reported_cycles(demo))
        if not row.indicator.computed
    }
    assert Status.ACHIEVED in statuses and Status.OFF_TRACK in statuses
    assert Status.AT_RISK in statuses and Status.ON_TRACK in statuses
    assert not IndicatorValue.objects.filter(
        indicator__plan=demo, indicator__computed="", cycle__code=OPEN, entity__code="minusma"
    ).exists()


# The revision ----------------------------------------------------------------------------------


def test_version_2_was_published_with_a_reason_for_every_change(demo: Plan) -> None:
    v1, v2 = PlanVersion.objects.filter(plan=demo).order_by("number")
    assert v2.number == 2 and v2.state == PlanVersion.State.PUBLISHED
    assert v2.effective_from == dt.date(2023, 1, 1)
    assert v2.published_by is not None and v2.published_by.username == "planner"
    assert versions.current_version(demo) == v2
    changes = versions.diff_trees(v1.tree, v2.tree)
    assert 3 <= len(changes) <= 4
    for change in changes:
        assert len(v2.reasons.get(change.key, "").strip()) > 40, change.key
    kinds = {(c.target, c.kind) for c in changes}
    assert {
        ("indicator", "added"),
        ("deliverable", "changed"),
        ("indicator", "changed"),
        ("indicator", "retired"),
    } <= kinds
    [raised] = [c for c in changes if (c.target, c.kind) == ("indicator", "changed")]
    [(old, new)] = [(before, after) for name, before, after in raised.fields if name == "targets"]
    assert old.keys() == new.keys()
    assert all(new[p] >= old[p] for p in old) and any(new[p] > old[p] for p in old)
    [added] = [c.code for c in changes if c.kind == "added"]
    indicator = Indicator.objects.get(plan=demo, code=added, retired_in__isnull=True)
    assert indicator.deliverable is not None and indicator.deliverable.code == "4.1.1"
    assert indicator.targets.exists()
    [reworded] = [c.code for c in changes if (c.target, c.kind) == ("deliverable", "changed")]
    assert (
        demo.deliverables.get(code=reworded).text
        == versions.deliverables_of(v2.tree)[reworded]["text"]
    )


def test_version_1_is_unchanged(demo: Plan) -> None:
    v1 = PlanVersion.objects.get(plan=demo, number=1)
    assert len(versions.deliverables_of(v1.tree)) == 71
    shipped = read_plan_file(settings.A4P_PLAN_FILE, Entity.objects.values_list("code", flat=True))
    assert v1.tree == versions.normalize(shipped.raw)
    v2 = PlanVersion.objects.get(plan=demo, number=2)
    assert len(versions.deliverables_of(v2.tree)) == 71
    assert len(v2.tree["indicators"]) == len(v1.tree["indicators"])  # one added, one retired


def test_cycles_are_bound_to_the_version_in_force(demo: Plan) -> None:
    bound = {
        code: cycle.version.number if cycle.version else None
        for code, cycle in _cycles(demo).items()
    }
    assert bound == {"2022-H1": 1, "2022-H2": 1, "2023-H1": 2, "2023-H2": 2, "2024-H1": 2}


def test_the_retired_indicator_keeps_its_values(demo: Plan) -> None:
    [retired] = Indicator.objects.filter(plan=demo, retired_in__isnull=False)
    assert retired.retired_in is not None and retired.retired_in.number == 2
    reported = set(retired.values.values_list("cycle__code", flat=True))
    assert reported == {"2022-H1", "2022-H2"}
    actuals = _actuals(demo, retired.code)
    assert actuals[0] is not None and actuals[1] is not None and actuals[2:] == [None] * 3
