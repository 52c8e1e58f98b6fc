"""`a4p report --cycle 2023-H1 --edition public --format pdf --output FILE`: the consolidated
report built without the web server, exactly as the app builds it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from plans.models import Plan
from reporting.models import Cycle
from reports import render
from reports.content import EDITIONS, ReportError
from reports.services import report_build


class Command(BaseCommand):
    help = "Build a cycle's consolidated report (pdf, docx, xlsx or html) into a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", required=True, help="cycle code, e.g. 2023-H1")
        parser.add_argument("--edition", choices=EDITIONS, default="public")
        parser.add_argument("--format", dest="fmt", choices=list(render.RENDERERS), default="pdf")
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument(
            "--language", default="en", choices=[code for code, _name in settings.LANGUAGES]
        )
        parser.add_argument("--plan", help="plan code, when several plans are loaded")
        parser.add_argument(
            "--confidential",
            action="store_true",
            help="internal edition only: include updates marked confidential",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cycles = Cycle.objects.filter(code=options["cycle"]).select_related("plan", "version")
        if options["plan"]:
            if not Plan.objects.filter(code=options["plan"]).exists():
                raise CommandError(f"No plan with code {options['plan']!r}.")
            cycles = cycles.filter(plan__code=options["plan"])
        found = list(cycles)
        if not found:
            known = ", ".join(Cycle.objects.order_by("period_start").values_list("code", flat=True))
            raise CommandError(f"No cycle {options['cycle']!r}. Known cycles: {known or 'none'}.")
        if len(found) > 1:
            raise CommandError(f"Several plans have a cycle {options['cycle']!r}: give --plan.")
        if options["confidential"] and options["edition"] != "internal":
            raise CommandError("--confidential applies to the internal edition only.")
        try:
            _name, data = report_build(
                cycle=found[0],
                edition=options["edition"],
                fmt=options["fmt"],
                language=options["language"],
                confidential=options["confidential"],
            )
        except ReportError as error:
            raise CommandError(str(error)) from error
        output = Path(options["output"])
        if not output.parent.exists():
            raise CommandError(f"The folder {output.parent} does not exist.")
        output.write_bytes(data)
        self.stdout.write(f"Wrote {output} ({len(data):,} bytes).")
