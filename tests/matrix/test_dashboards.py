"""The permission matrix of the dashboards and the indicator pages (see
tests/matrix/__init__.py). Both are internal: UN staff in any role, 404 for anyone else."""

from __future__ import annotations

from tests.matrix.table import Args, Probe, Table, matrix_test
from tests.matrix.world import World

# Columns: anonymous outsider planning_unit focal_point reviewer senior_leadership
# member_state_delegate register_officer administrator
INTERNAL = "404 404 200 200 200 200 404 200 200"  # the dashboards are not behind a log-in
SIGNED_INTERNAL = "L 404 200 200 200 200 404 200 200"
ALL_404 = "404 404 404 404 404 404 404 404 404"
SIGNED_IN_404 = "L 404 404 404 404 404 404 404 404"


def with_code(code: str, key: str = "code") -> Args:
    def args(world: World) -> dict[str, object]:
        return {"plan_code": world.code, key: code}

    return args


MATRIX: Table = {
    "dashboard-overview": [
        Probe("page", get=INTERNAL),
        Probe("filtered", get=INTERNAL, query={"priority": "1", "entity": "minusca"}),
        Probe("no such chart's CSV", get=ALL_404, query={"csv": "no-such-chart"}),
    ],
    "dashboard-priority": [
        Probe("1", args=lambda w: {"plan_code": w.code, "number": 1}, get=INTERNAL),
        Probe("99", args=lambda w: {"plan_code": w.code, "number": 99}, get=ALL_404),
    ],
    "dashboard-result": [
        Probe("4.3", args=with_code("4.3"), get=INTERNAL),
        Probe("9.9", args=with_code("9.9"), get=ALL_404),
    ],
    "dashboard-deliverable": [
        Probe("1.1.2", args=with_code("1.1.2"), get=INTERNAL),
        Probe("9.9.9", args=with_code("9.9.9"), get=ALL_404),
    ],
    "dashboard-entities": [Probe("page", get=INTERNAL)],
    "dashboard-scorecard": [
        Probe("MINUSCA", args=with_code("minusca", "entity_code"), get=INTERNAL),
        Probe("unknown", args=with_code("nowhere", "entity_code"), get=ALL_404),
    ],
    "dashboard-indicators": [Probe("page", get=INTERNAL)],
    "dashboard-wps": [Probe("page", get=INTERNAL)],
    "dashboard-obstacles": [Probe("page", get=INTERNAL)],
    "dashboard-registers": [Probe("page", get=INTERNAL)],
    "indicator-tracking": [
        Probe("page", get=SIGNED_INTERNAL),
        Probe("workbook", get=SIGNED_INTERNAL, query={"format": "xlsx", "priority": "1"}),
    ],
    "indicator-detail": [
        Probe("1-a", args=with_code("1-a"), get=SIGNED_INTERNAL, post=SIGNED_INTERNAL),
        Probe("unknown", args=with_code("zz-9"), get=SIGNED_IN_404),
    ],
}

test_matrix = matrix_test(MATRIX)
