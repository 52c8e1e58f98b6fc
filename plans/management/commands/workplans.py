"""`a4p workplans generate [--plan CODE]`: put every deliverable into its entities' work plans."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from plans.models import Plan
from plans.services import assignments_generate


class Command(BaseCommand):
    help = "Generate work-plan assignments from the Lead lines (groups expanded); idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["generate"])
        parser.add_argument("--plan", help="Plan code (default: the most recent plan).")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = Plan.objects.all()
        plan = plans.filter(code=options["plan"]).first() if options["plan"] else plans.first()
        if plan is None:
            raise CommandError(_("No such plan. Load one with: a4p plan load FILE"))
        created = assignments_generate(plan=plan)
        self.stdout.write(
            _("Work plans of %(plan)s: %(created)d assignments created.")
            % {"plan": plan.code, "created": created}
        )
