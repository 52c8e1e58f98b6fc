"""`a4p plan load FILE` and `a4p plan export --format json|yaml`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Entity
from plans.exporters import plan_tree, render
from plans.models import Plan
from plans.planfile import PlanFileError, read_plan_file
from plans.services import PlanLoadError, plan_load


class Command(BaseCommand):
    help = "Load a plan file into the database, or export a loaded plan."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,export}")
        load = actions.add_parser("load", help="Validate a plan file and load it (all or nothing).")
        load.add_argument("file", type=Path, help="Plan file, YAML or JSON (format 1).")
        load.add_argument("--check", action="store_true", help="Validate only; write nothing.")
        export = actions.add_parser("export", help="Print a loaded plan in the plan-file format.")
        export.add_argument("--format", choices=["json", "yaml"], default="json")
        export.add_argument("--plan", help="Plan code (default: the most recent plan).")
        export.add_argument("--output", type=Path, help="Write to this file instead of stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self._load(options["file"], check=options["check"])
        else:
            self._export(options["format"], options.get("plan"), options.get("output"))

    def _load(self, path: Path, *, check: bool) -> None:
        try:
            plan_file = read_plan_file(path, Entity.objects.values_list("code", flat=True))
        except PlanFileError as exc:
            count = len(exc.problems)
            headline = ngettext(
                "%(file)s: rejected, %(count)d problem; nothing was written.",
                "%(file)s: rejected, %(count)d problems; nothing was written.",
                count,
            ) % {"file": path, "count": count}
            raise CommandError(f"{headline}\n{exc}") from None
        if check:
            self.stdout.write(
                _("%(file)s: valid plan %(code)s (%(count)d deliverables).")
                % {"file": path, "code": plan_file.code, "count": plan_file.deliverable_count}
            )
            return
        try:
            summary = plan_load(plan_file=plan_file)
        except PlanLoadError as exc:
            raise CommandError(
                _("%(file)s: not loaded; nothing was written.") % {"file": path} + f"\n{exc}"
            ) from None
        counts = summary.counts
        if summary.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Loaded plan %(code)s: %(count)d deliverables (%(created)d created, "
                        "%(updated)d updated, %(deleted)d deleted)."
                    )
                    % {
                        "code": summary.plan.code,
                        "count": plan_file.deliverable_count,
                        "created": counts.get("created", 0),
                        "updated": counts.get("updated", 0),
                        "deleted": counts.get("deleted", 0),
                    }
                )
            )
        else:
            self.stdout.write(
                _("Plan %(code)s is already up to date; nothing changed.")
                % {"code": summary.plan.code}
            )

    def _export(self, fmt: str, code: str | None, output: Path | None) -> None:
        plans = Plan.objects.all()
        plan = plans.filter(code=code).first() if code else plans.first()
        if plan is None:
            known = ", ".join(plans.values_list("code", flat=True)) or _("none loaded")
            raise CommandError(
                _(
                    "No plan %(code)s to export (plans: %(known)s). "
                    "Load one with: a4p plan load FILE"
                )
                % {"code": code or "", "known": known}
            )
        text = render(plan_tree(plan), fmt)
        if output:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(_("Wrote %(file)s") % {"file": output})
        else:
            self.stdout.write(text, ending="")
