"""The installed `a4p` command, run as a user would, on a fresh embedded database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def a4p() -> str:
    found = shutil.which("a4p", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the a4p console script is not installed in this environment")
    return found


@pytest.mark.slow
def test_demo_then_export_on_a_fresh_database(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "A4P_DATA_DIR": str(tmp_path),
        "A4P_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "A4P_DEMO": "true",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    demo = subprocess.run(
        [a4p(), "demo"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert demo.returncode == 0, demo.stderr
    assert "Demo log-ins" in demo.stdout and "planner" in demo.stdout
    export = subprocess.run(
        [a4p(), "plan", "export", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert export.returncode == 0, export.stderr
    tree = json.loads(export.stdout)
    deliverables = [d for p in tree["priorities"] for r in p["results"] for d in r["deliverables"]]
    assert len(deliverables) == 71
    assert all(d["lead_text"] and d["lead_entities"] for d in deliverables)
    bad = subprocess.run(
        [a4p(), "plan", "load", str(tmp_path / "missing.yaml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 1
    assert "cannot read the file" in bad.stderr
