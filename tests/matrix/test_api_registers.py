"""The permission matrix of the registers through `/api/v1/registers/…` (the same gate as the
register's pages: tests/matrix/test_registers.py) and of the personal API tokens' pages. The
matrix signs in on the session, which the API takes; anonymous gets 401 from the API."""

from __future__ import annotations

from tests.matrix.table import Probe, Table, matrix_test, no_args
from tests.matrix.world import World

# Columns: anonymous outsider planning_unit focal_point reviewer senior_leadership
# member_state_delegate register_officer administrator
SIGNED_IN_404 = "401 404 404 404 404 404 404 404 404"
# As the case pages: MINUSCA's focal point, leadership at HQ, the delegate (its State's), the
# register officer at HQ and the administrator read the visible case (MINUSCA's, Bangladeshi).
CASE_READERS = "401 404 404 200 404 200 200 200 200"
SEES_HIDDEN = "401 404 404 404 404 200 404 200 200"  # MINUSMA's, a Nepalese victim
# Only the register officer records a case; an empty record is refused, naming its fields.
RECORDS = "401 404 404 404 404 404 404 400 404"
STATISTICS = "401 404 200 200 404 200 200 200 200"
# The tokens' pages: every signed-in user manages their own.
OWN = "L 200 200 200 200 200 200 200 200"


def case(world: World) -> dict[str, object]:
    return {"pk": world.case.pk}


def hidden(world: World) -> dict[str, object]:
    return {"pk": world.hidden_case.pk}


MATRIX: Table = {
    "api:register-crimes-cases-list": [
        Probe("list", args=no_args, get=CASE_READERS, post=RECORDS),
        Probe(
            "filtered",
            args=no_args,
            get=CASE_READERS,
            query={"mission": "minusca", "year": "2022", "status": "reported", "state": "BGD"},
        ),
        Probe(
            "bad filter",
            args=no_args,
            get="401 404 404 400 404 400 400 400 400",
            query={"year": "soon"},
        ),
    ],
    "api:register-crimes-cases-detail": [
        Probe("visible", args=case, get=CASE_READERS),
        Probe("hidden", args=hidden, get=SEES_HIDDEN),
        Probe("missing", args=lambda w: {"pk": 10**9}, get=SIGNED_IN_404),
    ],
    "api:register-crimes-statistics-list": [Probe("all", args=no_args, get=STATISTICS)],
    "token-list": [Probe("own", args=no_args, get=OWN)],
    "token-new": [Probe("form", args=no_args, get=OWN, post=OWN)],
    "token-revoke": [
        Probe(
            "missing",
            args=lambda w: {"pk": 10**9},
            get="L 405 405 405 405 405 405 405 405",
            post="L 404 404 404 404 404 404 404 404",
        )
    ],
}

test_matrix = matrix_test(MATRIX)
