"""`a4p indicators recalculate [--cycle CODE]`: recompute the computed indicators."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from indicators.services import values_recalculate
from reporting.models import Cycle


class Command(BaseCommand):
    help = "Recompute computed indicator values (all cycles that have opened, or one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["recalculate"])
        parser.add_argument("--cycle", help="Cycle code, e.g. 2023-H1.")

    def handle(self, *args: Any, **options: Any) -> None:
        cycles = Cycle.objects.exclude(state=Cycle.State.PLANNED)
        if options["cycle"]:
            cycles = cycles.filter(code=options["cycle"])
            if not cycles.exists():
                raise CommandError(
                    _("No reporting cycle %(code)s has opened.") % {"code": options["cycle"]}
                )
        total = sum(values_recalculate(cycle=cycle) for cycle in cycles)
        self.stdout.write(_("Computed indicators: %(n)d values written.") % {"n": total})
