"""No server error on any URL of the reports, registers, indicators and dashboards, whatever the
path arguments and query parameters (see fuzz.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.matrix import test_fuzz_pages
from tests.matrix.fuzz import FUZZ_SETTINGS, no_server_error, requests, url_families
from tests.matrix.world import World

FUZZED_APPS = [f for f in url_families() if f not in test_fuzz_pages.FUZZED_APPS]


def test_every_family_is_fuzzed() -> None:
    assert set(FUZZED_APPS) >= {"dashboards", "indicators", "registers", "reports"}, FUZZED_APPS


@pytest.mark.parametrize("family", FUZZED_APPS)
@FUZZ_SETTINGS
@given(data=st.data())
def test_no_address_is_a_server_error(
    world: World, sessions: dict[str, str], db: None, family: str, data: st.DataObject
) -> None:
    no_server_error(sessions, *data.draw(requests(world, family)))
