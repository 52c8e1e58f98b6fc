"""`/api/v1/indicator-values/` (with breakdowns, filters, HXL CSV) and the tracking table as
JSON: who sees what, the numbers, bad filters, and query counts that do not grow with the rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Role, User
from core.models import Entity
from indicators.models import Breakdown, Category, Dimension, Indicator, IndicatorValue
from plans.models import Plan
from plans.services import assignments_generate
from reporting.models import Cycle
from tests.indicators.conftest import make_indicator

ClientFor = Callable[..., APIClient]
D = Decimal
ENTITIES = ["minusca", "monusco", "minusma", "unmiss", "unifil", "unmik"]


def make_cycle(plan: Plan, code: str, start: dt.date) -> Cycle:
    return Cycle.objects.create(
        plan=plan,
        code=code,
        period_start=start,
        period_end=start + dt.timedelta(days=180),
        opens_on=start,
        due_on=start + dt.timedelta(days=200),
        closes_on=start + dt.timedelta(days=220),
        state=Cycle.State.CLOSED,
        version=plan.versions.order_by("number").first(),
    )


def put(indicator: Indicator, cycle: Cycle, entity: str, value: str) -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=indicator, cycle=cycle, entity=Entity.objects.get(code=entity), value=D(value)
    )


@pytest.fixture
def values(plan: Plan) -> dict[str, object]:
    """Two cycles, an indicator with a target, values of two missions, one with breakdowns."""
    h1 = make_cycle(plan, "2022-H1", dt.date(2022, 1, 1))
    h2 = make_cycle(plan, "2022-H2", dt.date(2022, 7, 1))
    indicator = make_indicator(plan, "T.1", targets={"2022-H1": "100", "2022-H2": "200"})
    sex = Dimension.objects.create(plan=plan, code="sex-api", name="Sex")
    women = Category.objects.create(dimension=sex, code="women", name="Women", position=0)
    men = Category.objects.create(dimension=sex, code="men", name="Men", position=1)
    indicator.dimensions.add(sex)
    first = put(indicator, h1, "minusca", "40")
    Breakdown.objects.create(value=first, category=women, amount=D("15"))
    Breakdown.objects.create(value=first, category=men, amount=D("25"))
    put(indicator, h1, "monusco", "20")
    put(indicator, h2, "minusca", "90")
    return {"h1": h1, "h2": h2, "indicator": indicator, "first": first}


def test_staff_read_values_with_their_breakdowns(
    values: dict[str, object], user_with_role: Callable[[str], User], api_client_for: ClientFor
) -> None:
    client = api_client_for(user_with_role(Role.FOCAL_POINT))
    response = client.get("/api/v1/indicator-values/", {"indicator": "T.1"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["indicator"] == "T.1" and first["cycle"] == "2022-H1"
    assert first["entity"] == "minusca" and D(first["value"]) == 40
    assert first["period_start"] == "2022-01-01" and first["plan_version"] == 1
    assert [(b["dimension"], b["category"], D(b["amount"])) for b in first["breakdowns"]] == [
        ("sex-api", "women", 15),
        ("sex-api", "men", 25),
    ]
    assert response["Cache-Control"] == "no-store, private"
    pk = values["first"].pk  # type: ignore[attr-defined]
    detail = client.get(f"/api/v1/indicator-values/{pk}/")
    assert detail.status_code == 200 and detail.json()["entity"] == "minusca"
    # One value is JSON only: no CSV of a detail.
    assert client.get(f"/api/v1/indicator-values/{pk}/", {"format": "hxl"}).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"entity": "monusco"}, [("2022-H1", "monusco")]),
        ({"cycle": "2022-H2"}, [("2022-H2", "minusca")]),
        ({"period": "2022-08-15"}, [("2022-H2", "minusca")]),
        (
            {"plan_version": "1", "entity": "minusca"},
            [("2022-H1", "minusca"), ("2022-H2", "minusca")],
        ),
        ({"plan_version": "7"}, []),
    ],
)
def test_values_filter_by_entity_cycle_period_and_plan_version(
    values: dict[str, object],
    user_with_role: Callable[[str], User],
    api_client_for: ClientFor,
    query: dict[str, str],
    expected: list[tuple[str, str]],
) -> None:
    client = api_client_for(user_with_role(Role.PLANNING_UNIT))
    response = client.get("/api/v1/indicator-values/", {"indicator": "T.1", **query})
    assert response.status_code == 200, response.content
    assert [(r["cycle"], r["entity"]) for r in response.json()["results"]] == expected


def test_a_bad_filter_value_is_a_problem_naming_the_field(
    values: dict[str, object], user_with_role: Callable[[str], User], api_client_for: ClientFor
) -> None:
    client = api_client_for(user_with_role(Role.PLANNING_UNIT))
    response = client.get("/api/v1/indicator-values/", {"period": "last spring"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["period"]


@pytest.mark.parametrize("role", [Role.MEMBER_STATE_DELEGATE, None])
def test_values_are_internal_outsiders_and_delegates_get_none(
    values: dict[str, object],
    user_with_role: Callable[[str], User],
    outsider: User,
    api_client_for: ClientFor,
    role: str | None,
) -> None:
    client = api_client_for(user_with_role(role) if role else outsider)
    listed = client.get("/api/v1/indicator-values/")
    assert listed.status_code == 200 and listed.json()["count"] == 0
    detail = client.get(f"/api/v1/indicator-values/{values['first'].pk}/")  # type: ignore[attr-defined]
    assert detail.status_code == 404
    hxl = client.get("/api/v1/indicator-values.csv")
    assert hxl.status_code == 200 and len(list(csv.reader(io.StringIO(hxl.content.decode())))) == 2


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_values_as_hxl_csv_have_the_hashtag_row_under_the_header_and_no_formula(
    values: dict[str, object], user_with_role: Callable[[str], User], api_client_for: ClientFor
) -> None:
    indicator = values["indicator"]
    Indicator.objects.filter(pk=indicator.pk).update(name='=HYPERLINK("http://x")')  # type: ignore[attr-defined]
    client = api_client_for(user_with_role(Role.PLANNING_UNIT))
    for url in (
        "/api/v1/indicator-values.csv?indicator=T.1",
        "/api/v1/indicator-values/?indicator=T.1&format=hxl",
    ):
        response = client.get(url)
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/csv")
        assert response["Cache-Control"] == "no-store, private"
        header, tags, *rows = _rows(response.content)
        assert header[:2] == ["indicator_code", "indicator_name"]
        assert tags[:7] == [
            "#indicator+code",
            "#indicator+name",
            "#date+start",
            "#date+end",
            "#org+code",
            "#country+code",
            "#value",
        ]
        assert len(rows) == 3
        first = dict(zip(tags, rows[0], strict=True))
        assert first["#indicator+name"] == '\'=HYPERLINK("http://x")'
        assert first["#date+start"] == "2022-01-01" and first["#org+code"] == "minusca"
        assert first["#country+code"] == "CAF" and D(first["#value"]) == 40


def test_a_bad_filter_of_the_csv_is_a_problem_too(
    values: dict[str, object], user_with_role: Callable[[str], User], api_client_for: ClientFor
) -> None:
    client = api_client_for(user_with_role(Role.PLANNING_UNIT))
    response = client.get("/api/v1/indicator-values.csv", {"plan_version": "one"})
    assert response.status_code == 400
    assert "plan_version" in response.content.decode()


def _fill(plan: Plan, n: int, cycle: Cycle) -> None:
    for i in range(n):
        indicator = make_indicator(plan, f"Q.{cycle.code}.{i}")
        value = put(indicator, cycle, ENTITIES[i % len(ENTITIES)], str(i))
        dimension = Dimension.objects.create(plan=plan, code=f"d-{cycle.code}-{i}", name="D")
        category = Category.objects.create(dimension=dimension, code="c", name="C")
        Breakdown.objects.create(value=value, category=category, amount=D(1))


def _count(client: APIClient, url: str) -> int:
    assert client.get(url).status_code == 200  # the first request of a user loads its access
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_and_the_csv_take_as_many_queries_for_3n_rows_as_for_n(
    plan: Plan, user_with_role: Callable[[str], User], django_assert_num_queries: Any
) -> None:
    client = APIClient()
    client.force_authenticate(user_with_role(Role.PLANNING_UNIT))
    few = make_cycle(plan, "2021-H1", dt.date(2021, 1, 1))
    many = make_cycle(plan, "2021-H2", dt.date(2021, 7, 1))
    _fill(plan, 2, few)
    _fill(plan, 6, many)
    for url in ("/api/v1/indicator-values/?cycle={}", "/api/v1/indicator-values.csv?cycle={}"):
        queries = _count(client, url.format("2021-H1"))
        with django_assert_num_queries(queries):
            assert client.get(url.format("2021-H2")).status_code == 200


# The tracking table ----------------------------------------------------------------------------


def test_the_tracking_table_as_json_combines_the_entities(
    plan: Plan,
    values: dict[str, object],
    user_with_role: Callable[[str], User],
    api_client_for: ClientFor,
) -> None:
    assignments_generate(plan=plan, actor=user_with_role(Role.PLANNING_UNIT))
    client = api_client_for(user_with_role(Role.REVIEWER))
    response = client.get(f"/api/v1/plans/{plan.code}/tracking/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [c["code"] for c in body["cycles"]] == ["2022-H1", "2022-H2"]
    [row] = [r for r in body["rows"] if r["indicator"] == "T.1"]
    h1, h2 = row["cells"]
    assert D(h1["target"]) == 100 and D(h1["actual"]) == 60 and h1["entities"] == 2
    assert D(h2["actual"]) == 90 and D(h2["to_date"]) == 150
    assert h1["status"] in {"achieved", "on_track", "at_risk", "off_track"}
    assert row["attached_to"] == "1.2.1" and row["unit"] == "number"
    only = client.get(f"/api/v1/plans/{plan.code}/tracking/", {"entity": "monusco"}).json()
    [row] = [r for r in only["rows"] if r["indicator"] == "T.1"]
    assert only["entity"] == "monusco" and D(row["cells"][0]["actual"]) == 20


def test_bad_tracking_filters_are_named(
    plan: Plan, user_with_role: Callable[[str], User], api_client_for: ClientFor
) -> None:
    client = api_client_for(user_with_role(Role.PLANNING_UNIT))
    response = client.get(
        f"/api/v1/plans/{plan.code}/tracking/",
        {"entity": "atlan tis", "priority": "²", "wps": "y"},
    )
    assert response.status_code == 400
    assert sorted(e["field"] for e in response.json()["errors"]) == ["entity", "priority", "wps"]


def test_the_tracking_table_is_internal_and_an_unknown_plan_is_404(
    plan: Plan,
    user_with_role: Callable[[str], User],
    outsider: User,
    api_client_for: ClientFor,
) -> None:
    for user in (user_with_role(Role.MEMBER_STATE_DELEGATE), outsider):
        assert api_client_for(user).get(f"/api/v1/plans/{plan.code}/tracking/").status_code == 404
    staff = api_client_for(user_with_role(Role.PLANNING_UNIT))
    assert staff.get("/api/v1/plans/no-such-plan/tracking/").status_code == 404


def test_the_tracking_table_takes_as_many_queries_for_3n_indicators_as_for_n(
    plan: Plan, user_with_role: Callable[[str], User], django_assert_num_queries: Any
) -> None:
    client = APIClient()
    client.force_authenticate(user_with_role(Role.PLANNING_UNIT))
    cycle = make_cycle(plan, "2021-H1", dt.date(2021, 1, 1))
    _fill(plan, 2, cycle)
    url = f"/api/v1/plans/{plan.code}/tracking/"
    few = _count(client, url)
    _fill(plan, 4, make_cycle(plan, "2021-H2", dt.date(2021, 7, 1)))
    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200


def test_the_problem_speaks_french_to_a_french_reader(
    plan: Plan, user_with_role: Callable[[str], User], api_client_for: ClientFor
) -> None:
    client = api_client_for(user_with_role(Role.PLANNING_UNIT))
    response = client.get(
        f"/api/v1/plans/{plan.code}/tracking/",
        {"entity": "atlantis"},
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "entity", "message": "Aucune entité n\u2019a ce code."}
    ]
