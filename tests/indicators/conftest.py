"""Indicators made in the tests themselves, on the A4P+ plan loaded for the session."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.models import Category, Dimension, Indicator, Target
from plans.models import Plan
from tests.reporting.conftest import (  # noqa: F401  (fixtures shared with reporting)
    cycle,
    focal,
    minusca_update,
    other_focal,
    planner,
    reviewer,
    workplans,
)


@pytest.fixture
def sex(plan: Plan) -> Dimension:
    dimension, _ = Dimension.objects.get_or_create(
        plan=plan, code="sex-test", defaults={"name": "Sex"}
    )
    Category.objects.get_or_create(
        dimension=dimension, code="female", defaults={"name": "Women", "position": 0}
    )
    Category.objects.get_or_create(
        dimension=dimension, code="male", defaults={"name": "Men", "position": 1}
    )
    return dimension


def make_indicator(
    plan: Plan,
    code: str,
    *,
    deliverable: str = "1.2.1",
    unit: str = "number",
    period_rule: str = "sum",
    entity_rule: str = "sum",
    direction: str = "increase",
    baseline: str | None = None,
    targets: dict[str, str] | None = None,
    scale: list[str] | None = None,
    computed: str = "",
) -> Indicator:
    indicator = Indicator.objects.create(
        plan=plan,
        code=code,
        name=f"Test indicator {code}",
        unit=unit,
        deliverable=plan.deliverables.get(code=deliverable),
        period_rule=period_rule,
        entity_rule=entity_rule,
        direction=direction,
        baseline=Decimal(baseline) if baseline else None,
        scale=scale or [],
        computed=computed,
        position=900,
    )
    for period, value in (targets or {}).items():
        Target.objects.create(indicator=indicator, period=period, value=Decimal(value))
    return indicator
