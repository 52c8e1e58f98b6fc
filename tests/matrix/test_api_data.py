"""The permission matrix of the data resources of `/api/v1/`: indicator values, the tracking
table, published reports and their files, the plan as IATI XML, the crimes register's
aggregates as HXL. The matrix signs in on the session, which the API takes; anonymous gets 401."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Q

from core.models import Entity
from indicators.models import Indicator, IndicatorValue
from tests.matrix.table import Probe, Table, matrix_test, no_args
from tests.matrix.world import World

# Columns: anonymous outsider planning_unit focal_point reviewer senior_leadership
# member_state_delegate register_officer administrator
SIGNED_IN = "401 200 200 200 200 200 200 200 200"
INTERNAL = "401 404 200 200 200 200 404 200 200"  # UN staff only, as the internal pages
STATISTICS = "401 404 200 200 404 200 200 200 200"  # as the register's statistics page
MISSING = "401 404 404 404 404 404 404 404 404"

VALUES: dict[str, IndicatorValue] = {}


@pytest.fixture(scope="module")
def world(world: World, django_db_blocker: Any) -> World:
    """The matrix's world with one reported indicator value."""
    with django_db_blocker.unblock():
        indicator = Indicator.objects.filter(
            Q(plan=world.plan), ~Q(unit=Indicator.Unit.PERCENT)
        ).first()
        assert indicator is not None
        VALUES["value"] = IndicatorValue.objects.create(
            indicator=indicator,
            cycle=world.cycle,
            entity=Entity.objects.get(code="minusca"),
            value=3,
        )
    return world


def _value(world: World) -> dict[str, object]:
    return {"pk": VALUES["value"].pk}


def _code(world: World) -> dict[str, object]:
    return {"code": world.code}


MATRIX: Table = {
    "api:indicator-value-list": [Probe("list", args=no_args, get=SIGNED_IN)],
    "api:indicator-value-detail": [
        Probe("value", args=_value, get=INTERNAL),
        Probe("missing", args=lambda w: {"pk": 987654321}, get=MISSING),
    ],
    "api:plan-tracking": [
        Probe("plan", args=_code, get=INTERNAL),
        Probe("unknown plan", args=lambda w: {"code": "atlantis"}, get=MISSING),
    ],
    "api:plan-iati": [
        Probe("plan", args=_code, get=SIGNED_IN),
        Probe("unknown plan", args=lambda w: {"code": "atlantis"}, get=MISSING),
    ],
    "api:publication-list": [Probe("list", args=no_args, get=SIGNED_IN)],
    "api:publication-detail": [
        Probe("public", args=lambda w: {"pk": w.public_file.publication_id}, get=SIGNED_IN),
        Probe("internal", args=lambda w: {"pk": w.internal_file.publication_id}, get=INTERNAL),
    ],
    "api:published-file-list": [Probe("list", args=no_args, get=SIGNED_IN)],
    "api:published-file-detail": [
        Probe("public", args=lambda w: {"pk": w.public_file.pk}, get=SIGNED_IN),
        Probe("internal", args=lambda w: {"pk": w.internal_file.pk}, get=INTERNAL),
    ],
    "api:crime-statistics": [Probe("table", args=no_args, get=STATISTICS)],
}

test_matrix = matrix_test(MATRIX)
