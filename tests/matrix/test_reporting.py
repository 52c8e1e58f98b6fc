"""The permission matrix of progress reporting: my work, cycles, the offline workbook, updates,
their evidence and actions, obstacles, notifications (see tests/matrix/__init__.py)."""

from __future__ import annotations

from tests.matrix.table import Probe, Table, matrix_test, no_args
from tests.matrix.world import World

# Columns: anonymous outsider planning_unit focal_point reviewer senior_leadership
# member_state_delegate register_officer administrator
SIGNED_IN = "L 200 200 200 200 200 200 200 200"
SIGNED_IN_404 = "L 404 404 404 404 404 404 404 404"
INTERNAL = "L 404 200 200 200 200 404 200 200"
ALL_UPDATES = "L 404 200 404 404 200 404 404 200"  # the planning unit and leadership
REPORTING = "L 404 200 200 200 200 404 404 200"  # who takes part in reporting
PLANNER_WRITE = "L 404 302 404 404 404 404 404 302"
POST_ONLY = "405 405 405 405 405 405 405 405 405"
# The visible update is MINUSCA's, submitted: its focal point, its reviewer, the planning unit
# and leadership see it. The hidden one is MONUSCO's draft.
SEES_UPDATE = REPORTING
SEES_HIDDEN = ALL_UPDATES


def cycle(world: World, **more: object) -> dict[str, object]:
    return {"plan_code": world.code, "cycle_code": world.cycle.code, **more}


def update(world: World, **more: object) -> dict[str, object]:
    return {"pk": world.update.pk, **more}


def hidden(world: World, **more: object) -> dict[str, object]:
    return {"pk": world.hidden_update.pk, **more}


MATRIX: Table = {
    "my-work": [Probe("page", args=no_args, get=SIGNED_IN)],
    "notifications": [
        Probe("page", args=no_args, get=SIGNED_IN, post="L 302 302 302 302 302 302 302 302")
    ],
    "cycle-list": [Probe("plan", get=INTERNAL, post="L 404 200 404 404 404 404 404 200")],
    "cycle-board": [
        Probe("open cycle", args=cycle, get=ALL_UPDATES),
        Probe("unknown", args=lambda w: cycle(w, cycle_code="1999-H1"), get=SIGNED_IN_404),
    ],
    "cycle-step": [
        Probe("close", args=lambda w: cycle(w, step="close"), get=POST_ONLY, post=PLANNER_WRITE),
        Probe(
            "no such step",
            args=lambda w: cycle(w, step="explode"),
            get=POST_ONLY,
            post=SIGNED_IN_404,
        ),
    ],
    "cycle-xlsx-download": [
        Probe(
            "MINUSCA",
            args=lambda w: cycle(w, entity_code="minusca"),
            get="L 404 200 200 404 404 404 404 200",
            post="L 405 405 405 405 405 405 405 405",
        ),
        Probe(
            "MONUSCO",
            args=lambda w: cycle(w, entity_code="monusco"),
            get="L 404 200 404 404 404 404 404 200",
        ),
    ],
    "cycle-xlsx-upload": [
        Probe(
            "MINUSCA",
            args=lambda w: cycle(w, entity_code="minusca"),
            get="L 404 200 200 404 404 404 404 200",
            post="L 404 400 400 404 404 404 404 400",
        ),
        Probe(
            "MONUSCO",
            args=lambda w: cycle(w, entity_code="monusco"),
            get="L 404 200 404 404 404 404 404 200",
            post="L 404 400 404 404 404 404 404 400",
        ),
    ],
    "obstacles": [Probe("plan", get=REPORTING)],
    "update-detail": [
        Probe("visible", args=update, get=SEES_UPDATE),
        Probe("hidden", args=hidden, get=SEES_HIDDEN),
        Probe("missing", args=lambda w: {"pk": 10**9}, get=SIGNED_IN_404),
    ],
    "update-edit": [
        # Submitted: nobody edits it; who sees it is sent back to its page.
        Probe(
            "visible",
            args=update,
            get="L 404 302 302 302 302 404 404 302",
            post="L 404 302 302 302 302 404 404 302",
        ),
        Probe(
            "hidden",
            args=hidden,
            # A draft: the planning unit may write it (and re-sees the form for an empty post).
            get="L 404 200 404 404 302 404 404 200",
            post="L 404 200 404 404 302 404 404 200",
        ),
    ],
    "evidence-add": [
        Probe("visible", args=update, get=POST_ONLY, post="L 404 400 400 400 400 404 404 400"),
        Probe("hidden", args=hidden, get=POST_ONLY, post="L 404 400 404 404 400 404 404 400"),
    ],
    "evidence-download": [
        Probe("visible", args=lambda w: update(w, evidence=w.evidence.pk), get=SEES_UPDATE),
        Probe("hidden", args=lambda w: hidden(w, evidence=w.hidden_evidence.pk), get=SEES_HIDDEN),
        Probe(
            "of another update",
            args=lambda w: update(w, evidence=w.hidden_evidence.pk),
            get=SIGNED_IN_404,
        ),
    ],
    "evidence-delete": [
        Probe(
            "visible",
            args=lambda w: update(w, evidence=w.evidence.pk),
            get=POST_ONLY,
            post="L 404 302 302 302 302 404 404 302",
        ),
        Probe(
            "hidden",
            args=lambda w: hidden(w, evidence=w.hidden_evidence.pk),
            get=POST_ONLY,
            post="L 404 302 404 404 302 404 404 302",
        ),
    ],
    "update-action": [
        Probe(
            "return, no comment",
            args=lambda w: update(w, action="return"),
            get=POST_ONLY,
            post="L 404 400 400 400 400 404 404 400",
        ),
        Probe(
            "validate the hidden",
            args=lambda w: hidden(w, action="validate"),
            get=POST_ONLY,
            # A draft is not validated: the refusal is a message on the update's page.
            post="L 404 302 404 404 302 404 404 302",
        ),
        Probe(
            "no such action",
            args=lambda w: update(w, action="explode"),
            get=POST_ONLY,
            post=SIGNED_IN_404,
        ),
    ],
}

test_matrix = matrix_test(MATRIX)
