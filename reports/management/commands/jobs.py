"""`a4p jobs sweep`: fail the jobs whose worker is gone and remove the files no row refers to."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports import services


class Command(BaseCommand):
    help = "Housekeeping of the report jobs; run it from a scheduler (docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{sweep}")
        actions.add_parser(
            "sweep",
            help=(
                "Mark failed the jobs left running by a stopped worker, and remove the job and "
                "published files older than an hour that no row refers to."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = services.jobs_fail_stale()
        self.stdout.write(
            ngettext(
                "%(count)d job had lost its worker and is now failed.",
                "%(count)d jobs had lost their worker and are now failed.",
                failed,
            )
            % {"count": failed}
        )
        removed = services.files_sweep_orphans()
        for name in removed:
            self.stdout.write(_("removed %(name)s") % {"name": name})
        self.stdout.write(
            ngettext(
                "%(count)d orphaned file removed.",
                "%(count)d orphaned files removed.",
                len(removed),
            )
            % {"count": len(removed)}
        )
