"""`a4p import fatalities FILE`: the official UN fatalities data into the register of crimes
against peacekeepers."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from registers.fatalities import FatalitiesFileError, read_fatalities
from registers.services import ImportRejected, fatalities_import

BAR = 30


class Command(BaseCommand):
    help = "Import data into the registers."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="{fatalities}")
        fatalities = kinds.add_parser(
            "fatalities",
            help="UN fatalities file (psdata DPPADPOSS-FATALITIES, CSV): malicious acts become "
            "victims of cases.",
        )
        fatalities.add_argument("file", type=Path)
        fatalities.add_argument(
            "--strict", action="store_true", help="Write nothing if any row is rejected."
        )
        fatalities.add_argument(
            "--check", action="store_true", help="Check the file and report; write nothing."
        )
        fatalities.add_argument(
            "--no-progress", action="store_true", help="No progress bar, even on a terminal."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        show = not options["no_progress"] and sys.stderr.isatty()
        progress = self._bar if show else None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("%(file)s: cannot read (%(reason)s).")
                % {
                    "file": path,
                    "reason": exc.strerror or exc,
                }
            ) from None
        try:
            parsed = read_fatalities(data, progress=progress)
        except FatalitiesFileError as exc:
            self._end_bar(show)
            raise CommandError(
                _("%(file)s: rejected, nothing was written: %(reason)s")
                % {"file": path, "reason": exc}
            ) from None
        for line, reason in parsed.rejected:
            self.stderr.write(
                _("%(file)s: line %(line)d: rejected: %(reason)s")
                % {
                    "file": path,
                    "line": line,
                    "reason": reason,
                }
            )
        for line, reason in parsed.warnings:
            self.stderr.write(
                _("%(file)s: line %(line)d: warning: %(reason)s")
                % {
                    "file": path,
                    "line": line,
                    "reason": reason,
                }
            )
        if options["check"]:
            self._end_bar(show)
            self.stdout.write(
                _(
                    "%(file)s: %(ok)d victims ready to import, %(rejected)d rows rejected; "
                    "nothing written (--check)."
                )
                % {"file": path, "ok": len(parsed.rows), "rejected": len(parsed.rejected)}
            )
            return
        try:
            run = fatalities_import(
                parsed=parsed,
                filename=path.name,
                sha256=hashlib.sha256(data).hexdigest(),
                strict=options["strict"],
                progress=progress,
            )
        except ImportRejected as exc:
            self._end_bar(show)
            raise CommandError(f"{path}: {exc}") from None
        self._end_bar(show)
        c = run.counts
        self.stdout.write(
            _(
                "%(file)s: %(rows)d rows, %(acts)d malicious acts (%(other)d rows of other "
                "incident types not imported); %(cases)d cases created, %(created)d victims "
                "created, %(updated)d updated, %(unchanged)d unchanged; %(rejected)d rows "
                "rejected, %(warnings)d warnings."
            )
            % {
                "file": path,
                "rows": c["rows"],
                "acts": c["malicious_acts"],
                "other": c["other_incidents"],
                "cases": c["cases_created"],
                "created": c["victims_created"],
                "updated": c["victims_updated"],
                "unchanged": c["victims_unchanged"],
                "rejected": c["rejected"],
                "warnings": c["warnings"],
            }
        )

    def _bar(self, stage: str, done: int, total: int) -> None:
        share = min(done / total, 1.0) if total else 1.0
        filled = int(share * BAR)
        label = _("checking") if stage == "check" else _("writing")
        sys.stderr.write(f"\r{label:<10} [{'#' * filled}{'.' * (BAR - filled)}] {share:4.0%}")
        sys.stderr.flush()

    def _end_bar(self, show: bool) -> None:
        if show:
            sys.stderr.write("\n")
