"""`a4p refdata load`: Member States, entities and missions from core/data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.refdata import DATA_DIR, ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = "Load the reference data (Member States, entities, missions)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])
        parser.add_argument(
            "--dir",
            type=Path,
            default=DATA_DIR,
            help="Folder holding member_states.csv, entities.yaml, missions.yaml.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_reference_data(options["dir"])
        except ReferenceDataError as exc:
            raise CommandError(
                _("Reference data rejected; nothing was written.") + f"\n{exc}"
            ) from None
        counts = summary.counts
        self.stdout.write(
            _("Reference data: %(created)d created, %(updated)d updated.")
            % {"created": counts.get("created", 0), "updated": counts.get("updated", 0)}
        )
