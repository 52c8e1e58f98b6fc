"""`/api/v1/` for the plan (plans, versions, the tree of a version, deliverables), the work plans
(assignments, milestones) and the reporting cycles: scoping as the pages, filters, problems for
bad input, and query counts that do not grow with the rows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Role, User
from core.models import Entity
from plans import selectors
from plans.models import Assignment, Deliverable, Milestone, Plan, PlanVersion
from plans.services import assignment_remove, assignments_generate, milestone_save
from plans.versions import revision_open
from reporting.models import Cycle
from reporting.services import cycle_create
from tests.api.agreement import Row, assert_pages_and_api_agree
from tests.conftest import PLAN_CODE

Client = Callable[..., APIClient]
MakeUser = Callable[[str], User]

ROLES = [
    Role.PLANNING_UNIT,
    Role.FOCAL_POINT,
    Role.REVIEWER,
    Role.SENIOR_LEADERSHIP,
    Role.MEMBER_STATE_DELEGATE,
    Role.REGISTER_OFFICER,
    Role.ADMINISTRATOR,
]
INTERNAL = set(ROLES) - {Role.MEMBER_STATE_DELEGATE}


def _fresh(user: User) -> APIClient:
    """A client signed in as a fresh copy of the user (the access object is cached on it), so
    that two requests count the same queries."""
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def _queries(user: User, url: str) -> int:
    client = _fresh(user)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context)


def _problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    if field is not None:
        assert field in {e["field"] for e in body["errors"]}, body
    return body


def _cycle(plan: Plan, planner: User, code: str, start: dt.date) -> Cycle:
    return cycle_create(
        plan=plan,
        code=code,
        kind=Cycle.Kind.SEMIANNUAL,
        period_start=start,
        period_end=start + dt.timedelta(days=180),
        opens_on=start + dt.timedelta(days=150),
        due_on=start + dt.timedelta(days=190),
        closes_on=start + dt.timedelta(days=200),
        actor=planner,
    )


@pytest.fixture
def planner(user_with_role: MakeUser) -> User:
    return user_with_role(Role.PLANNING_UNIT)


@pytest.fixture
def workplans(plan: Plan, planner: User) -> Plan:
    assignments_generate(plan=plan, actor=planner)
    return plan


# Plans, versions, trees ------------------------------------------------------------------------


def test_plans_are_listed_and_read_by_code_with_the_version_in_force(
    plan: Plan, user_with_role: MakeUser, api_client_for: Client
) -> None:
    client = api_client_for(user_with_role(Role.MEMBER_STATE_DELEGATE))
    listed = client.get("/api/v1/plans/").json()
    assert [p["code"] for p in listed["results"]] == [PLAN_CODE]
    detail = client.get(f"/api/v1/plans/{PLAN_CODE}/").json()
    assert detail["current_version"] == 1
    assert detail["period_start"] == plan.period_start.isoformat()
    _problem(client.get("/api/v1/plans/no-such-plan/"), 404)


def test_a_draft_revision_is_the_planning_units_only(
    plan: Plan, planner: User, user_with_role: MakeUser, api_client_for: Client
) -> None:
    draft = revision_open(plan=plan, actor=planner)
    as_planner = api_client_for(planner)
    as_focal = api_client_for(user_with_role(Role.FOCAL_POINT))
    versions = f"/api/v1/plans/{PLAN_CODE}/versions/"
    assert [v["number"] for v in as_planner.get(versions).json()] == [1, draft.number]
    assert [v["number"] for v in as_focal.get(versions).json()] == [1]
    assert as_planner.get(f"{versions}{draft.number}/").json()["state"] == "draft"
    _problem(as_focal.get(f"{versions}{draft.number}/"), 404)
    _problem(as_focal.get(f"{versions}{draft.number}/tree/"), 404)
    assert as_focal.get(f"{versions}1/").json()["state"] == "published"
    _problem(as_planner.get(f"{versions}99/"), 404)


def test_the_tree_holds_every_deliverable_with_its_entities_and_indicators(
    plan: Plan, user_with_role: MakeUser, api_client_for: Client
) -> None:
    client = api_client_for(user_with_role(Role.REGISTER_OFFICER))
    tree = client.get(f"/api/v1/plans/{PLAN_CODE}/tree/").json()
    assert tree["plan"] == PLAN_CODE and tree["version"]["number"] == 1
    deliverables = {
        d["code"]: d for p in tree["priorities"] for r in p["results"] for d in r["deliverables"]
    }
    assert set(deliverables) == set(
        Deliverable.objects.filter(plan=plan, retired_in__isnull=True).values_list(
            "code", flat=True
        )
    )
    one = Deliverable.objects.get(plan=plan, code="1.1.2")
    leads = {p.entity.code for p in one.parts.select_related("entity") if p.role == "lead"}
    assert {e["entity"] for e in deliverables["1.1.2"]["lead_entities"]} == leads
    stored = PlanVersion.objects.get(plan=plan, number=1).tree
    indicators = [
        i
        for p in tree["priorities"]
        for i in [
            *p["indicators"],
            *(i for r in p["results"] for i in r["indicators"]),
            *(i for r in p["results"] for d in r["deliverables"] for i in d["indicators"]),
        ]
    ]
    assert sorted(i["code"] for i in indicators) == sorted(i["code"] for i in stored["indicators"])
    assert all({"name", "unit", "targets"} <= set(i) for i in indicators)
    same = client.get(f"/api/v1/plans/{PLAN_CODE}/versions/1/tree/").json()
    assert same == tree == client.get(f"/api/v1/plans/{PLAN_CODE}/tree/?version=1").json()


def test_a_tree_is_built_with_the_same_queries_whatever_its_size(plan: Plan, planner: User) -> None:
    draft = revision_open(plan=plan, actor=planner)
    bigger = json.loads(json.dumps(draft.tree))
    for priority in bigger["priorities"]:
        for result in priority["results"]:
            result["deliverables"] = [
                {**d, "code": f"{d['code']}{suffix}"}
                for d in result["deliverables"]
                for suffix in ("", "-b", "-c")
            ]
    PlanVersion.objects.filter(pk=draft.pk).update(tree=bigger)
    small = _queries(planner, f"/api/v1/plans/{PLAN_CODE}/versions/1/tree/")
    big = _fresh(planner)
    with CaptureQueriesContext(connection) as context:
        response = big.get(f"/api/v1/plans/{PLAN_CODE}/versions/{draft.number}/tree/")
    assert response.status_code == 200
    codes = [
        d["code"]
        for p in response.json()["priorities"]
        for r in p["results"]
        for d in r["deliverables"]
    ]
    assert len(codes) == 3 * Deliverable.objects.filter(plan=plan).count()
    assert len(context) == small <= 6


def test_a_tree_naming_entities_by_code_alone_is_served_in_the_one_shape(
    plan: Plan, planner: User
) -> None:
    """A plan file may name an entity by its code alone and leave out optional keys."""
    draft = revision_open(plan=plan, actor=planner)
    tree = json.loads(json.dumps(draft.tree))
    first = tree["priorities"][0]["results"][0]["deliverables"][0]
    first["lead_entities"] = ["minusca"]
    for key in ("supporting_entities", "oversight_entities", "markers"):
        first.pop(key, None)
    for indicator in tree["indicators"]:
        indicator.pop("direction", None)
    PlanVersion.objects.filter(pk=draft.pk).update(tree=tree)
    response = _fresh(planner).get(f"/api/v1/plans/{PLAN_CODE}/versions/{draft.number}/tree/")
    assert response.status_code == 200, response.content
    served = response.json()["priorities"][0]["results"][0]["deliverables"][0]
    assert served["lead_entities"] == [{"entity": "minusca", "scope": "", "level": ""}]
    assert served["supporting_entities"] == served["markers"] == []


def test_a_version_that_is_not_a_number_is_a_problem_naming_it(
    plan: Plan, user_with_role: MakeUser, api_client_for: Client
) -> None:
    client = api_client_for(user_with_role(Role.FOCAL_POINT))
    body = _problem(client.get(f"/api/v1/plans/{PLAN_CODE}/tree/?version=one"), 400, "version")
    assert "version" in body["detail"]
    french = client.get(f"/api/v1/plans/{PLAN_CODE}/tree/?version=one", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Indiquez le numéro de la version" in _problem(french, 400, "version")["detail"]
    _problem(client.get(f"/api/v1/plans/{PLAN_CODE}/tree/?version=42"), 404)


# Deliverables ----------------------------------------------------------------------------------


def _codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [d["code"] for d in response.json()["results"]]


def test_deliverables_are_filtered_as_on_the_page(
    plan: Plan, user_with_role: MakeUser, api_client_for: Client
) -> None:
    user = user_with_role(Role.FOCAL_POINT)
    client = api_client_for(user)
    url = f"/api/v1/plans/{PLAN_CODE}/deliverables/?page_size=500"
    entity = Entity.objects.get(code="minusca")
    for query, wanted in [
        ("q=women", selectors.DeliverableFilter(q="women")),
        ("entity=minusca", selectors.DeliverableFilter(entity=entity)),
        ("entity=minusca&role=lead", selectors.DeliverableFilter(entity=entity, role="lead")),
        ("priority=1", selectors.DeliverableFilter(priority=1)),
    ]:
        expected = list(
            selectors.deliverable_search(
                selectors.deliverables_visible_to(user, plan), wanted
            ).values_list("code", flat=True)
        )
        assert expected, query
        assert _codes(client.get(f"{url}&{query}&retired=false")) == expected, query
    by_result = _codes(client.get(f"{url}&result=1.1"))
    assert by_result and all(code.startswith("1.1.") for code in by_result)
    marker = plan.markers.first()
    assert marker is not None
    marked = _codes(client.get(f"{url}&marker={marker.code}"))
    assert marked == list(marker.deliverables.order_by("position").values_list("code", flat=True))
    detail = client.get(f"/api/v1/plans/{PLAN_CODE}/deliverables/1.1.2/").json()
    assert detail["result"] == "1.1" and detail["priority"] == 1 and detail["entities"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("priority=first", "priority"), ("marker=nope", "marker"), ("entity=nowhere", "entity")],
)
def test_bad_deliverable_filters_are_problems_naming_the_filter(
    plan: Plan, user_with_role: MakeUser, api_client_for: Client, query: str, field: str
) -> None:
    client = api_client_for(user_with_role(Role.FOCAL_POINT))
    _problem(client.get(f"/api/v1/plans/{PLAN_CODE}/deliverables/?{query}"), 400, field)


def test_deliverables_of_an_unknown_plan_are_404(
    user_with_role: MakeUser, api_client_for: Client
) -> None:
    client = api_client_for(user_with_role(Role.FOCAL_POINT))
    _problem(client.get("/api/v1/plans/no-such-plan/deliverables/"), 404)
    _problem(client.get(f"/api/v1/plans/{PLAN_CODE}/deliverables/9.9.9/"), 404)


def test_the_deliverable_list_costs_the_same_queries_for_more_rows(
    plan: Plan, planner: User, django_assert_num_queries: Any
) -> None:
    url = f"/api/v1/plans/{PLAN_CODE}/deliverables/?page_size="
    few = _queries(planner, f"{url}5")
    client = _fresh(planner)
    with django_assert_num_queries(few):
        assert len(client.get(f"{url}15").json()["results"]) == 15


# Work plans ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_work_plans_are_read_by_internal_users_only(
    workplans: Plan, user_with_role: MakeUser, api_client_for: Client, role: str
) -> None:
    assignment = Assignment.objects.filter(entity__code="minusca").order_by("pk").first()
    assert assignment is not None
    milestone = Milestone.objects.create(
        assignment=assignment, title="Training held", due_date=dt.date(2023, 3, 1)
    )
    client = api_client_for(user_with_role(role))
    assignments = client.get("/api/v1/assignments/").json()
    milestones = client.get("/api/v1/milestones/").json()
    one = client.get(f"/api/v1/assignments/{assignment.pk}/")
    step = client.get(f"/api/v1/milestones/{milestone.pk}/")
    if role in INTERNAL:
        assert assignments["count"] == Assignment.objects.count()
        assert milestones["count"] == 1
        assert one.json()["entity"] == "minusca"
        assert one.json()["milestones"][0]["title"] == "Training held"
        assert step.json()["deliverable"] == assignment.deliverable.code
    else:
        assert assignments["count"] == milestones["count"] == 0
        _problem(one, 404)
        _problem(step, 404)


def test_an_outsider_sees_no_work_plan(
    workplans: Plan, outsider: User, api_client_for: Client
) -> None:
    client = api_client_for(outsider)
    assert client.get("/api/v1/assignments/").json()["count"] == 0
    assignment = Assignment.objects.order_by("pk").first()
    assert assignment is not None
    _problem(client.get(f"/api/v1/assignments/{assignment.pk}/"), 404)
    _problem(client.get("/api/v1/assignments/not-a-number/"), 404)


def test_assignments_and_milestones_are_filtered(
    workplans: Plan, planner: User, api_client_for: Client
) -> None:
    client = api_client_for(planner)
    minusca = client.get("/api/v1/assignments/?entity=minusca&page_size=500").json()
    assert minusca["count"] == Assignment.objects.filter(entity__code="minusca").count() > 0
    assert {a["entity"] for a in minusca["results"]} == {"minusca"}
    gone = Assignment.objects.filter(entity__code="minusca").order_by("pk").first()
    assert gone is not None
    assignment_remove(assignment=gone, actor=planner)
    inactive = client.get("/api/v1/assignments/?active=false").json()
    assert [a["id"] for a in inactive["results"]] == [gone.pk]
    lead = client.get("/api/v1/assignments/?deliverable=1.1.2&role=lead").json()["results"]
    assert lead and all(a["deliverable"] == "1.1.2" and a["role"] == "lead" for a in lead)
    _problem(client.get("/api/v1/assignments/?role=boss"), 400, "role")
    _problem(client.get("/api/v1/assignments/?active=perhaps"), 400, "active")
    _problem(client.get(f"/api/v1/plans/{PLAN_CODE}/deliverables/?retired=maybe"), 400, "retired")

    kept = Assignment.objects.filter(entity__code="minusca", active=True).order_by("pk").first()
    assert kept is not None
    milestone_save(
        assignment=kept,
        actor=planner,
        title="In H1",
        due_date=dt.date(2023, 3, 1),
        status="done",
        completed_on=dt.date(2023, 3, 2),
    )
    milestone_save(
        assignment=kept,
        actor=planner,
        title="In H2",
        due_date=dt.date(2023, 9, 1),
        status="planned",
    )
    _cycle(workplans, planner, "2023-H1", dt.date(2023, 1, 1))

    def titles(query: str) -> list[str]:
        response = client.get(f"/api/v1/milestones/?{query}")
        assert response.status_code == 200, response.content
        return [m["title"] for m in response.json()["results"]]

    assert titles("cycle=2023-H1") == ["In H1"]
    assert titles("status=planned") == ["In H2"]
    assert titles("due_after=2023-06-01") == ["In H2"]
    assert titles(f"assignment={kept.pk}&entity=minusca") == ["In H1", "In H2"]
    _problem(client.get("/api/v1/milestones/?cycle=1999-H1"), 400, "cycle")
    _problem(client.get("/api/v1/milestones/?status=late"), 400, "status")
    _problem(client.get("/api/v1/milestones/?due_before=yesterday"), 400, "due_before")


def test_work_plan_lists_cost_the_same_queries_for_more_rows(
    workplans: Plan, planner: User, django_assert_num_queries: Any
) -> None:
    for assignment in Assignment.objects.order_by("pk")[:15]:
        assignment.focal_points.add(planner)
        Milestone.objects.create(assignment=assignment, title="Step", due_date=dt.date(2023, 2, 1))
    for url in ("/api/v1/assignments/?page_size=", "/api/v1/milestones/?page_size="):
        few = _queries(planner, f"{url}5")
        client = _fresh(planner)
        with django_assert_num_queries(few):
            assert len(client.get(f"{url}15").json()["results"]) == 15


# Cycles ----------------------------------------------------------------------------------------


def test_cycles_are_read_by_internal_users_only(
    plan: Plan, planner: User, user_with_role: MakeUser, api_client_for: Client
) -> None:
    _cycle(plan, planner, "2023-H1", dt.date(2023, 1, 1))
    internal = api_client_for(user_with_role(Role.REGISTER_OFFICER))
    delegate = api_client_for(user_with_role(Role.MEMBER_STATE_DELEGATE))
    body = internal.get("/api/v1/cycles/2023-H1/").json()
    assert body["plan"] == PLAN_CODE and body["state"] == "planned" and body["version"] == 1
    assert body["period_start"] == "2023-01-01"
    assert internal.get("/api/v1/cycles/").json()["count"] == 1
    assert delegate.get("/api/v1/cycles/").json()["count"] == 0
    _problem(delegate.get("/api/v1/cycles/2023-H1/"), 404)
    _problem(internal.get("/api/v1/cycles/1999-H1/"), 404)
    _problem(internal.get("/api/v1/cycles/?state=forgotten"), 400, "state")


def test_a_cycle_code_in_two_plans_needs_the_plan(
    plan: Plan, planner: User, api_client_for: Client
) -> None:
    other = Plan.objects.create(
        code="other-plan",
        title="Another plan",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    _cycle(plan, planner, "2024-H1", dt.date(2024, 1, 1))
    _cycle(other, planner, "2024-H1", dt.date(2024, 1, 1))
    client = api_client_for(planner)
    _problem(client.get("/api/v1/cycles/2024-H1/"), 400, "plan")
    assert client.get("/api/v1/cycles/2024-H1/?plan=other-plan").json()["plan"] == "other-plan"
    assert client.get("/api/v1/cycles/?plan=other-plan").json()["count"] == 1


def test_the_cycle_list_costs_the_same_queries_for_more_rows(
    plan: Plan, planner: User, django_assert_num_queries: Any
) -> None:
    for n in range(15):
        _cycle(plan, planner, f"c{n}", dt.date(2023, 1, 1) + dt.timedelta(days=n))
    few = _queries(planner, "/api/v1/cycles/?page_size=5")
    client = _fresh(planner)
    with django_assert_num_queries(few):
        assert len(client.get("/api/v1/cycles/?page_size=15").json()["results"]) == 15


# Pages and API agree ---------------------------------------------------------------------------


def test_pages_and_api_agree_on_work_plans_cycles_and_versions(
    workplans: Plan, planner: User, user_with_role: MakeUser, outsider: User
) -> None:
    """Every role and an outsider, each object through the page that shows it and its API
    address: an active and a removed assignment (the entity's work plan), a milestone, a cycle
    (the cycle list), a published version and the draft revision."""
    active = Assignment.objects.filter(entity__code="minusca").order_by("pk").first()
    removed = Assignment.objects.filter(entity__code="monusco").order_by("pk").first()
    assert active is not None and removed is not None
    assignment_remove(assignment=removed, actor=planner)
    milestone = milestone_save(
        assignment=active,
        actor=planner,
        title="Plan agreed",
        due_date=dt.date(2023, 4, 1),
        status="planned",
    )
    planned = _cycle(workplans, planner, "2024-H1", dt.date(2024, 1, 1))
    draft = revision_open(plan=workplans, actor=planner)
    base = f"/plans/{PLAN_CODE}"
    objects = [
        (f"{base}/workplans/minusca/", f"/api/v1/assignments/{active.pk}/"),
        (f"{base}/workplans/monusco/", f"/api/v1/assignments/{removed.pk}/"),
        (f"{base}/workplans/minusca/", f"/api/v1/milestones/{milestone.pk}/"),
        (f"{base}/cycles/", f"/api/v1/cycles/{planned.code}/"),
        (f"{base}/versions/", f"/api/v1/plans/{PLAN_CODE}/versions/1/"),
        (f"{base}/revision/", f"/api/v1/plans/{PLAN_CODE}/versions/{draft.number}/"),
    ]
    users = [("outsider", outsider), *((role, user_with_role(role)) for role in ROLES)]
    rows = [Row(who, user, page, api) for who, user in users for page, api in objects]
    seen = assert_pages_and_api_agree(rows)
    # Internal roles see the five work-plan and cycle objects and the published version, the
    # planners the draft too; the delegate and the outsider the published version only.
    assert seen == 5 * len(INTERNAL) + 2 + 2


# No odd input is a server error ----------------------------------------------------------------

ODD = ["\x00", "a\x00b", "9" * 400, "x" * 5000, "1e309", "NaN", "²", "-1", " 1 ", "' OR 1=1 --"]
LISTS = {
    f"/api/v1/plans/{PLAN_CODE}/deliverables/": [
        "q",
        "priority",
        "result",
        "entity",
        "role",
        "marker",
        "retired",
        "ordering",
        "page",
    ],
    f"/api/v1/plans/{PLAN_CODE}/tree/": ["version"],
    "/api/v1/assignments/": ["plan", "deliverable", "entity", "role", "active", "page_size"],
    "/api/v1/milestones/": [
        "plan",
        "assignment",
        "deliverable",
        "entity",
        "status",
        "due_after",
        "due_before",
        "cycle",
    ],
    "/api/v1/cycles/": ["plan", "state", "kind", "ordering"],
}
DETAILS = [
    "/api/v1/plans/{}/",
    "/api/v1/plans/{}/versions/",
    f"/api/v1/plans/{PLAN_CODE}/deliverables/{{}}/",
    "/api/v1/assignments/{}/",
    "/api/v1/milestones/{}/",
    "/api/v1/cycles/{}/",
]


@pytest.mark.parametrize("odd", ODD)
def test_odd_filters_and_addresses_are_answered_without_a_server_error(
    workplans: Plan, planner: User, odd: str
) -> None:
    client = _fresh(planner)
    for url, keys in LISTS.items():
        for key in keys:
            response = client.get(url, {key: odd})
            assert response.status_code in (200, 400, 404), (url, key, response.content[:300])
            if response.status_code == 400 and "\x00" not in odd:
                # (a NUL is refused before the API by core.middleware.RefuseNulMiddleware)
                _problem(response, 400)
    for address in DETAILS:
        response = client.get(address.format(quote(odd, safe="")))
        assert response.status_code in (200, 400, 404), (address, response.content[:300])
