"""The permission matrix of the consolidated report: published editions and files, preparation,
preview, build and publish, jobs (see tests/matrix/__init__.py)."""

from __future__ import annotations

from tests.matrix.table import Probe, Table, matrix_test, no_args
from tests.matrix.world import World

# Columns: anonymous outsider planning_unit focal_point reviewer senior_leadership
# member_state_delegate register_officer administrator
PUBLIC = "200 200 200 200 200 200 200 200 200"
ALL_404 = "404 404 404 404 404 404 404 404 404"
SIGNED_IN_404 = "L 404 404 404 404 404 404 404 404"
PREPARERS = "L 404 200 404 404 200 404 404 200"  # the planning unit and leadership
PREPARERS_BACK = "L 404 302 404 404 302 404 404 302"
SIGNED_IN_POST_ONLY = "L 405 405 405 405 405 405 405 405"


def cycle(world: World) -> dict[str, object]:
    return {"plan_code": world.code, "cycle_code": world.cycle.code}


MATRIX: Table = {
    "report-list": [Probe("page", args=no_args, get=PUBLIC)],
    "report-file": [
        Probe(
            "public",
            args=lambda w: {"pk": w.public_file.pk, "filename": w.public_file.filename},
            get=PUBLIC,
        ),
        Probe(
            "internal",
            args=lambda w: {"pk": w.internal_file.pk, "filename": w.internal_file.filename},
            get="404 404 200 200 200 200 404 200 200",
        ),
        Probe(
            "another name",
            args=lambda w: {"pk": w.public_file.pk, "filename": "other.html"},
            get=ALL_404,
        ),
    ],
    # A job is its requester's only (the planning unit's, leadership's).
    "report-job": [
        Probe("own", args=lambda w: {"job": w.job.pk}, get="L 404 200 404 404 404 404 404 404"),
        Probe(
            "leadership's",
            args=lambda w: {"job": w.hidden_job.pk},
            get="L 404 404 404 404 200 404 404 404",
        ),
        Probe("not a job id", args=lambda w: {"job": "x"}, get=SIGNED_IN_404),
    ],
    "report-job-retry": [
        # POST only; the world's jobs did not fail, so even their owner is turned back.
        Probe(
            "own",
            args=lambda w: {"job": w.job.pk},
            get="L 405 405 405 405 405 405 405 405",
            post="L 404 302 404 404 404 404 404 404",
        ),
        Probe(
            "leadership's",
            args=lambda w: {"job": w.hidden_job.pk},
            get="L 405 405 405 405 405 405 405 405",
            post="L 404 404 404 404 302 404 404 404",
        ),
    ],
    "report-job-file": [
        Probe("own", args=lambda w: {"job": w.job.pk}, get="L 404 200 404 404 404 404 404 404"),
        Probe(
            "leadership's",
            args=lambda w: {"job": w.hidden_job.pk},
            get="L 404 404 404 404 200 404 404 404",
        ),
    ],
    "report-prepare": [
        # An empty summary is refused on the page itself.
        Probe("open cycle", args=cycle, get=PREPARERS, post="L 404 200 404 404 404 404 404 200")
    ],
    "report-preview": [
        # The cycle is open: no report yet, the preparers are sent back with the reason.
        Probe("public", args=cycle, get=PREPARERS_BACK),
        Probe("internal", args=cycle, get=PREPARERS_BACK, query={"edition": "internal"}),
        Probe("no such edition", args=cycle, get=SIGNED_IN_404, query={"edition": "x"}),
    ],
    "report-build": [
        Probe(
            "empty form",
            args=cycle,
            get=SIGNED_IN_POST_ONLY,
            post="L 404 302 404 404 302 404 404 302",
        )
    ],
    "report-publish": [
        Probe(
            "empty form",
            args=cycle,
            get=SIGNED_IN_POST_ONLY,
            post="L 404 302 404 404 404 404 404 302",
        )
    ],
}

test_matrix = matrix_test(MATRIX)
