"""The demo, built once for every test of this package: the demo users, the reporting data and the
indicator data, each loaded twice (the second load must change nothing), on the session's A4P+
plan. The build runs in one transaction that is rolled back when the package is done, so the rest
of the suite never sees it; each test runs in a savepoint inside it, so a test that changes the
demo leaves the next one a fresh copy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction

from core.models import AuditEntry
from demo.indicators import demo_indicators_ensure
from demo.reporting import demo_reporting_ensure
from demo.users import demo_users_ensure
from indicators.models import Breakdown, IndicatorValue
from plans.models import Assignment, Deliverable, Milestone, Plan, PlanVersion
from reporting.models import Cycle, Evidence, Notification, Obstacle, ProgressUpdate, Transition

TODAY = dt.date(2024, 6, 20)


def reporting_rows() -> dict[str, int]:
    return {
        "cycles": Cycle.objects.count(),
        "updates": ProgressUpdate.objects.count(),
        "transitions": Transition.objects.count(),
        "obstacles": Obstacle.objects.count(),
        "evidence": Evidence.objects.count(),
        "notifications": Notification.objects.count(),
        "milestones": Milestone.objects.count(),
        "assignments": Assignment.objects.count(),
        "focal_points": Assignment.focal_points.through._default_manager.count(),
        "audit": AuditEntry.objects.count(),
    }


def indicator_rows() -> dict[str, Any]:
    return {
        "values": IndicatorValue.objects.count(),
        "breakdowns": Breakdown.objects.count(),
        "versions": list(PlanVersion.objects.order_by("pk").values_list("number", "state")),
        "deliverables": Deliverable.objects.count(),
        "assignments": Assignment.objects.count(),
        "bindings": list(Cycle.objects.order_by("code").values_list("code", "version__number")),
        "audit": AuditEntry.objects.count(),
    }


def _twice(
    load: Callable[..., dict[str, int]], rows: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """What the first and the second load returned, and the rows counted after each."""
    first = load(today=TODAY)
    after_first = rows()
    second = load(today=TODAY)
    return {"first": first, "second": second, "after_first": after_first, "after_second": rows()}


@pytest.fixture(scope="package")
def demo_loads(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        demo_users_ensure()
        yield {
            "reporting": _twice(demo_reporting_ensure, reporting_rows),
            "indicators": _twice(demo_indicators_ensure, indicator_rows),
        }
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loads: dict[str, Any], plan: Plan) -> Plan:
    return plan
