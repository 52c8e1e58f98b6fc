"""Open interchange: the plan as IATI activity XML 2.03, validated against the official schema
(tests/data/iati/2.03), with the public edition's numbers only; the crimes register's aggregates
as HXL-tagged CSV, with small counts withheld from readers who get aggregates only."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from rest_framework.test import APIClient

from accounts.models import Role, User
from api.interchange import SMALL_CELLS_AGGREGATES_ONLY
from core.models import Entity
from indicators.models import IndicatorValue
from plans.models import Plan
from reporting.models import Cycle
from reports.models import Edition, Publication
from tests.indicators.conftest import make_indicator
from tests.registers.factories import CaseFactory, VictimFactory, case_with

ClientFor = Callable[..., APIClient]
SCHEMAS = Path(settings.BASE_DIR) / "tests" / "data" / "iati" / "2.03"


@pytest.fixture(scope="module")
def iati_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "iati-activities-schema.xsd")))


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
    )


@pytest.fixture
def reported(plan: Plan) -> dict[str, Any]:
    """Two cycles with values: the first has its public edition published, the second only its
    internal one."""
    public = make_cycle(plan, "2022-H1", dt.date(2022, 1, 1))
    internal = make_cycle(plan, "2022-H2", dt.date(2022, 7, 1))
    Publication.objects.create(cycle=public, edition=Edition.PUBLIC)
    Publication.objects.create(cycle=internal, edition=Edition.INTERNAL)
    indicator = make_indicator(
        plan, "T.9", baseline="12", targets={"2022-H1": "100", "2022-H2": "200"}
    )
    for cycle, value in ((public, "61.5"), (internal, "987654")):
        IndicatorValue.objects.create(
            indicator=indicator,
            cycle=cycle,
            entity=Entity.objects.get(code="minusca"),
            value=Decimal(value),
        )
    return {"public": public, "internal": internal, "indicator": indicator}


def _iati(client: APIClient, plan: Plan) -> etree._Element:
    response = client.get(f"/api/v1/plans/{plan.code}/iati.xml")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def test_the_plan_as_iati_xml_is_valid_against_the_2_03_schema(
    plan: Plan,
    reported: dict[str, Any],
    iati_schema: etree.XMLSchema,
    user_with_role: Callable[[str], User],
    api_client_for: ClientFor,
) -> None:
    document = _iati(api_client_for(user_with_role(Role.PLANNING_UNIT)), plan)
    assert iati_schema.validate(document), iati_schema.error_log
    assert document.get("version") == "2.03"
    [activity] = document.findall("iati-activity")
    assert activity.findtext("iati-identifier", "").endswith(plan.code)
    assert activity.findtext("title/narrative") == plan.title
    results = activity.findall("result")
    assert len(results) == plan.priorities.count()
    titles = [i.findtext("title/narrative", "") for i in activity.iter("indicator")]
    assert len(titles) == plan.indicators.filter(retired_in__isnull=True).count()


def test_iati_carries_the_public_editions_numbers_only(
    plan: Plan,
    reported: dict[str, Any],
    iati_schema: etree.XMLSchema,
    user_with_role: Callable[[str], User],
    api_client_for: ClientFor,
) -> None:
    document = _iati(api_client_for(user_with_role(Role.PLANNING_UNIT)), plan)
    [indicator] = [
        i
        for i in document.iter("indicator")
        if i.findtext("title/narrative", "").startswith("T.9 ")
    ]
    assert indicator.get("measure") == "1" and indicator.get("ascending") == "1"
    assert indicator.find("baseline").get("value") == "12"
    periods = indicator.findall("period")
    assert [p.find("period-start").get("iso-date") for p in periods] == ["2022-01-01"]
    assert periods[0].find("target").get("value") == "100"
    assert periods[0].find("actual").get("value") == "61.5"
    assert b"987654" not in etree.tostring(document)


def test_iati_is_for_anyone_signed_in_and_an_unknown_plan_is_404(
    plan: Plan,
    reported: dict[str, Any],
    iati_schema: etree.XMLSchema,
    user_with_role: Callable[[str], User],
    outsider: User,
    api_client_for: ClientFor,
) -> None:
    for user in (outsider, user_with_role(Role.MEMBER_STATE_DELEGATE)):
        client = api_client_for(user)
        assert iati_schema.validate(_iati(client, plan))
        assert client.get("/api/v1/plans/atlantis/iati.xml").status_code == 404
    assert api_client_for(None).get(f"/api/v1/plans/{plan.code}/iati.xml").status_code == 401


# The crimes register's aggregates ----------------------------------------------------------------


def _hxl(client: APIClient) -> tuple[list[str], list[dict[str, str]]]:
    response = client.get("/api/v1/crime-statistics.csv")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store, private"
    header, tags, *rows = csv.reader(io.StringIO(response.content.decode("utf-8")))
    assert header[0] == "year"
    return tags, [dict(zip(tags, row, strict=True)) for row in rows]


@pytest.fixture
def cases(db: None) -> None:
    """MINUSCA, 2022: one case with two Bangladeshi victims and one Nepalese, and five more
    cases with a Bangladeshi victim each; MINUSMA, 2021: one case with a Nepalese victim."""
    first = case_with(["BGD", "BGD", "NPL"], mission="minusca")
    VictimFactory.create(case=first, nationality="BGD", outcome="injured")
    for _ in range(5):
        case_with(["BGD"], mission="minusca")
    case_with(["NPL"], mission="minusma", incident_date=dt.date(2021, 5, 2))


def _row(rows: list[dict[str, str]], year: str, mission: str, iso3: str) -> dict[str, str]:
    [row] = [
        r
        for r in rows
        if (r["#date+year"], r["#org+code"], r["#country+code+nationality"])
        == (year, mission, iso3)
    ]
    return row


def test_register_officers_get_exact_counts_by_year_mission_and_nationality(
    cases: None, user_with_role: Callable[[str], User], api_client_for: ClientFor
) -> None:
    tags, rows = _hxl(api_client_for(user_with_role(Role.REGISTER_OFFICER)))
    assert tags == [
        "#date+year",
        "#org+code",
        "#org+name",
        "#country+code+nationality",
        "#value+cases",
        "#affected+victims",
        "#affected+killed",
        "#affected+injured",
    ]
    bangladeshi = _row(rows, "2022", "minusca", "BGD")
    assert (bangladeshi["#value+cases"], bangladeshi["#affected+victims"]) == ("6", "8")
    assert (bangladeshi["#affected+killed"], bangladeshi["#affected+injured"]) == ("7", "1")
    assert _row(rows, "2022", "minusca", "NPL")["#value+cases"] == "1"
    assert _row(rows, "2021", "minusma", "NPL")["#affected+killed"] == "1"


def test_a_delegate_counts_the_cases_concerning_its_state_only(
    cases: None, user_with_role: Callable[[str], User], api_client_for: ClientFor
) -> None:
    _tags, rows = _hxl(api_client_for(user_with_role(Role.MEMBER_STATE_DELEGATE)))
    assert {r["#org+code"] for r in rows} == {"minusca"}  # no MINUSMA case concerns Bangladesh
    assert _row(rows, "2022", "minusca", "BGD")["#value+cases"] == "6"


def test_the_planning_unit_gets_aggregates_with_small_counts_withheld(
    cases: None, user_with_role: Callable[[str], User], api_client_for: ClientFor
) -> None:
    assert SMALL_CELLS_AGGREGATES_ONLY == 5
    _tags, rows = _hxl(api_client_for(user_with_role(Role.PLANNING_UNIT)))
    bangladeshi = _row(rows, "2022", "minusca", "BGD")
    assert (bangladeshi["#value+cases"], bangladeshi["#affected+victims"]) == ("6", "8")
    assert (bangladeshi["#affected+killed"], bangladeshi["#affected+injured"]) == ("7", "")
    nepalese = _row(rows, "2021", "minusma", "NPL")
    assert nepalese["#value+cases"] == "" and nepalese["#affected+injured"] == "0"


def test_readers_without_the_register_get_404(
    cases: None, outsider: User, api_client_for: ClientFor
) -> None:
    assert api_client_for(outsider).get("/api/v1/crime-statistics.csv").status_code == 404


def test_the_aggregates_take_as_many_queries_for_3n_cases_as_for_n(
    user_with_role: Callable[[str], User], django_assert_num_queries: Any
) -> None:
    client = APIClient()
    client.force_authenticate(user_with_role(Role.REGISTER_OFFICER))
    url = "/api/v1/crime-statistics.csv"
    for mission in ("minusca", "minusma"):
        case_with(["BGD", "NPL"], mission=mission)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for year, mission in ((2019, "monusco"), (2020, "unmiss"), (2021, "unifil"), (2018, "minusca")):
        case = CaseFactory.create(mission=mission, incident_date=dt.date(year, 2, 1))
        VictimFactory.create(case=case, nationality="PAK")
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(response.content.decode().splitlines()) == 2 + 4 + 4
