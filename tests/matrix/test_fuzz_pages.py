"""No server error on any URL of the plan, reporting, accounts and language pages, whatever the
path arguments and query parameters (see fuzz.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.matrix.fuzz import FUZZ_SETTINGS, no_server_error, requests
from tests.matrix.world import World

# The apps of the views fuzzed here; test_fuzz_data.py takes the others.
FUZZED_APPS = ["accounts", "django", "plans", "reporting"]


@pytest.mark.parametrize("family", FUZZED_APPS)
@FUZZ_SETTINGS
@given(data=st.data())
def test_no_address_is_a_server_error(
    world: World, sessions: dict[str, str], db: None, family: str, data: st.DataObject
) -> None:
    no_server_error(sessions, *data.draw(requests(world, family)))
