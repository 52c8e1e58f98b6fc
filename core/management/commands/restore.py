"""`a4p restore FILE`: check an archive of `a4p backup` against its manifest, restore it into an
empty installation, then check the stored files against the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.backup import BackupError, restore_apply, restore_checks, restore_verify


class Command(BaseCommand):
    help = "Restore an archive written by `a4p backup` into an empty database (docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Archive written by `a4p backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        try:
            manifest = restore_verify(source)
            self.stdout.write(
                _("%(file)s: %(count)d members match the manifest (backup of %(date)s).")
                % {"file": source, "count": len(manifest.files), "date": manifest.created_at}
            )
            media = restore_apply(source, manifest)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("Restored the %(engine)s database and %(count)d media files.")
            % {"engine": manifest.engine, "count": media}
        )
        failed = False
        for result in restore_checks():
            if result.problems:
                failed = True
                self.stderr.write(
                    _("%(what)s: %(bad)d of %(count)d wrong:")
                    % {"what": result.what, "bad": len(result.problems), "count": result.checked}
                )
                for problem in result.problems:
                    self.stderr.write(f"  - {problem}")
            else:
                self.stdout.write(
                    _("%(what)s: all %(count)d correct.")
                    % {"what": result.what, "count": result.checked}
                )
        if failed:
            raise CommandError(_("The restore finished, but some stored files are wrong (above)."))
        self.stdout.write(_("Run `a4p migrate` if this version is newer than the backup's."))
