"""The OpenAPI document tells the truth: every operation of `/api/v1/` (whatever resources the URL
conf holds) is called by schemathesis with generated parameters and bodies, as a planner and as a
Member State delegate, and every answer must be documented (status code, content type, body
schema, headers) and never a 5xx. The document itself must validate with no warning.

Bounded for the fast suite: `A4P_SCHEMATHESIS_EXAMPLES` examples (default 10) per operation, per
generation mode (valid and invalid data) and per role; raise it for a deeper run, e.g.
`A4P_SCHEMATHESIS_EXAMPLES=200 pytest tests/api/test_schemathesis.py`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from tests.api.openapi import (
    EXAMPLES,
    load_schema,
    operations_of,
    run_known_objects,
    run_operation,
    wsgi_in_test_transaction,
)


@pytest.fixture
def in_process_api(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The WSGI app called in this process sees the test's transaction; the throttles stay out
    of the way of a few hundred requests (they have their own tests)."""
    monkeypatch.setattr(
        "rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES",
        {"token": "1000000/hour", "address": "1000000/hour"},
    )
    with wsgi_in_test_transaction():
        yield


def test_the_openapi_document_validates_with_no_warning(db: None, tmp_path: Any) -> None:
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    document = target.read_text()
    assert "/api/v1/entities/" in document
    assert "application/problem+json" in document and "tokenAuth" in document


def test_every_error_status_is_a_declared_problem_document(db: None) -> None:
    operations = operations_of(load_schema())
    assert operations, "no operation found in the OpenAPI document"
    for operation in operations:
        responses = operation.definition.raw["responses"]
        for code in ("401", "403", "404", "429"):
            content = responses.get(code, {}).get("content", {})
            assert "application/problem+json" in content, f"{operation.label}: {code}"


@pytest.mark.parametrize("role", [Role.PLANNING_UNIT, Role.MEMBER_STATE_DELEGATE])
def test_every_operation_answers_as_its_document_says(
    role: str, user_with_role: Callable[[str], User], in_process_api: None
) -> None:
    user = user_with_role(role)
    schema = load_schema()
    operations = operations_of(schema)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    for operation in operations:
        failures += run_operation(operation, user, statuses, examples=EXAMPLES)
    failures += run_known_objects(schema, user, statuses)
    assert not failures, "\n\n".join(failures)
    # The run reached real answers, not only refusals: lists and known objects are 200.
    assert statuses[200] >= len([o for o in operations if o.method.upper() == "GET"]), statuses
    assert sum(statuses.values()) >= len(operations) * 2, statuses
