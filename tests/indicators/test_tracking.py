"""The tracking table: numbers checked by hand, query count, pages and the XLSX export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from core.models import Entity
from indicators.aggregation import Status
from indicators.models import Indicator, IndicatorValue
from indicators.selectors import reported_cycles, tracking_table
from plans.models import Plan
from reporting.models import Cycle
from tests.indicators.conftest import make_indicator

D = Decimal


def add_cycles(plan: Plan, codes: list[str]) -> list[Cycle]:
    cycles = []
    for n, code in enumerate(codes):
        start = dt.date(2022 + n // 2, 1 if n % 2 == 0 else 7, 1)
        cycles.append(
            Cycle.objects.create(
                plan=plan,
                code=code,
                period_start=start,
                period_end=start + dt.timedelta(days=180),
                opens_on=start,
                due_on=start + dt.timedelta(days=200),
                closes_on=start + dt.timedelta(days=220),
                state=Cycle.State.CLOSED,
            )
        )
    return cycles


def put(
    indicator: Indicator,
    cycle: Cycle,
    entity: str,
    value: str | None = None,
    numerator: str | None = None,
    denominator: str | None = None,
) -> None:
    IndicatorValue.objects.create(
        indicator=indicator,
        cycle=cycle,
        entity=Entity.objects.get(code=entity),
        value=D(value)
        if value
        else (
            D(numerator) * 100 / D(denominator)  # type: ignore[arg-type]
            if numerator
            else None
        ),
        numerator=D(numerator) if numerator else None,
        denominator=D(denominator) if denominator else None,
    )


@pytest.fixture
def cycles(plan: Plan) -> list[Cycle]:
    return add_cycles(plan, ["2022-H1", "2022-H2", "2023-H1"])


def test_a_flow_summed_over_entities_and_judged_per_period(plan: Plan, cycles: list[Cycle]) -> None:
    trained = make_indicator(
        plan, "T-flow", targets={"2022-H1": "100", "2022-H2": "100", "2023-H1": "100"}
    )
    put(trained, cycles[0], "minusca", "60")
    put(trained, cycles[0], "monusco", "50")
    put(trained, cycles[2], "minusca", "70")
    [row] = tracking_table(plan, cycles=cycles, indicator_id=trained.pk)
    assert [c.actual for c in row.cells] == [110, None, 70]
    assert [c.to_date for c in row.cells] == [110, None, 180]
    assert [c.status for c in row.cells] == [Status.ACHIEVED, Status.NO_DATA, Status.AT_RISK]
    assert row.span_target == 300  # no end target: a flow's targets add up
    assert [c.entities for c in row.cells] == [2, 0, 1]


def test_a_share_is_a_ratio_of_sums_and_a_level_is_judged_by_its_latest_value(
    plan: Plan, cycles: list[Cycle]
) -> None:
    women = make_indicator(
        plan,
        "T-share",
        unit="percent",
        period_rule="latest",
        baseline="5",
        targets={"2022-H1": "8", "2022-H2": "9", "2023-H1": "10"},
    )
    put(women, cycles[0], "minusca", numerator="1", denominator="2")
    put(women, cycles[0], "monusco", numerator="10", denominator="1000")
    put(women, cycles[1], "minusca", numerator="95", denominator="1000")
    [row] = tracking_table(plan, cycles=cycles, indicator_id=women.pk)
    first, second, third = row.cells
    assert first.actual is not None
    assert round(first.actual, 3) == D("1.098")  # 11 of 1,002
    assert first.status is Status.OFF_TRACK
    assert second.actual == D("9.5")
    assert second.status is Status.ACHIEVED
    assert third.actual is None and third.status is Status.NO_DATA
    assert row.span_target == 10  # a level: the last period target, never their sum


def test_a_decreasing_indicator(plan: Plan, cycles: list[Cycle]) -> None:
    deaths = make_indicator(
        plan,
        "T-down",
        direction="decrease",
        baseline="30",
        targets={"2022-H1": "25", "2022-H2": "20"},
    )
    put(deaths, cycles[0], "minusca", "24")
    put(deaths, cycles[1], "minusca", "22")
    [row] = tracking_table(plan, cycles=cycles, indicator_id=deaths.pk)
    assert [c.status for c in row.cells][:2] == [Status.ACHIEVED, Status.AT_RISK]
    assert row.cells[1].achievement == 80


def test_one_entitys_view(plan: Plan, cycles: list[Cycle]) -> None:
    trained = make_indicator(plan, "T-entity")
    put(trained, cycles[0], "minusca", "60")
    put(trained, cycles[0], "monusco", "50")
    from plans.services import assignments_generate

    assignments_generate(plan=plan)
    minusca = Entity.objects.get(code="minusca")
    rows = tracking_table(plan, cycles=cycles, entity_id=minusca.pk)
    row = next(r for r in rows if r.indicator.pk == trained.pk)
    assert row.cells[0].actual == 60
    oma = Entity.objects.get(code="dpo-oma")  # no part in 1.2.1
    assert trained.pk not in [
        r.indicator.pk for r in tracking_table(plan, cycles=cycles, entity_id=oma.pk)
    ]


def test_the_tracking_table_query_count_does_not_grow(plan: Plan, cycles: list[Cycle]) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            tracking_table(plan, cycles=cycles)
        return len(queries)

    for n in range(2):
        make_indicator(plan, f"T-first{n}", targets={"2022-H1": "1"})
    few = count()
    assert few > 0
    for n in range(30):
        indicator = make_indicator(plan, f"T-q{n}", targets={"2022-H1": "1"})
        put(indicator, cycles[0], "minusca", "1")
        put(indicator, cycles[1], "monusco", "2")
    assert count() == few


def test_the_pages_and_the_export(
    plan: Plan, cycles: list[Cycle], client: Client, planner: User
) -> None:
    women = make_indicator(
        plan, "T-page", unit="percent", period_rule="latest", targets={"2022-H1": "8"}
    )
    put(women, cycles[0], "minusca", numerator="1", denominator="8")
    client.force_login(planner)
    url = reverse("indicator-tracking", args=[plan.code])
    page = client.get(url)
    assert page.status_code == 200
    assert "12.5 %" in page.content.decode()
    export = client.get(url, {"format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
    assert rows["T-page"][8] == 12.5  # 2022-H1 actual
    detail = client.get(reverse("indicator-detail", args=[plan.code, "T-page"]))
    assert detail.status_code == 200
    assert client.get(reverse("indicator-detail", args=[plan.code, "nope"])).status_code == 404
    assert reported_cycles(plan) == cycles


def test_indicator_pages_need_a_log_in(plan: Plan, client: Client) -> None:
    response = client.get(reverse("indicator-tracking", args=[plan.code]))
    assert response.status_code == 302


def test_entering_a_value_through_the_page(
    workplans: Plan, cycle: Cycle, focal: User, client: Client
) -> None:
    indicator = make_indicator(workplans, "T-form", unit="percent", period_rule="latest")
    client.force_login(focal)
    url = reverse("indicator-detail", args=[workplans.code, indicator.code])
    minusca = Entity.objects.get(code="minusca")
    response = client.post(url, {"entity": minusca.pk, "numerator": "3", "denominator": "2"})
    assert response.status_code == 200
    assert "between zero and the denominator" in response.content.decode()
    response = client.post(url, {"entity": minusca.pk, "numerator": "3", "denominator": "12"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=indicator).value == 25
