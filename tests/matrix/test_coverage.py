"""Every named URL of the project is in the permission matrix: a URL added without an entry in
the table of its app (or a family) fails here."""

from __future__ import annotations

from accounts.models import Role
from tests.matrix.table import all_tables, url_names
from tests.matrix.world import ROLES


def covered(name: str) -> bool:
    tables, families = all_tables()
    return name in tables or any(name.startswith(f.prefix) for f in families)


def named(name: str) -> bool:
    return bool(name) and not name.endswith(":")


def test_every_url_pattern_is_in_the_matrix() -> None:
    missing = sorted(
        {f"{name} ({route})" for name, route in url_names() if named(name) and not covered(name)}
    )
    assert not missing, "add it to the matrix (tests/matrix/test_<app>.py): " + ", ".join(missing)


def test_every_url_pattern_has_a_name() -> None:
    unnamed = sorted(route for name, route in url_names() if not named(name) and not covered(name))
    assert not unnamed, "give these URL patterns a name, then add them to the matrix: " + ", ".join(
        unnamed
    )


def test_every_entry_of_the_matrix_is_a_url_of_the_project() -> None:
    names = {name for name, _route in url_names()}
    tables, families = all_tables()
    probed = set(tables) | {name for f in families for name in f.probes}
    assert probed <= names, f"not URLs of the project any more: {sorted(probed - names)}"


def test_a_new_pattern_without_an_entry_is_named_in_the_failure() -> None:
    """The check itself can fail: a name outside every table and family is not covered."""
    assert not covered("reporting-new-page")
    assert covered("update-detail")
    assert covered("admin:anything_at_all")
    assert covered("admin:")  # the admin's own unnamed patterns
    assert not covered("")


def test_the_matrix_has_a_column_for_every_role() -> None:
    assert tuple(Role) == ROLES, "a new role needs its column in every expectation line"
