"""The dashboards: numbers against the tests' own computation over the same records, query counts
that do not grow with the data, and who may see what."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from core.models import Entity
from tests.dashboards.conftest import Record

PLAN = "a4p-plus-2021-2023"
BASE = f"/plans/{PLAN}/dashboard"
GOOD = {"on_track", "completed"}
ORDER = ["completed", "on_track", "not_started", "delayed", "off_track", "discontinued"]

PAGES = [
    "/",
    "/priorities/3/",
    "/results/3.1/",
    "/deliverables/3.1.1/",
    "/entities/",
    "/entities/minusca/",
    "/indicators/",
    "/wps/",
    "/obstacles/",
]


def rows_of(response: Any) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def share(records: Iterable[Record]) -> float | None:
    rated = [r for r in records if r.state == "validated" and r.rating]
    if not rated:
        return None
    return 100 * sum(r.rating in GOOD for r in rated) / len(rated)


def as_share(text: str) -> float | None:
    return None if text == "" else float(text)


@pytest.fixture
def leader(user_with_role: Callable[[str], User]) -> User:
    return user_with_role(Role.SENIOR_LEADERSHIP)


# Numbers ---------------------------------------------------------------------------------------


def test_overview_counts_validated_ratings_and_late_inputs_per_priority(
    history: dict[str, Any], leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    records = [r for r in history["records"] if r.cycle == "2022-H2"]
    response = client.get(BASE + "/")
    assert response.status_code == 200
    assert response.context["cycle"].code == "2022-H2"  # the latest closed cycle by default
    rows = {row["group"].key: row["tally"] for row in response.context["rows"]}
    assert sorted(rows) == [1, 2, 3, 4, 5, 6, 7]
    for number, tally in rows.items():
        mine = [r for r in records if r.priority == number]
        validated = [r for r in mine if r.state == "validated"]
        assert tally.updates == len(mine)
        assert tally.validated == len(validated)
        assert tally.counts == dict(Counter(r.rating for r in validated if r.rating))
        assert tally.late == sum(r.late for r in mine)
        assert tally.share == pytest.approx(share(mine))
    total = response.context["total"]
    assert total.updates == len(records)
    assert total.late == sum(r.late for r in records)
    assert total.share == pytest.approx(share(records))

    # The same numbers in the downloads.
    ratings = rows_of(client.get(BASE + "/?csv=ratings"))
    assert ratings[0][1:7] == [
        "Completed",
        "On track",
        "Not started",
        "Delayed",
        "Off track",
        "Discontinued",
    ]
    for line in ratings[1:]:
        number = int(line[0].split(".")[0])
        validated = [r for r in records if r.priority == number and r.state == "validated"]
        counts = Counter(r.rating for r in validated)
        assert [int(x) for x in line[1:7]] == [counts[c] for c in ORDER]
    trend = rows_of(client.get(BASE + "/?csv=trend"))
    assert [line[0] for line in trend[1:]] == ["2022-H1", "2022-H2"]
    for line in trend[1:]:
        for number, cell in enumerate(line[1:], start=1):
            expected = share(
                r for r in history["records"] if r.cycle == line[0] and r.priority == number
            )
            assert as_share(cell) == pytest.approx(expected, abs=0.06)
    late = rows_of(client.get(BASE + "/?csv=late"))
    for line in late[1:]:
        assert int(line[-1]) == sum(r.late for r in history["records"] if r.cycle == line[0])


def test_filters_in_the_url_narrow_every_number(
    history: dict[str, Any], leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    response = client.get(BASE + "/?cycle=2022-H1&entity=minusca&marker=wps")
    assert response.context["cycle"].code == "2022-H1"
    records = [
        r
        for r in history["records"]
        if r.cycle == "2022-H1" and r.entity == "minusca" and "wps" in r.markers
    ]
    assert records
    total = response.context["total"]
    assert total.updates == len(records)
    assert total.share == pytest.approx(share(records))
    # The filters stay in every link, so the view can be shared.
    assert "cycle=2022-H1&amp;entity=minusca&amp;marker=wps" in response.content.decode()

    response = client.get(BASE + "/?priority=2&cycle=nope&entity=atlantis")
    assert response.status_code == 200
    assert [row["group"].key for row in response.context["rows"]] == [2]
    assert len(response.context["filters"].notices) == 2


def test_priority_result_and_deliverable_pages_drill_down(
    history: dict[str, Any], leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    records = [r for r in history["records"] if r.cycle == "2022-H2"]
    response = client.get(BASE + "/priorities/3/")
    rows = {row["group"].key: row["tally"] for row in response.context["rows"]}
    for code, tally in rows.items():
        assert code.startswith("3.")
        assert tally.share == pytest.approx(share(r for r in records if r.result == code))
        assert tally.late == sum(r.late for r in records if r.result == code)
    for section in response.context["result_sections"]:
        for row in section["rows"]:
            code = row["group"].key
            assert row["tally"].updates == sum(r.deliverable == code for r in records)
    assert f'href="{BASE}/deliverables/3.1.1/?cycle=2022-H2"' in response.content.decode()

    response = client.get(BASE + "/results/3.1/")
    for row in response.context["rows"]:
        code = row["group"].key
        validated = [r for r in records if r.deliverable == code and r.state == "validated"]
        assert row["tally"].counts == dict(Counter(r.rating for r in validated if r.rating))

    response = client.get(BASE + "/deliverables/3.1.1/")
    mine = {r.pk: r for r in records if r.deliverable == "3.1.1"}
    shown = response.context["updates"]
    assert {u["pk"] for u in shown} == set(mine)
    for update in shown:
        assert update["rating"] == mine[update["pk"]].rating
        assert update["late"] == mine[update["pk"]].late
        assert update["obstacle_count"] == len(mine[update["pk"]].obstacles)
        assert f'href="/updates/{update["pk"]}/"' in response.content.decode()
    history_csv = rows_of(client.get(BASE + "/deliverables/3.1.1/?csv=history"))
    assert history_csv[0] == ["Entity", "2022-H1", "2022-H2"]


def test_heatmap_and_scorecard(
    history: dict[str, Any], leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    records = [r for r in history["records"] if r.cycle == "2022-H2"]
    labels = dict(Entity.objects.values_list("code", "acronym"))
    response = client.get(BASE + "/entities/?priority=1")
    heat = rows_of(client.get(BASE + "/entities/?priority=1&csv=heatmap"))
    mine = [r for r in records if r.priority == 1]
    columns = heat[0][1:]
    assert set(columns) == {r.deliverable for r in mine}
    rating_names = {
        "on_track": "On track",
        "completed": "Completed",
        "not_started": "Not started",
        "delayed": "Delayed",
        "off_track": "Off track",
        "discontinued": "Discontinued",
    }
    cells = {}
    for line in heat[1:]:
        for column, value in zip(columns, line[1:], strict=True):
            if value:
                cells[(line[0], column)] = value
    expected = {
        (labels[r.entity] or r.entity, r.deliverable): rating_names[r.rating]
        for r in mine
        if r.state == "validated" and r.rating
    }
    assert len(cells) == len(expected)
    for row in response.context["rows"]:
        entity = row["group"].key
        assert row["tally"].share == pytest.approx(share(r for r in mine if r.entity == entity))

    response = client.get(BASE + "/entities/minusca/")
    assert response.status_code == 200
    mine = [r for r in history["records"] if r.entity == "minusca"]
    ratings = rows_of(client.get(BASE + "/entities/minusca/?csv=ratings"))
    for line in ratings[1:]:
        validated = [r for r in mine if r.cycle == line[0] and r.state == "validated"]
        counts = Counter(r.rating for r in validated)
        assert [int(x) for x in line[1:7]] == [counts[c] for c in ORDER]
    obstacles = rows_of(client.get(BASE + "/entities/minusca/?csv=obstacles"))
    for line in obstacles[1:]:
        found = [o for r in mine if r.cycle == line[0] for o in r.obstacles]
        assert int(line[-2]) == len(found)
        assert int(line[-1]) == sum(escalated for _c, escalated in found)
    assert {u["pk"] for u in response.context["updates"]} == {
        r.pk for r in mine if r.cycle == "2022-H2"
    }
    assert client.get(BASE + "/entities/atlantis/").status_code == 404


def test_obstacles_by_category_over_time(
    history: dict[str, Any], leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    table = rows_of(client.get(BASE + "/obstacles/?csv=obstacles&priority=4"))
    header = table[0]
    for line in table[1:]:
        found = Counter(
            category
            for r in history["records"]
            if r.cycle == line[0] and r.priority == 4
            for category, _e in r.obstacles
        )
        from reporting.models import Obstacle

        labels = dict(Obstacle.Category.choices)
        for category, label in labels.items():
            assert int(line[header.index(str(label))]) == found[category]


def test_wps_view_counts_marked_deliverables_only(
    history: dict[str, Any], leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    response = client.get(BASE + "/wps/")
    records = [r for r in history["records"] if r.cycle == "2022-H2"]
    marked = {r.deliverable for r in records if "wps" in r.markers}
    assert {row["group"].key for row in response.context["rows"]} >= marked
    trend = rows_of(client.get(BASE + "/wps/?csv=trend"))
    for line in trend[1:]:
        cycle = [r for r in history["records"] if r.cycle == line[0]]
        assert as_share(line[1]) == pytest.approx(
            share(r for r in cycle if "wps" in r.markers), abs=0.05
        )
        assert as_share(line[2]) == pytest.approx(share(cycle), abs=0.06)


def test_indicator_chart_gives_target_actual_and_each_sex(
    history: dict[str, Any], leader: User, client_for: Callable[[User], Client]
) -> None:
    from decimal import Decimal

    from indicators.models import Breakdown, Category, Indicator, IndicatorValue
    from reporting.models import Cycle

    plan = history["plan"]
    indicator = Indicator.objects.get(plan=plan, code="3.5.1-a")  # a number, summed, by sex
    women = Category.objects.get(dimension__plan=plan, dimension__code="sex", code="female")
    men = Category.objects.get(dimension__plan=plan, dimension__code="sex", code="male")
    cycles = {c.code: c for c in Cycle.objects.filter(plan=plan)}
    reported = {  # cycle → entity → (women, men)
        "2022-H1": {"odcss": (10, 30), "minusca": (5, 15)},
        "2022-H2": {"minusca": (12, 28)},
    }
    for code, by_entity in reported.items():
        for entity, (w, m) in by_entity.items():
            value = IndicatorValue.objects.create(
                indicator=indicator,
                cycle=cycles[code],
                entity=Entity.objects.get(code=entity),
                value=Decimal(w + m),
            )
            Breakdown.objects.create(value=value, category=women, amount=Decimal(w))
            Breakdown.objects.create(value=value, category=men, amount=Decimal(m))
    client = client_for(leader)
    table = rows_of(client.get(BASE + f"/indicators/?csv=indicator-{indicator.code}"))
    assert table[0] == ["Cycle", "Target", "Actual", "Men", "Women"]
    targets = dict(indicator.targets.values_list("period", "value"))
    for line in table[1:]:
        by_entity = reported[line[0]]
        assert Decimal(line[1]) == targets[line[0]]
        assert Decimal(line[2]) == sum(w + m for w, m in by_entity.values())
        assert Decimal(line[3]) == sum(m for _w, m in by_entity.values())
        assert Decimal(line[4]) == sum(w for w, _m in by_entity.values())
    only = rows_of(client.get(BASE + f"/indicators/?entity=odcss&csv=indicator-{indicator.code}"))
    assert only[1][2] == "40" and only[2][2] == ""  # DCSS did not report in 2022-H2: a gap


def test_csv_download_is_named_and_unknown_chart_is_404(
    history: dict[str, Any], leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    response = client.get(BASE + "/?csv=trend&cycle=2022-H1")
    assert response["Content-Disposition"] == (
        'attachment; filename="a4p-dashboard-overview-trend-2022-h1.csv"'
    )
    assert client.get(BASE + "/?csv=nope").status_code == 404


def test_pages_work_without_any_cycle(
    plan: Any, leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    for page in PAGES:
        if "deliverables" in page or page.count("/") > 2:
            continue
        response = client.get(BASE + page)
        assert response.status_code == 200, page
        assert "No reporting cycle has started yet" in response.content.decode()


# Query counts ----------------------------------------------------------------------------------


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_data(
    page: str,
    history: dict[str, Any],
    grow: Callable[[], None],
    leader: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(leader)
    url = BASE + page + "?cycle=2022-H2"
    before = count_queries(client, url)
    grow()
    after_same = count_queries(client, url)
    after_latest = count_queries(client, BASE + page)  # three cycles in every trend
    assert before == after_same == after_latest
    assert before <= 20


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_delegates_anonymous_and_people_without_a_role_get_404(
    page: str,
    history: dict[str, Any],
    user_with_role: Callable[[str], User],
    outsider: User,
    client_for: Callable[[User | None], Client],
) -> None:
    assert Client().get(BASE + page).status_code == 404
    assert (
        client_for(user_with_role(Role.MEMBER_STATE_DELEGATE)).get(BASE + page).status_code == 404
    )
    assert Client().get(BASE + page + "?csv=ratings").status_code == 404
    client = Client()
    client.force_login(outsider)
    assert client.get(BASE + page).status_code == 404


def test_a_focal_point_sees_its_entity_and_the_lead_view_only(
    history: dict[str, Any], focal: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(focal)
    records = [r for r in history["records"] if r.cycle == "2022-H2"]
    led = {r.deliverable for r in history["records"] if r.entity == "minusca" and r.lead}
    visible = [
        r
        for r in records
        if r.entity == "minusca"
        or (r.deliverable in led and r.state != "draft" and not r.confidential)
    ]
    total = client.get(BASE + "/").context["total"]
    assert total.updates == len(visible)
    assert total.share == pytest.approx(share(visible))
    others = [r for r in records if r not in visible]
    assert others
    response = client.get(BASE + f"/deliverables/{others[0].deliverable}/")
    assert others[0].pk not in {u["pk"] for u in response.context["updates"]}


def test_a_reviewer_never_counts_drafts(
    history: dict[str, Any], reviewer: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(reviewer)
    africa = (
        set(
            Entity.objects.filter(mission__regional_asg__code="asg-africa").values_list(
                "code", flat=True
            )
        )
        | set(
            Entity.objects.filter(mission__division__code="asg-africa").values_list(
                "code", flat=True
            )
        )
        | {"asg-africa"}
        | set(Entity.objects.filter(parent__code="asg-africa").values_list("code", flat=True))
    )
    records = [r for r in history["records"] if r.cycle == "2022-H2" and r.entity in africa]
    total = client.get(BASE + "/").context["total"]
    assert total.updates == sum(r.state != "draft" for r in records)
    assert total.late == sum(r.late and r.state != "draft" for r in records)
