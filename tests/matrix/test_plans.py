"""The permission matrix of the plan, its versions and the work plans (see tests/matrix/__init__.py
for how to read and extend it)."""

from __future__ import annotations

from plans.models import Assignment
from tests.matrix.table import Probe, Table, matrix_test, no_args
from tests.matrix.world import World

# Columns: anonymous outsider planning_unit focal_point reviewer senior_leadership
# member_state_delegate register_officer administrator
PUBLIC = "200 200 200 200 200 200 200 200 200"
ALL_404 = "404 404 404 404 404 404 404 404 404"
SIGNED_IN_404 = "L 404 404 404 404 404 404 404 404"
INTERNAL = "L 404 200 200 200 200 404 200 200"
PLANNER = "L 404 200 404 404 404 404 404 200"
PLANNER_WRITE = "L 404 302 404 404 404 404 404 302"
POST_ONLY = "405 405 405 405 405 405 405 405 405"


def workplan(world: World, **more: object) -> dict[str, object]:
    return {"plan_code": world.code, "entity_code": "minusca", **more}


def other_assignment(world: World) -> Assignment:
    """An assignment of another entity, asked for under MINUSCA's work plan."""
    found = Assignment.objects.exclude(entity__code="minusca").order_by("pk").first()
    assert found is not None
    return found


MATRIX: Table = {
    "home": [Probe("start", args=no_args, get="302 302 302 302 302 302 302 302 302")],
    "plan-overview": [
        Probe("plan", get=PUBLIC),
        Probe("unknown", args=lambda w: {"plan_code": "no-such-plan"}, get=ALL_404),
    ],
    "priority-detail": [
        Probe("1", args=lambda w: {"plan_code": w.code, "number": 1}, get=PUBLIC),
        Probe("99", args=lambda w: {"plan_code": w.code, "number": 99}, get=ALL_404),
    ],
    "result-detail": [
        Probe("4.3", args=lambda w: {"plan_code": w.code, "code": "4.3"}, get=PUBLIC),
        Probe("9.9", args=lambda w: {"plan_code": w.code, "code": "9.9"}, get=ALL_404),
    ],
    "deliverable-list": [
        Probe("all", get=PUBLIC),
        Probe("search", get=PUBLIC, query={"q": "women", "priority": "1", "entity": "minusca"}),
    ],
    "deliverable-detail": [
        Probe("1.1.2", args=lambda w: {"plan_code": w.code, "code": "1.1.2"}, get=PUBLIC),
        Probe("9.9.9", args=lambda w: {"plan_code": w.code, "code": "9.9.9"}, get=ALL_404),
    ],
    "entity-list": [Probe("plan", get=PUBLIC)],
    "plan-versions": [Probe("plan", get=PUBLIC)],
    "plan-diff": [
        Probe("1 to 1", get=PUBLIC, query={"from": "1", "to": "1"}),
        # The plan has one version: nothing to compare by default.
        Probe("default", get=ALL_404),
    ],
    "plan-revision": [
        Probe("open", get=PLANNER, post=PLANNER_WRITE, data={"action": "open"}),
    ],
    "workplan-coverage": [Probe("plan", get=INTERNAL)],
    "entity-workplan": [
        Probe("minusca", args=workplan, get=INTERNAL),
        Probe("a group", args=lambda w: workplan(w, entity_code="g-ousg"), get=SIGNED_IN_404),
    ],
    "assignment-add": [
        Probe(
            "1.1.2",
            args=workplan,
            get=POST_ONLY,
            post=PLANNER_WRITE,
            data={"deliverable": "1.2.1", "role": "support"},
        )
    ],
    "assignment-change": [
        Probe(
            "remove",
            args=lambda w: workplan(w, pk=w.assignment.pk, action="remove"),
            get=POST_ONLY,
            post=PLANNER_WRITE,
        ),
        Probe(
            "another entity's",
            args=lambda w: workplan(w, pk=other_assignment(w).pk, action="remove"),
            get=POST_ONLY,
            post=SIGNED_IN_404,
        ),
    ],
    "milestone-change": [
        Probe(
            "delete",
            args=lambda w: workplan(w, pk=w.assignment.pk, milestone=w.milestone.pk),
            get=POST_ONLY,
            post=PLANNER_WRITE,
            data={"delete": "1"},
        ),
        Probe(
            "under another assignment",
            args=lambda w: workplan(w, pk=other_assignment(w).pk, milestone=w.milestone.pk),
            get=POST_ONLY,
            post=SIGNED_IN_404,
            data={"delete": "1"},
        ),
    ],
}

test_matrix = matrix_test(MATRIX)
