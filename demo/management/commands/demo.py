"""`a4p demo`: migrate and collect static files, then load the reference data, the A4P+ plan
and the demo users. `a4p demo code USERNAME` prints a demo user's current authenticator code."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.indicators import demo_indicators_ensure
from demo.registers import demo_registers_ensure
from demo.reporting import demo_reporting_ensure
from demo.reports import demo_reports_ensure
from demo.users import DemoCodeError, demo_password, demo_totp_code, demo_users_ensure
from plans.models import Plan

DEMO_PLAN = "a4p-plus-2021-2023"


class Command(BaseCommand):
    help = (
        "Load the reference data, the A4P+ plan and the demo users (idempotent); "
        "`a4p demo code USERNAME` prints a demo user's current authenticator code."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", nargs="?", choices=["code"])
        parser.add_argument("username", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.A4P_DEMO:
            raise CommandError(
                _(
                    "a4p demo creates users with a published password, so it runs only on a "
                    "demo install: set A4P_DEMO=true (make run does)."
                )
            )
        if options["action"] == "code":
            if not options["username"]:
                raise CommandError(_("Name the demo user: a4p demo code USERNAME"))
            try:
                self.stdout.write(demo_totp_code(options["username"]))
            except DemoCodeError as error:
                raise CommandError(str(error)) from None
            return
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("refdata", "load", stdout=self.stdout)
        if Plan.objects.filter(code=DEMO_PLAN).exists():
            # The demo publishes its own revision; reloading the file would propose undoing it.
            self.stdout.write(_("Plan %(code)s is already loaded.") % {"code": DEMO_PLAN})
        else:
            call_command("plan", "load", str(settings.A4P_PLAN_FILE), stdout=self.stdout)
        users = demo_users_ensure()
        created = demo_reporting_ensure()
        self.stdout.write(
            _("Demo reporting: %(cycles)d cycles and %(updates)d progress updates created.")
            % created
        )
        registers = demo_registers_ensure()
        self.stdout.write(
            _("Demo register of crimes against peacekeepers: %(cases)d cases created.") % registers
        )
        indicators = demo_indicators_ensure()
        self.stdout.write(
            _("Demo indicators: %(values)d values; plan version %(version)d in force.") % indicators
        )
        reports = demo_reports_ensure()
        self.stdout.write(
            _(
                "Demo reports: %(summaries)d executive summaries, "
                "%(publications)d editions published."
            )
            % reports
        )
        password = demo_password()
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo log-ins (password for all: %(password)s):") % {"password": password}
            )
        )
        width = max(len(u.username) for u in users)
        for user in users:
            target = user.entity or user.member_state or ""
            label = f"{user.role.label}" + (f" — {target}" if target else "")
            self.stdout.write(f"  {user.username.ljust(width)}  {label}")
            if user.needs_mfa:
                self.stdout.write(
                    "  "
                    + " " * width
                    + "  "
                    + _("second factor: authenticator secret %(secret)s")
                    % {"secret": user.totp_secret}
                )
        self.stdout.write(
            _(
                "Add the secret to an authenticator app, or print the current code with "
                "`a4p demo code USERNAME`."
            )
        )
        self.stdout.write(_("Serve with `a4p runserver`, then open http://127.0.0.1:8000/"))
        self.stdout.write("")
