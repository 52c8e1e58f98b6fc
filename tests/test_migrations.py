"""Every model change has its migration, whatever the hash seed orders sets in."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exit_:  # makemigrations --check exits 1 when changes are missing
        pytest.fail(f"models and migrations differ (exit {exit_.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()
