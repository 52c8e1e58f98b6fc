"""Entering values: units, disaggregations that must add up, who may enter, computed values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from core.models import Entity
from indicators.models import Dimension, IndicatorValue
from indicators.services import IndicatorError, ValueInput, value_save, values_recalculate
from plans.models import Plan
from reporting import services as reporting
from reporting.models import Cycle, ProgressUpdate
from tests.indicators.conftest import make_indicator

D = Decimal


@pytest.fixture
def minusca(db: None) -> Entity:
    return Entity.objects.get(code="minusca")


def breakdown(
    sex: Dimension, women: tuple[D | None, ...], men: tuple[D | None, ...]
) -> dict[int, tuple[D | None, D | None, D | None]]:
    female, male = sex.categories.order_by("position")
    return {female.pk: women, male.pk: men}  # type: ignore[dict-item]


def test_a_number_with_a_breakdown_that_adds_up(
    workplans: Plan, cycle: Cycle, focal: User, minusca: Entity, sex: Dimension
) -> None:
    indicator = make_indicator(workplans, "T-1")
    indicator.dimensions.add(sex)
    stored = value_save(
        indicator=indicator,
        cycle=cycle,
        entity=minusca,
        actor=focal,
        data=ValueInput(
            value=D(40), breakdowns=breakdown(sex, (D(14), None, None), (D(26), None, None))
        ),
    )
    assert stored.value == 40
    assert sorted(b.amount or 0 for b in stored.breakdowns.all()) == [14, 26]


@pytest.mark.parametrize(
    ("women", "men", "message"),
    [
        (D(10), D(26), "the categories add up to 36, but the total is 40"),
        (D(14), None, "give every category or none; missing Men"),
    ],
)
def test_a_breakdown_that_does_not_add_up_is_refused(
    workplans: Plan,
    cycle: Cycle,
    focal: User,
    minusca: Entity,
    sex: Dimension,
    women: D,
    men: D | None,
    message: str,
) -> None:
    indicator = make_indicator(workplans, "T-2")
    indicator.dimensions.add(sex)
    with pytest.raises(ValidationError) as refused:
        value_save(
            indicator=indicator,
            cycle=cycle,
            entity=minusca,
            actor=focal,
            data=ValueInput(
                value=D(40), breakdowns=breakdown(sex, (women, None, None), (men, None, None))
            ),
        )
    assert message in str(refused.value)
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()


def test_a_percentage_is_entered_as_its_parts(
    workplans: Plan, cycle: Cycle, focal: User, minusca: Entity, sex: Dimension
) -> None:
    indicator = make_indicator(workplans, "T-3", unit="percent", period_rule="latest")
    with pytest.raises(ValidationError, match="numerator and denominator"):
        value_save(
            indicator=indicator,
            cycle=cycle,
            entity=minusca,
            actor=focal,
            data=ValueInput(value=D(50)),
        )
    with pytest.raises(ValidationError, match="between zero and the denominator"):
        value_save(
            indicator=indicator,
            cycle=cycle,
            entity=minusca,
            actor=focal,
            data=ValueInput(numerator=D(5), denominator=D(4)),
        )
    stored = value_save(
        indicator=indicator,
        cycle=cycle,
        entity=minusca,
        actor=focal,
        data=ValueInput(numerator=D(3), denominator=D(12)),
    )
    assert stored.value == 25


@pytest.mark.parametrize(
    ("unit", "scale", "bad", "good"),
    [
        ("yesno", None, D(2), D(1)),
        ("ordinal", ["none", "basic", "advanced"], D(4), D(3)),
        ("number", None, D(-1), D(0)),
    ],
)
def test_units_are_checked(
    workplans: Plan,
    cycle: Cycle,
    focal: User,
    minusca: Entity,
    unit: str,
    scale: list[str] | None,
    bad: D,
    good: D,
) -> None:
    indicator = make_indicator(workplans, f"T-{unit}", unit=unit, scale=scale)
    with pytest.raises(ValidationError):
        value_save(
            indicator=indicator,
            cycle=cycle,
            entity=minusca,
            actor=focal,
            data=ValueInput(value=bad),
        )
    assert (
        value_save(
            indicator=indicator,
            cycle=cycle,
            entity=minusca,
            actor=focal,
            data=ValueInput(value=good),
        ).value
        == good
    )


def test_only_reporting_entities_their_focal_points_and_open_cycles(
    workplans: Plan,
    cycle: Cycle,
    focal: User,
    other_focal: User,
    minusca: Entity,
    planner: User,
) -> None:
    indicator = make_indicator(workplans, "T-4")
    with pytest.raises(IndicatorError):
        value_save(
            indicator=indicator,
            cycle=cycle,
            entity=minusca,
            actor=other_focal,
            data=ValueInput(value=D(1)),
        )
    oma = Entity.objects.get(code="dpo-oma")  # OMA has no part in 1.2.1
    with pytest.raises(IndicatorError, match="does not report"):
        value_save(
            indicator=indicator, cycle=cycle, entity=oma, actor=planner, data=ValueInput(value=D(1))
        )
    reporting.cycle_step(cycle=cycle, step="close", actor=planner)
    cycle.refresh_from_db()
    with pytest.raises(IndicatorError):
        value_save(
            indicator=indicator,
            cycle=cycle,
            entity=minusca,
            actor=focal,
            data=ValueInput(value=D(1)),
        )
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()


def test_computed_indicators_are_recalculated_not_typed(
    workplans: Plan, cycle: Cycle, focal: User, reviewer: User, minusca: Entity
) -> None:
    indicator = make_indicator(
        workplans, "T-5", unit="percent", period_rule="latest", computed="deliverables_on_track"
    )
    with pytest.raises(IndicatorError):
        value_save(
            indicator=indicator,
            cycle=cycle,
            entity=minusca,
            actor=focal,
            data=ValueInput(numerator=D(1), denominator=D(2)),
        )
    updates = list(ProgressUpdate.objects.filter(cycle=cycle, assignment__entity=minusca)[:4])
    for update, rating in zip(
        updates, ["on_track", "completed", "delayed", "off_track"], strict=True
    ):
        reporting.update_save(
            update=update, actor=focal, expected_version=update.version, values={"rating": rating}
        )
    values_recalculate(cycle=cycle)
    stored = IndicatorValue.objects.get(indicator=indicator, cycle=cycle, entity=minusca)
    assert (stored.numerator, stored.denominator, stored.value) == (2, 4, 50)
    reporting.update_save(
        update=updates[2],
        actor=focal,
        expected_version=updates[2].version,
        values={"rating": "completed"},
    )
    values_recalculate(cycle=cycle)
    stored.refresh_from_db()
    assert stored.value == 75
    assert IndicatorValue.objects.filter(indicator=indicator, cycle=cycle).count() == 1


def test_values_are_entered_in_the_progress_update(
    workplans: Plan, minusca_update: ProgressUpdate, focal: User, sex: Dimension, client: Any
) -> None:
    """The update form carries the deliverable's indicators; a refused value saves nothing."""
    from django.urls import reverse

    indicator = make_indicator(workplans, "T-inline", deliverable="1.1.2")
    indicator.dimensions.add(sex)
    female, male = sex.categories.order_by("position")
    client.force_login(focal)
    url = reverse("update-edit", args=[minusca_update.pk])
    page = client.get(url)
    forms = page.context["value_forms"]
    assert "T-inline" in [i.code for i, _f in forms]
    prefix = f"ind{indicator.pk}"
    # Every value form carries its entity, as the page's hidden fields do; the others stay empty.
    hidden = {f"ind{i.pk}-entity": minusca_update.assignment.entity_id for i, _f in forms}
    data = {
        "version": minusca_update.version,
        "rating": "on_track",
        "narrative": "Forums held.",
        "achievements": "",
        "next_steps": "",
        "wps_note": "",
        "sensitivity": "internal",
        "obstacles-TOTAL_FORMS": "0",
        "obstacles-INITIAL_FORMS": "0",
        "obstacles-MIN_NUM_FORMS": "0",
        "obstacles-MAX_NUM_FORMS": "1000",
        **hidden,
        f"{prefix}-value": "40",
        f"{prefix}-cat_{female.pk}": "10",
        f"{prefix}-cat_{male.pk}": "26",
        f"{prefix}-note": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "the categories add up to 36, but the total is 40" in response.content.decode()
    minusca_update.refresh_from_db()
    assert minusca_update.narrative == ""  # rolled back with the refused value
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()
    data[f"{prefix}-cat_{female.pk}"] = "14"
    assert client.post(url, data).status_code == 302
    stored = IndicatorValue.objects.get(indicator=indicator)
    assert stored.value == 40
    assert stored.breakdowns.count() == 2
    minusca_update.refresh_from_db()
    assert minusca_update.narrative == "Forums held."
