"""The permission matrix of `/api/v1/`'s own pages (the OpenAPI document, its docs, the root) and
of the reference data. Each area's resources are in `test_api_<area>.py`. The matrix signs in on
the session, which the API also takes (tokens are tested in tests/api)."""

from __future__ import annotations

from tests.matrix.table import Probe, Table, matrix_test, no_args

# Columns: anonymous outsider planning_unit focal_point reviewer senior_leadership
# member_state_delegate register_officer administrator
SIGNED_IN = "401 200 200 200 200 200 200 200 200"
PUBLIC = "200 200 200 200 200 200 200 200 200"  # the document describes, it holds no data

MATRIX: Table = {
    "api:api-root": [Probe("root", args=no_args, get=SIGNED_IN)],
    "api:schema": [Probe("document", args=no_args, get=PUBLIC)],
    "api:docs": [Probe("page", args=no_args, get=PUBLIC)],
    "api:entity-list": [Probe("list", args=no_args, get=SIGNED_IN)],
    "api:entity-detail": [Probe("DPO", args=lambda w: {"code": "dpo"}, get=SIGNED_IN)],
    "api:mission-list": [Probe("list", args=no_args, get=SIGNED_IN)],
    "api:mission-detail": [Probe("MINUSCA", args=lambda w: {"code": "minusca"}, get=SIGNED_IN)],
    "api:member-state-list": [Probe("list", args=no_args, get=SIGNED_IN)],
    "api:member-state-detail": [Probe("BGD", args=lambda w: {"iso3": "BGD"}, get=SIGNED_IN)],
}

test_matrix = matrix_test(MATRIX)
