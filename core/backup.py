"""One archive holding a whole installation — the database and the media folder — with a manifest
of the SHA-256 of every member, and its restore into an empty installation.

The archive is a tar.gz: `database.sqlite3` (SQLite's online backup API, consistent while the app
runs) or `database.pgdump` (`pg_dump --format=custom`), the files of MEDIA_ROOT under `media/`,
and `manifest.json` last (its hashes are taken from the very bytes written). A restore reads the
whole archive and checks every member against the manifest before it writes anything.

Apps that own stored files register a check run after a restore (`register_restore_check`):
the reports check every published file's SHA-256 against the database, reporting checks that
every evidence file opens (so the file keys are the right ones)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
# Filled by `migrate` on any new database: a database holding only these is empty.
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore refused, with a message saying why; nothing was written."""


@dataclass
class CheckResult:
    what: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)


RestoreCheck = Callable[[], CheckResult]
_checks: list[RestoreCheck] = []


def register_restore_check(check: RestoreCheck) -> None:
    """`check()` runs after a restore and says how many stored things it checked and which are
    wrong."""
    if check not in _checks:
        _checks.append(check)


@dataclass(frozen=True)
class BackupSummary:
    engine: str
    media_files: int
    size: int


# --- Backup --------------------------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """A file read through once, hashing what is read."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL; this database is %(vendor)s.")
            % {"vendor": vendor}
        )
    return vendor


def _pg_env() -> dict[str, str]:
    """libpq's variables from the configured database: no password on a command line."""
    conf = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(conf["NAME"])}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if conf.get(key):
            env[var] = str(conf[key])
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            _("%(program)s is not installed; it is needed for PostgreSQL backups.")
            % {"program": command[0]}
        )
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": done.stderr.strip() or done.returncode}
        )


def _dump_database(engine: str, target: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
            _pg_env(),
        )


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield f"{MEDIA}/{path.relative_to(root).as_posix()}", path


def _add(archive: tarfile.TarFile, member: str, path: Path, files: dict[str, Any]) -> None:
    info = archive.gettarinfo(str(path), arcname=member)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        hashing = _Hashing(handle)
        archive.addfile(info, hashing)
    files[member] = {"sha256": hashing.sha256.hexdigest(), "size": info.size}


def backup_write(target: Path) -> BackupSummary:
    """Write the archive to `target` (through a temporary file: never half an archive)."""
    engine = _engine()
    if connection.in_atomic_block:
        # SQLite's backup would wait forever for this connection's own transaction.
        raise BackupError(_("A backup cannot be taken inside a database transaction."))
    target = target.resolve()
    partial = target.with_name(f".{target.name}.partial")
    files: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="a4p-backup-") as work:
        dump = Path(work) / DATABASE_MEMBERS[engine]
        _dump_database(engine, dump)
        try:
            with tarfile.open(partial, "w:gz") as archive:
                _add(archive, DATABASE_MEMBERS[engine], dump, files)
                for member, path in _media_files(Path(settings.MEDIA_ROOT)):
                    _add(archive, member, path, files)
                manifest = json.dumps(
                    {
                        "format": FORMAT,
                        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                        "database": {"engine": engine, "member": DATABASE_MEMBERS[engine]},
                        "files": files,
                    },
                    indent=1,
                    sort_keys=True,
                ).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(manifest)
                info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
                archive.addfile(info, io.BytesIO(manifest))
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    media = sum(1 for name in files if name.startswith(f"{MEDIA}/"))
    return BackupSummary(engine=engine, media_files=media, size=target.stat().st_size)


# --- Restore -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    engine: str
    database: str
    files: dict[str, str]  # member -> SHA-256
    created_at: str


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return False
    return name in (MANIFEST, *DATABASE_MEMBERS.values()) or path.parts[0] == MEDIA


def _read_manifest(data: bytes, where: Path) -> Manifest:
    try:
        raw = json.loads(data)
        engine = raw["database"]["engine"]
        files = {name: entry["sha256"] for name, entry in raw["files"].items()}
        if raw["format"] != FORMAT or engine not in DATABASE_MEMBERS:
            raise ValueError
        return Manifest(
            engine=engine,
            database=raw["database"]["member"],
            files=files,
            created_at=str(raw.get("created_at", "")),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BackupError(
            _(
                "%(file)s: its manifest is not one this version of A4P+ Monitor reads; nothing "
                "was restored."
            )
            % {"file": where}
        ) from None


def restore_verify(source: Path) -> Manifest:
    """Read the whole archive and check every member against the manifest. Raises BackupError
    naming what is wrong; reads only."""
    seen: dict[str, str] = {}
    manifest_data: bytes | None = None
    problems: list[str] = []
    try:
        with tarfile.open(source, "r:gz") as archive:
            for info in archive:
                if not info.isfile() or not _safe_member(info.name):
                    problems.append(_("unexpected member %(name)s") % {"name": info.name})
                    continue
                handle = archive.extractfile(info)
                assert handle is not None
                if info.name == MANIFEST:
                    manifest_data = handle.read()
                    continue
                digest = hashlib.sha256()
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                seen[info.name] = digest.hexdigest()
    except FileNotFoundError:
        raise BackupError(_("%(file)s: no such file.") % {"file": source}) from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(
            _("%(file)s is not a readable backup archive (%(error)s); nothing was restored.")
            % {"file": source, "error": exc}
        ) from None
    if manifest_data is None:
        raise BackupError(
            _("%(file)s has no manifest: it is not an A4P+ Monitor backup; nothing was restored.")
            % {"file": source}
        )
    manifest = _read_manifest(manifest_data, source)
    for name in sorted(set(manifest.files) - set(seen)):
        problems.append(_("%(name)s is listed in the manifest but missing") % {"name": name})
    for name in sorted(set(seen) - set(manifest.files)):
        problems.append(_("%(name)s is not listed in the manifest") % {"name": name})
    for name in sorted(set(seen) & set(manifest.files)):
        if seen[name] != manifest.files[name]:
            problems.append(_("%(name)s does not match its SHA-256") % {"name": name})
    if manifest.database not in seen:
        problems.append(_("the database is missing"))
    if problems:
        shown = "\n".join(f"  - {p}" for p in problems[:20])
        raise BackupError(
            _(
                "%(file)s does not match its manifest (damaged or altered); nothing was "
                "restored:\n%(problems)s"
            )
            % {"file": source, "problems": shown}
        )
    return manifest


def tables_with_rows() -> list[str]:
    """The tables of the configured database that hold data (other than migrate's own)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        full = []
        for table in sorted(set(tables) - BOOKKEEPING_TABLES):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone() is not None:
                full.append(table)
    return full


def _refuse_unless_empty(manifest: Manifest) -> None:
    engine = _engine()
    if engine != manifest.engine:
        raise BackupError(
            _(
                "The archive holds a %(archive)s database and this installation runs on "
                "%(here)s; nothing was restored."
            )
            % {"archive": manifest.engine, "here": engine}
        )
    full = tables_with_rows()
    if full:
        raise BackupError(
            _(
                "The database is not empty (%(tables)s hold rows): a backup is restored only "
                "into an empty database (a new SQLite file or a new PostgreSQL database); "
                "nothing was restored."
            )
            % {"tables": ", ".join(full[:5]) + (", …" if len(full) > 5 else "")}
        )
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(path.is_file() for path in media.rglob("*")):
        raise BackupError(
            _("The media folder %(folder)s is not empty; nothing was restored.") % {"folder": media}
        )


def _restore_database(manifest: Manifest, dump: Path) -> None:
    connection.close()
    if manifest.engine == "sqlite":
        source = sqlite3.connect(dump)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
            connection.close()
    else:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ],
            _pg_env(),
        )


def restore_apply(source: Path, manifest: Manifest) -> int:
    """Restore a verified archive into this (empty) installation: the database, then the media.
    Returns the number of media files written."""
    _refuse_unless_empty(manifest)
    media = Path(settings.MEDIA_ROOT)
    written = 0
    with (
        tempfile.TemporaryDirectory(prefix="a4p-restore-") as work,
        tarfile.open(source, "r:gz") as archive,
    ):
        dump = Path(work) / "database"
        for info in archive:
            handle = archive.extractfile(info)
            if handle is None or info.name == MANIFEST:
                continue
            if info.name == manifest.database:
                with dump.open("wb") as out:
                    shutil.copyfileobj(handle, out, CHUNK)
                _restore_database(manifest, dump)
                continue
            path = media.joinpath(*PurePosixPath(info.name).parts[1:])
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.partial")
            with partial.open("wb") as out:
                shutil.copyfileobj(handle, out, CHUNK)
            os.replace(partial, path)
            written += 1
    return written


def restore_checks() -> list[CheckResult]:
    return [check() for check in _checks]
