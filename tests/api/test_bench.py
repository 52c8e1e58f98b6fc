"""`make bench-api` finds every list endpoint in the URL conf, and its data floor reads the same
rows as the endpoint's page."""

from __future__ import annotations

from collections.abc import Callable

from rest_framework.test import APIClient

from accounts.models import Role, User
from bench.api import floor, list_endpoints


def test_the_benchmark_finds_every_list_endpoint(db: None) -> None:
    found = dict(list_endpoints())
    assert found["entity-list"] == "/api/v1/entities/"
    assert {"mission-list", "member-state-list"} <= set(found)
    assert all(name.endswith("-list") for name in found)
    assert "schema" not in found and len(set(found.values())) == len(found)


def test_the_data_floor_reads_the_rows_of_the_page(
    user_with_role: Callable[[str], User], api_client_for: Callable[..., APIClient]
) -> None:
    user = user_with_role(Role.SENIOR_LEADERSHIP)
    client = api_client_for(user)
    counts = {}
    for name, path in list_endpoints():
        page = client.get(path, {"page_size": 7}).json()
        rows, count = floor(path, user, {"page_size": "7"})
        assert count == page["count"], path
        assert len(rows) == len(page["results"]) == min(7, count), path
        counts[name] = count
    # The reference data are loaded in every test database: those lists are never empty.
    assert counts["entity-list"] > 7 and counts["member-state-list"] > 7, counts
