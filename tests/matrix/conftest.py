"""The world of the matrix and fuzz tests: built once per module inside a transaction that is
rolled back when the module is done (see world.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from tests.matrix.table import sessions_for
from tests.matrix.world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        block.__exit__(None, None, None)


@pytest.fixture(scope="module")
def sessions(world: World, django_db_blocker: Any) -> dict[str, str]:
    with django_db_blocker.unblock():
        return sessions_for(world)
