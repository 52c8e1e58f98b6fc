"""The permission matrix of `/api/v1/` for the plan, its versions and deliverables, the work
plans and the reporting cycles (see tests/matrix/__init__.py). The plan is public to every
signed-in token; work plans and cycles are internal, as on their pages. Lists answer 200 with
nothing in them to those who may see none of their rows."""

from __future__ import annotations

from tests.matrix.table import Probe, Table, matrix_test, no_args
from tests.matrix.world import World

# Columns: anonymous outsider planning_unit focal_point reviewer senior_leadership
# member_state_delegate register_officer administrator
SIGNED_IN = "401 200 200 200 200 200 200 200 200"
SIGNED_IN_404 = "401 404 404 404 404 404 404 404 404"
SIGNED_IN_400 = "401 400 400 400 400 400 400 400 400"
INTERNAL = "401 404 200 200 200 200 404 200 200"
INTERNAL_400 = "401 400 200 200 200 200 400 200 200"


def plan(world: World, **more: object) -> dict[str, object]:
    return {"code": world.code, **more}


def deliverables(world: World, **more: object) -> dict[str, object]:
    return {"plan_code": world.code, **more}


MATRIX: Table = {
    "api:plan-list": [Probe("list", args=no_args, get=SIGNED_IN)],
    "api:plan-detail": [
        Probe("plan", args=plan, get=SIGNED_IN),
        Probe("unknown", args=lambda w: {"code": "no-such-plan"}, get=SIGNED_IN_404),
    ],
    "api:plan-versions": [Probe("plan", args=plan, get=SIGNED_IN)],
    "api:plan-version": [
        Probe("1", args=lambda w: plan(w, number=1), get=SIGNED_IN),
        Probe("none such", args=lambda w: plan(w, number=7), get=SIGNED_IN_404),
    ],
    "api:plan-version-tree": [
        Probe("1", args=lambda w: plan(w, number=1), get=SIGNED_IN),
        Probe("none such", args=lambda w: plan(w, number=7), get=SIGNED_IN_404),
    ],
    "api:plan-tree": [
        Probe("in force", args=plan, get=SIGNED_IN),
        Probe("not a number", args=plan, get=SIGNED_IN_400, query={"version": "one"}),
    ],
    "api:plan-deliverable-list": [
        Probe("all", args=deliverables, get=SIGNED_IN),
        Probe(
            "filtered",
            args=deliverables,
            get=SIGNED_IN,
            query={"q": "women", "priority": "1", "entity": "minusca", "role": "lead"},
        ),
        Probe("bad marker", args=deliverables, get=SIGNED_IN_400, query={"marker": "nope"}),
    ],
    "api:plan-deliverable-detail": [
        Probe("1.1.2", args=lambda w: deliverables(w, code="1.1.2"), get=SIGNED_IN),
        Probe("9.9.9", args=lambda w: deliverables(w, code="9.9.9"), get=SIGNED_IN_404),
    ],
    "api:assignment-list": [
        Probe("list", args=no_args, get=SIGNED_IN),
        Probe("MINUSCA's", args=no_args, get=SIGNED_IN, query={"entity": "minusca"}),
    ],
    "api:assignment-detail": [
        Probe("MINUSCA 1.1.2", args=lambda w: {"pk": w.assignment.pk}, get=INTERNAL),
        Probe("none such", args=lambda w: {"pk": 10**9}, get=SIGNED_IN_404),
    ],
    "api:milestone-list": [
        Probe("list", args=no_args, get=SIGNED_IN),
        # A cycle is internal: to anyone else there is no such cycle to filter by.
        Probe("in the cycle", args=no_args, get=INTERNAL_400, query={"cycle": "2023-H1"}),
    ],
    "api:milestone-detail": [
        Probe("MINUSCA's", args=lambda w: {"pk": w.milestone.pk}, get=INTERNAL),
        Probe("none such", args=lambda w: {"pk": 10**9}, get=SIGNED_IN_404),
    ],
    "api:cycle-list": [Probe("list", args=no_args, get=SIGNED_IN)],
    "api:cycle-detail": [
        Probe("open", args=lambda w: {"code": w.cycle.code}, get=INTERNAL),
        Probe("unknown", args=lambda w: {"code": "1999-H1"}, get=SIGNED_IN_404),
    ],
}

test_matrix = matrix_test(MATRIX)
