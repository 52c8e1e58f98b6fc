"""`a4p backup` and `a4p restore`: a round trip of a small installation through the commands, run
as a user would, and the refusals of a damaged archive or a database that is not empty."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


# --- Archives made by hand: what a restore refuses before writing anything ---------------------


def make_archive(
    path: Path,
    members: dict[str, bytes],
    *,
    listed: dict[str, bytes] | None = None,
    manifest: bool = True,
    engine: str = "sqlite",
) -> Path:
    """An archive holding `members`, with a manifest of `listed` (default: the members)."""
    listed = members if listed is None else listed
    with tarfile.open(path, "w:gz") as archive:
        entries = dict(members)
        if manifest:
            entries["manifest.json"] = json.dumps(
                {
                    "format": 1,
                    "created_at": "2026-12-01T00:00:00+00:00",
                    "database": {"engine": engine, "member": DATABASE_MEMBER[engine]},
                    "files": {
                        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                        for name, data in listed.items()
                    },
                }
            ).encode()
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
GOOD = {"database.sqlite3": b"SQLite format 3\x00", "media/evidence/1/2/a.txt": b"evidence"}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.mark.parametrize(
    ("members", "listed", "message"),
    [
        (
            {**GOOD, "media/evidence/1/2/a.txt": b"evidencE"},
            GOOD,
            "media/evidence/1/2/a.txt does not match its SHA-256",
        ),
        (GOOD, {**GOOD, "media/reports/ab/x.pdf": b"%PDF"}, "media/reports/ab/x.pdf is listed"),
        ({**GOOD, "media/planted.html": b"<script>"}, GOOD, "media/planted.html is not listed"),
        ({**GOOD, "../etc/cron.d/x": b"x"}, GOOD, "unexpected member ../etc/cron.d/x"),
        ({"media/a.txt": b"a"}, None, "the database is missing"),
    ],
)
@pytest.mark.django_db
def test_a_damaged_or_altered_archive_is_refused_before_anything_is_written(
    tmp_path: Path,
    media: Path,
    members: dict[str, bytes],
    listed: dict[str, bytes] | None,
    message: str,
) -> None:
    archive = make_archive(tmp_path / "backup.tar.gz", members, listed=listed)
    with pytest.raises(CommandError, match="does not match its manifest") as refused:
        call_command("restore", str(archive))
    assert message in str(refused.value)
    assert "nothing was restored" in str(refused.value)
    assert not media.exists()


@pytest.mark.django_db
def test_what_is_not_a_backup_is_refused_with_a_clear_message(tmp_path: Path, media: Path) -> None:
    with pytest.raises(CommandError, match="no manifest"):
        call_command("restore", str(make_archive(tmp_path / "a.tar.gz", GOOD, manifest=False)))
    (tmp_path / "b.tar.gz").write_bytes(b"not an archive at all")
    with pytest.raises(CommandError, match="is not a readable backup archive"):
        call_command("restore", str(tmp_path / "b.tar.gz"))
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
    unreadable = make_archive(
        tmp_path / "c.tar.gz", {**GOOD, "manifest.json": b"{not json"}, manifest=False
    )
    with pytest.raises(CommandError, match=r"its manifest is not one .* nothing was restored"):
        call_command("restore", str(unreadable))
    assert not media.exists()


@pytest.mark.django_db
def test_a_good_archive_is_not_restored_over_a_database_with_data(
    tmp_path: Path, media: Path
) -> None:
    # An archive of this installation's own engine, so that only the data stand in the way.
    engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    members = {DATABASE_MEMBER[engine]: b"database", "media/evidence/1/2/a.txt": b"evidence"}
    archive = make_archive(tmp_path / "backup.tar.gz", members, engine=engine)
    with pytest.raises(CommandError, match="The database is not empty") as refused:
        call_command("restore", str(archive))
    assert "core_entity" in str(refused.value)  # the reference data the suite loads
    assert not media.exists()


@pytest.mark.django_db
def test_a_backup_is_not_taken_inside_a_transaction(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="inside a database transaction"):
        call_command("backup", str(tmp_path / "backup.tar.gz"))
    assert list(tmp_path.iterdir()) == []


# --- The round trip, through the installed command ------------------------------------------------


def a4p() -> str:
    found = shutil.which("a4p", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the a4p console script is not installed in this environment")
    return found


@dataclass
class Site:
    """An installation: its data folder and database."""

    data: Path
    url: str

    def env(self) -> dict[str, str]:
        self.data.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "A4P_DATA_DIR": str(self.data),
            "A4P_DATABASE_URL": self.url,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        return env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args),
            env=self.env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


def round_trip(source: Site, target: Site, archive: Path) -> None:
    seeded = source.run(sys.executable, "-m", "tests.core.backup_seed")
    assert seeded.returncode == 0, seeded.stderr
    stored = json.loads(seeded.stdout.strip().splitlines()[-1])
    assert len(stored["published"]) == 8 and len(stored["evidence"]) == 1

    backup = source.run(a4p(), "backup", str(archive))
    assert backup.returncode == 0, backup.stderr
    assert "9 media files" in backup.stdout

    # A damaged copy is refused, and the target stays empty.
    damaged = archive.with_name("damaged.tar.gz")
    damaged.write_bytes(archive.read_bytes()[:-400] + bytes(400))
    refused = target.run(a4p(), "restore", str(damaged))
    assert refused.returncode != 0
    assert "nothing was restored" in refused.stderr
    assert not (target.data / "media").exists()

    restore = target.run(a4p(), "restore", str(archive))
    assert restore.returncode == 0, restore.stderr
    assert "Published report files: all 8 correct." in restore.stdout
    assert "Evidence files: all 1 correct." in restore.stdout
    for name, sha256 in stored["published"].items():
        assert hashlib.sha256((target.data / "media" / name).read_bytes()).hexdigest() == sha256
    check = target.run(
        a4p(),
        "shell",
        "--no-imports",
        "-c",
        "from reporting.models import Evidence; e = Evidence.objects.get(); "
        "import sys; sys.stdout.write(e.file.name + '|' + e.file.read().decode())",
    )
    assert check.returncode == 0, check.stderr
    name, text = check.stdout.split("|", 1)
    assert stored["evidence"] == {name: text}
    # Restored as stored: encrypted at rest, opened with the same file keys.
    assert text.encode() not in (target.data / "media" / name).read_bytes()

    again = target.run(a4p(), "restore", str(archive))
    assert again.returncode != 0
    assert "The database is not empty" in again.stderr


@pytest.mark.slow
def test_backup_and_restore_round_trip_on_sqlite(tmp_path: Path) -> None:
    source = Site(tmp_path / "a", f"sqlite:///{tmp_path / 'a' / 'a4p.sqlite3'}")
    target = Site(tmp_path / "b", f"sqlite:///{tmp_path / 'b' / 'a4p.sqlite3'}")
    round_trip(source, target, tmp_path / "a4p-backup.tar.gz")


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str]]:
    url = os.environ.get("A4P_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("A4P_DATABASE_URL is not a PostgreSQL database")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed")
    suffix = uuid.uuid4().hex[:8]
    names = (f"a4p_backup_a_{suffix}", f"a4p_backup_b_{suffix}")
    server = psycopg.connect(url, autocommit=True)
    try:
        for name in names:
            server.execute(f'CREATE DATABASE "{name}"')
        base = url.split("?", 1)[0].rsplit("/", 1)[0]
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        for name in names:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


@pytest.mark.slow
def test_backup_and_restore_round_trip_on_postgresql(
    tmp_path: Path, pg_databases: tuple[str, str]
) -> None:
    source_url, target_url = pg_databases
    target = Site(tmp_path / "b", target_url)
    migrated = target.run(a4p(), "migrate", "-v0")  # an empty database, as `a4p migrate` leaves it
    assert migrated.returncode == 0, migrated.stderr
    round_trip(Site(tmp_path / "a", source_url), target, tmp_path / "a4p-backup.tar.gz")
