"""The permission matrix of the crimes register, its statistics and the Member
State portal (see tests/matrix/__init__.py)."""

from __future__ import annotations

from tests.matrix.table import Probe, Table, matrix_test, no_args
from tests.matrix.world import World

# Columns: anonymous outsider planning_unit focal_point reviewer senior_leadership
# member_state_delegate register_officer administrator
SIGNED_IN_404 = "L 404 404 404 404 404 404 404 404"
# Who reads cases: MINUSCA's focal point (its mission's), leadership at HQ, the delegate (its
# State's), the register officer at HQ, the administrator. The planning unit sees aggregates.
CASE_READERS = "L 404 404 200 404 200 200 200 200"
# The visible case is MINUSCA's with a Bangladeshi victim; the hidden one MINUSMA's, Nepalese.
SEES_CASE = CASE_READERS
SEES_HIDDEN = "L 404 404 404 404 200 404 200 200"
EDITOR = "L 404 404 404 404 404 404 200 404"  # the register officer at HQ
# Statistics: of every case for the planning unit, of the cases each reads for the others.
STATISTICS = "L 404 200 200 404 200 200 200 200"
DELEGATE = "L 404 404 404 404 404 200 404 404"


def case(world: World) -> dict[str, object]:
    return {"pk": world.case.pk}


def hidden(world: World) -> dict[str, object]:
    return {"pk": world.hidden_case.pk}


MATRIX: Table = {
    "register-home": [Probe("page", args=no_args, get="L 404 302 302 404 302 302 302 302")],
    "register-cases": [
        Probe("list", args=no_args, get=CASE_READERS),
        Probe(
            "filtered",
            args=no_args,
            get=CASE_READERS,
            query={"mission": "minusca", "year": "2022", "status": "open", "state": "BGD"},
        ),
    ],
    "register-cases-export": [Probe("all", args=no_args, get=CASE_READERS)],
    "register-case-new": [
        Probe("form", args=no_args, get=EDITOR, post="L 404 404 404 404 404 404 200 404")
    ],
    "register-statistics": [Probe("page", args=no_args, get=STATISTICS)],
    "register-statistics-csv": [
        Probe("by year", args=lambda w: {"table": "by-year"}, get=STATISTICS),
        Probe("no such table", args=lambda w: {"table": "by-secret"}, get=SIGNED_IN_404),
    ],
    "register-case": [
        Probe("visible", args=case, get=SEES_CASE),
        Probe("hidden", args=hidden, get=SEES_HIDDEN),
        Probe("missing", args=lambda w: {"pk": 10**9}, get=SIGNED_IN_404),
    ],
    "register-case-export": [
        Probe("visible", args=case, get=SEES_CASE),
        Probe("hidden", args=hidden, get=SEES_HIDDEN),
    ],
    "register-case-edit": [
        Probe("visible", args=case, get=EDITOR, post=EDITOR),
        Probe("hidden", args=hidden, get=EDITOR, post=EDITOR),
    ],
    "register-case-add": [
        Probe(
            "status",
            args=lambda w: {"pk": w.case.pk, "part": "status"},
            get="L 405 405 405 405 405 405 405 405",
            post="L 404 404 404 404 404 404 400 404",
        ),
        Probe(
            "no such part",
            args=lambda w: {"pk": w.case.pk, "part": "secret"},
            get="L 405 405 405 405 405 405 405 405",
            post=SIGNED_IN_404,
        ),
    ],
    "portal": [Probe("page", args=no_args, get=DELEGATE)],
    "register-portal": [Probe("page", args=no_args, get=DELEGATE)],
    "register-portal-csv": [
        Probe("by year", args=lambda w: {"table": "by-year"}, get=DELEGATE),
        Probe("not a portal table", args=lambda w: {"table": "by-nationality"}, get=SIGNED_IN_404),
    ],
}

test_matrix = matrix_test(MATRIX)
