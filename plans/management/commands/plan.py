"""`a4p plan load FILE` and `a4p plan export --format json|yaml`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Entity
from plans import versions
from plans.exporters import plan_tree, render
from plans.models import Plan
from plans.planfile import PlanFileError, read_plan_file
from plans.services import PlanLoadError, plan_load


class Command(BaseCommand):
    help = "Load a plan file into the database, or export a loaded plan."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{load,export,publish}"
        )
        load = actions.add_parser("load", help="Validate a plan file and load it (all or nothing).")
        load.add_argument("file", type=Path, help="Plan file, YAML or JSON (format 1).")
        load.add_argument("--check", action="store_true", help="Validate only; write nothing.")
        load.add_argument(
            "--reason",
            default="",
            help="Reason given to every change when the file proposes a revision.",
        )
        publish = actions.add_parser("publish", help="Publish the draft revision of a plan.")
        publish.add_argument("--plan", help="Plan code (default: the most recent plan).")
        publish.add_argument(
            "--effective",
            required=True,
            type=dt.date.fromisoformat,
            help="Date from which the new version is in force (YYYY-MM-DD).",
        )
        publish.add_argument(
            "--reason", default="", help="Reason for every change that has none yet."
        )
        export = actions.add_parser("export", help="Print a loaded plan in the plan-file format.")
        export.add_argument("--format", choices=["json", "yaml"], default="json")
        export.add_argument("--plan", help="Plan code (default: the most recent plan).")
        export.add_argument("--output", type=Path, help="Write to this file instead of stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self._load(options["file"], check=options["check"], reason=options["reason"])
        elif options["action"] == "publish":
            self._publish(options.get("plan"), options["effective"], options["reason"] or "")
        else:
            self._export(options["format"], options.get("plan"), options.get("output"))

    def _load(self, path: Path, *, check: bool, reason: str) -> None:
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
        existing = Plan.objects.filter(code=plan_file.code).first()
        if existing is None:
            self._first_load(path, plan_file)
        else:
            self._propose(path, existing, plan_file, reason)

    @transaction.atomic
    def _first_load(self, path: Path, plan_file: Any) -> None:
        try:
            summary = plan_load(plan_file=plan_file)
        except PlanLoadError as exc:
            raise CommandError(
                _("%(file)s: not loaded; nothing was written.") % {"file": path} + f"\n{exc}"
            ) from None
        versions.version_initial(plan=summary.plan, source=str(path))
        self.stdout.write(
            self.style.SUCCESS(
                _("Loaded plan %(code)s: %(count)d deliverables, published as version 1.")
                % {"code": summary.plan.code, "count": plan_file.deliverable_count}
            )
        )

    def _propose(self, path: Path, plan: Plan, plan_file: Any, reason: str) -> None:
        """A plan already loaded is never overwritten: a changed file becomes a revision."""
        with transaction.atomic():
            current = versions.current_version(plan) or versions.version_initial(
                plan=plan, source=_("the database before versions")
            )
            tree = versions.normalize(plan_file.raw)
            changes = versions.diff_trees(current.tree, tree)
            if not changes:
                self.stdout.write(
                    _("Plan %(code)s is already up to date; nothing changed.") % {"code": plan.code}
                )
                return
            try:
                revision = versions.revision_propose(
                    plan=plan, tree=tree, source=str(path), reason=reason
                )
            except versions.VersionError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "%(file)s differs from version %(n)d of plan %(code)s. It is now the "
                "draft revision %(r)d, not yet in force:"
            )
            % {"file": path, "n": current.number, "code": plan.code, "r": revision.number}
        )
        for change in changes:
            self.stdout.write(
                f"  {change.kind:8} {change.target} {change.code}"
                + (f" ({', '.join(f[0] for f in change.fields)})" if change.fields else "")
            )
        self.stdout.write(
            _(
                "Review it and give a reason for each change in the app, or publish "
                "it with: a4p plan publish --effective YYYY-MM-DD --reason TEXT"
            )
        )

    def _publish(self, code: str | None, effective: Any, reason: str) -> None:
        plans = Plan.objects.all()
        plan = plans.filter(code=code).first() if code else plans.first()
        revision = versions.draft_revision(plan) if plan else None
        if revision is None:
            raise CommandError(
                _(
                    "There is no draft revision to publish. Load a changed plan "
                    "file first: a4p plan load FILE"
                )
            )
        try:
            with transaction.atomic():
                if reason:
                    versions.revision_set_reasons(
                        revision=revision,
                        actor=None,
                        reasons={
                            c.key: reason
                            for c in versions.pending_changes(revision)
                            if not revision.reasons.get(c.key)
                        },
                    )
                published = versions.revision_publish(revision=revision, effective_from=effective)
        except versions.VersionError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Published version %(n)d of plan %(code)s, in force from %(date)s.")
                % {
                    "n": published.number,
                    "code": published.plan.code,
                    "date": effective.isoformat(),
                }
            )
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
