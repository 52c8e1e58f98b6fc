"""The indicators app's contributions to the apps below it, made from `AppConfig.ready()`:
the indicators part of plan loading, the names of computed indicators a plan file may use, and
the recalculation of computed values when a cycle closes, and the indicator values of a
progress update."""

from __future__ import annotations

from indicators.computed import COMPUTED
from indicators.planload import indicators_sync
from indicators.services import values_recalculate
from indicators.update_values import PART as VALUES_PART
from plans.planfile import register_computed_keys
from plans.services import register_plan_part
from reporting.hooks import on_cycle_close, register_update_part
from reporting.models import Cycle


def _computed_names() -> list[str]:
    return list(COMPUTED)


def _recalculate_closed(cycle: Cycle) -> None:
    values_recalculate(cycle=cycle)  # the closed cycle's computed values are final


register_plan_part(indicators_sync)
register_computed_keys(_computed_names)
on_cycle_close(_recalculate_closed)
register_update_part(VALUES_PART)
