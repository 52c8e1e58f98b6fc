"""The installed `a4p` command, run as a user would, on a fresh embedded database."""

from __future__ import annotations

import hashlib
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
def test_demo_then_export_back_up_and_restore_on_a_fresh_database(tmp_path: Path) -> None:
    """One demo build (the costliest step of the suite) serves the plan export and the issue's
    acceptance of backups: the demo, backed up, restores into a new data folder with every
    published file's SHA-256 the one recorded at publication."""
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

    # The backup of the demo restores on a fresh install (the file keys, kept apart from
    # backups, copied over when the demo made any), every published file intact.
    archive = tmp_path / "demo.tar.gz"
    backup = subprocess.run(
        [a4p(), "backup", str(archive)], env=env, capture_output=True, text=True, timeout=120
    )
    assert backup.returncode == 0, backup.stderr
    fresh = tmp_path / "fresh-install"
    fresh.mkdir()
    if (tmp_path / "file_keys").exists():
        shutil.copy(tmp_path / "file_keys", fresh / "file_keys")
    fresh_env = {
        **env,
        "A4P_DATA_DIR": str(fresh),
        "A4P_DATABASE_URL": f"sqlite:///{fresh / 'a4p.sqlite3'}",
    }
    restore = subprocess.run(
        [a4p(), "restore", str(archive)], env=fresh_env, capture_output=True, text=True, timeout=120
    )
    assert restore.returncode == 0, restore.stderr
    recorded = subprocess.run(
        [
            a4p(),
            "shell",
            "--no-imports",
            "-c",
            "import json, sys; from reports.models import PublishedFile as F; "
            "sys.stdout.write(json.dumps(dict(F.objects.values_list('file', 'sha256'))))",
        ],
        env=fresh_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert recorded.returncode == 0, recorded.stderr
    published = json.loads(recorded.stdout)
    assert published, "the demo publishes editions"
    assert f"Published report files: all {len(published)} correct." in restore.stdout
    for name, sha256 in published.items():
        assert hashlib.sha256((fresh / "media" / name).read_bytes()).hexdigest() == sha256
