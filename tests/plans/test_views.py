"""The plan browser, for every role and for anonymous visitors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from core.models import Entity
from plans.models import Plan
from plans.planfile import parse_plan_text
from plans.services import plan_load

PAGES = [
    ("plan-overview", {}),
    ("priority-detail", {"number": 3}),
    ("result-detail", {"code": "4.3"}),
    ("deliverable-detail", {"code": "3.1.4"}),
    ("deliverable-list", {}),
    ("entity-list", {}),
]
ROLES = [None, *Role.values]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_page_renders_for_every_role(
    plan: Plan,
    client_for: Callable[[User | None], Client],
    user_with_role: Callable[[str], User],
    role: str | None,
    name: str,
    kwargs: dict[str, object],
) -> None:
    client = client_for(user_with_role(role) if role else None)
    response = client.get(reverse(name, kwargs={"plan_code": plan.code, **kwargs}))
    assert response.status_code == 200
    assert b"A4P+ Monitor" in response.content


def test_home_leads_to_the_current_plan(plan: Plan, client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("plan-overview", kwargs={"plan_code": plan.code})


def test_home_without_a_plan_says_how_to_load_one(plan: Plan, client: Client) -> None:
    Plan.objects.all().delete()
    response = client.get("/")
    assert response.status_code == 404
    assert b"a4p plan load" in response.content


def test_overview_lists_priorities_and_results(plan: Plan, client: Client) -> None:
    response = client.get(reverse("plan-overview", kwargs={"plan_code": plan.code}))
    text = response.content.decode()
    for priority in plan.priorities.all():
        assert priority.title in text
    for result in plan.results.all():
        assert (
            reverse("result-detail", kwargs={"plan_code": plan.code, "code": result.code}) in text
        )
    assert "71 deliverables" in text


def test_deliverable_page_shows_text_lead_line_entities_and_markers(
    plan: Plan, client: Client
) -> None:
    response = client.get(
        reverse("deliverable-detail", kwargs={"plan_code": plan.code, "code": "6.1.7"})
    )
    text = response.content.decode()
    d = plan.deliverables.get(code="6.1.7")
    assert d.text in text
    assert "SCS, and OMA and OROLSI/PD at HQ; SCPI units and Force in missions" in text
    assert "(Missions)" in text and "(Headquarters)" in text
    d = plan.deliverables.get(code="1.1.2")
    text = client.get(
        reverse("deliverable-detail", kwargs={"plan_code": plan.code, "code": "1.1.2"})
    ).content.decode()
    assert "Women, peace and security / gender" in text
    assert "may be written or unwritten" in text


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("plan-overview", {"plan_code": "no-such-plan"}),
        ("deliverable-detail", {"plan_code": "a4p-plus-2021-2023", "code": "9.9.9"}),
        ("result-detail", {"plan_code": "a4p-plus-2021-2023", "code": "9.9"}),
        ("priority-detail", {"plan_code": "a4p-plus-2021-2023", "number": 9}),
    ],
)
def test_unknown_objects_are_404(
    plan: Plan, client: Client, name: str, kwargs: dict[str, object]
) -> None:
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 404
    assert b"Page not found" in response.content


def codes(response: object) -> list[str]:
    return [d.code for d in response.context["deliverables"]]  # type: ignore[attr-defined]


def test_search_finds_deliverables_by_words_of_their_text(plan: Plan, client: Client) -> None:
    url = reverse("deliverable-list", kwargs={"plan_code": plan.code})
    assert codes(client.get(url, {"q": "telemedicine"})) == ["4.3.4"]
    assert codes(client.get(url, {"q": "CASEVAC stress"})) == ["4.3.1"]
    found = codes(client.get(url, {"q": "hate speech"}))
    assert found == ["6.1.3", "6.1.9"]
    assert codes(client.get(url, {"q": "zebra"})) == []
    assert "No deliverable matches" in client.get(url, {"q": "zebra"}).content.decode()


def test_filter_by_entity_includes_the_groups_it_belongs_to(plan: Plan, client: Client) -> None:
    url = reverse("deliverable-list", kwargs={"plan_code": plan.code})
    minusca = codes(client.get(url, {"entity": "minusca"}))
    heads = codes(client.get(url, {"entity": "heads-of-mission"}))
    assert heads and set(heads) <= set(minusca)
    assert "4.3.4" in minusca
    oma_leads = codes(client.get(url, {"entity": "dpo-oma", "role": "lead"}))
    assert "4.4.3" in oma_leads and "4.3.2" not in oma_leads
    oma_support = codes(client.get(url, {"entity": "dpo-oma", "role": "support"}))
    assert oma_support == ["4.3.2"]


def test_filter_by_marker_and_priority(plan: Plan, client: Client) -> None:
    url = reverse("deliverable-list", kwargs={"plan_code": plan.code})
    wps_in_3 = codes(client.get(url, {"marker": "wps", "priority": "3"}))
    expected = list(
        plan.deliverables.filter(markers__code="wps", result__priority__number=3)
        .order_by("position")
        .values_list("code", flat=True)
    )
    assert wps_in_3 == expected and wps_in_3


def test_bad_filter_values_are_explained_not_errors(plan: Plan, client: Client) -> None:
    url = reverse("deliverable-list", kwargs={"plan_code": plan.code})
    response = client.get(url, {"entity": "nobody", "priority": "x", "marker": "?"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"entity", "priority", "marker"}
    assert "Correct the filters above" in response.content.decode()


def test_french_pages(plan: Plan, client: Client) -> None:
    response = client.get(
        reverse("plan-overview", kwargs={"plan_code": plan.code}), headers={"accept-language": "fr"}
    )
    assert response["Content-Language"] == "fr"
    text = response.content.decode()
    assert "Rechercher dans les produits" in text
    assert "71 produits" in text
    assert "Search the deliverables" not in text


def small_plan(n_deliverables: int) -> Plan:
    """A synthetic plan of one priority and one result with n deliverables."""
    entity = Entity.objects.get(code="dpo-oma")
    data = {
        "format": 1,
        "plan": {
            "code": f"bench-{n_deliverables}",
            "title": "Bench",
            "period_start": "2024-01-01",
            "period_end": "2026-12-31",
        },
        "markers": [{"code": "wps", "name": "WPS"}],
        "priorities": [
            {
                "number": 1,
                "title": "P",
                "results": [
                    {
                        "code": "1.1",
                        "title": "R",
                        "deliverables": [
                            {
                                "code": f"1.1.{i}",
                                "text": f"Deliverable number {i}",
                                "lead_text": "OMA",
                                "lead_entities": [entity.code],
                                "supporting_entities": ["heads-of-mission"],
                                "markers": ["wps"],
                            }
                            for i in range(1, n_deliverables + 1)
                        ],
                    }
                ],
            }
        ],
    }
    plan_file = parse_plan_text(
        yaml.safe_dump(data), "bench.yaml", [entity.code, "heads-of-mission"]
    )
    return plan_load(plan_file=plan_file).plan


@pytest.mark.parametrize(
    "name", ["deliverable-list", "plan-overview", "entity-list", "priority-detail"]
)
def test_query_count_does_not_grow_with_the_plan(db: None, client: Client, name: str) -> None:
    counts = []
    for size in (2, 40):
        plan = small_plan(size)
        kwargs = {"plan_code": plan.code, **({"number": 1} if name == "priority-detail" else {})}
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                reverse(name, kwargs=kwargs),
                {"q": "Deliverable"} if name == "deliverable-list" else {},
            )
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] > 0
