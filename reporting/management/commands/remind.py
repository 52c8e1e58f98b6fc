"""`a4p remind`: due-soon and overdue notices, then e-mail for every notification not yet sent.
Run it from a scheduler (daily); running it twice sends nothing twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from reporting.services import reminders_send


class Command(BaseCommand):
    help = "Send reminders and notification e-mails (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = reminders_send(today=options.get("today"))
        self.stdout.write(
            _("Reminders: %(created)d new notifications, %(emailed)d e-mails sent.")
            % {"created": summary.created, "emailed": summary.emailed}
        )
