"""The permission matrix of `/api/v1/updates/`: the list, the detail, and the workflow steps
(see tests/matrix/__init__.py). The matrix signs in on the session, which the API takes;
anonymous gets 401. The visible update is MINUSCA's, submitted; the hidden one MONUSCO's draft."""

from __future__ import annotations

from tests.matrix.table import Probe, Table, matrix_test, no_args
from tests.matrix.world import World

# Columns: anonymous outsider planning_unit focal_point reviewer senior_leadership
# member_state_delegate register_officer administrator
SIGNED_IN = "401 200 200 200 200 200 200 200 200"
NOT_ALLOWED = "401 405 405 405 405 405 405 405 405"
SEES_UPDATE = "401 404 200 200 200 200 404 404 200"  # as the update's page: reporting's roles
SEES_HIDDEN = "401 404 200 404 404 200 404 404 200"  # a draft: the planning unit and leadership


def update(world: World) -> dict[str, object]:
    return {"pk": world.update.pk}


def hidden(world: World) -> dict[str, object]:
    return {"pk": world.hidden_update.pk}


MATRIX: Table = {
    "api:update-list": [
        Probe("list", args=no_args, get=SIGNED_IN, post=NOT_ALLOWED),
        Probe("review queue", args=no_args, get=SIGNED_IN, query={"awaiting_review": "true"}),
        Probe(
            "bad filter",
            args=no_args,
            get="401 400 400 400 400 400 400 400 400",
            query={"state": "exploded"},
        ),
    ],
    "api:update-detail": [
        Probe("visible", args=update, get=SEES_UPDATE, post=NOT_ALLOWED),
        Probe("hidden", args=hidden, get=SEES_HIDDEN),
        Probe("missing", args=lambda w: {"pk": 10**9}, get="401 404 404 404 404 404 404 404 404"),
    ],
    # Submitted already: its authors are refused by the workflow (409), who sees it but does not
    # write it gets 403, who does not see it 404.
    "api:update-submit": [
        Probe("visible", args=update, get=NOT_ALLOWED, post="401 404 409 409 403 403 404 404 409"),
        Probe("hidden", args=hidden, get=NOT_ALLOWED, post="401 404 409 404 404 403 404 404 409"),
    ],
    "api:update-return": [
        Probe(
            "no comment", args=update, get=NOT_ALLOWED, post="401 404 400 403 400 403 404 404 400"
        ),
        Probe(
            "hidden draft",
            args=hidden,
            get=NOT_ALLOWED,
            post="401 404 409 404 404 403 404 404 409",
            data={"comment": "Add the figures."},
        ),
    ],
    "api:update-validate": [
        Probe("visible", args=update, get=NOT_ALLOWED, post="401 404 200 403 200 403 404 404 200"),
        Probe(
            "hidden draft", args=hidden, get=NOT_ALLOWED, post="401 404 409 404 404 403 404 404 409"
        ),
    ],
}

test_matrix = matrix_test(MATRIX)
