"""`a4p backup FILE`: the database and the media folder in one archive with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Write the database and the media files into one .tar.gz archive (docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Archive to write, e.g. a4p-2026-12-01.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["file"]
        if not target.parent.is_dir():
            raise CommandError(_("%(folder)s: no such folder.") % {"folder": target.parent})
        try:
            summary = backup_write(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "Backed up the %(engine)s database and %(count)d media files to %(file)s "
                "(%(size)s bytes). The file keys are not in it: keep them apart."
            )
            % {
                "engine": summary.engine,
                "count": summary.media_files,
                "file": target,
                "size": f"{summary.size:,}",
            }
        )
