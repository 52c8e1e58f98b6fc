"""`a4p user add USERNAME --role ROLE (--entity CODE | --state ISO3) [--email E] [--send-reset]`
and `a4p user list`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.services import AccountError, user_provision


class Command(BaseCommand):
    help = "Provision user accounts (one membership each) and list them."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,list}")
        add = actions.add_parser(
            "add",
            help="Create an account with one role; print a one-time password or e-mail a "
            "password-reset link.",
        )
        add.add_argument("username")
        add.add_argument("--role", required=True, help="planning_unit, focal_point, reviewer, …")
        target = add.add_mutually_exclusive_group()
        target.add_argument("--entity", help="Entity code the role acts for (e.g. minusca).")
        target.add_argument("--state", help="ISO3 code of the Member State (delegates).")
        add.add_argument("--email", default="", help="The user's e-mail address.")
        add.add_argument(
            "--send-reset",
            action="store_true",
            help="E-mail a password-reset link instead of printing a one-time password.",
        )
        actions.add_parser("list", help="List the accounts and their roles.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
            return
        try:
            user, password = user_provision(
                username=options["username"],
                role=options["role"],
                entity_code=options["entity"],
                state_iso3=options["state"],
                email=options["email"],
                send_reset=options["send_reset"],
            )
        except AccountError as error:
            raise CommandError(_("Nothing was written: %(error)s") % {"error": error}) from None
        if password is None:
            self.stdout.write(
                _("User %(name)s created; a password-reset link was sent to %(email)s.")
                % {"name": user.username, "email": user.email}
            )
        else:
            self.stdout.write(
                _(
                    "User %(name)s created. One-time password (give it privately; it must be "
                    "changed at the first sign-in): %(password)s"
                )
                % {"name": user.username, "password": password}
            )

    def _list(self) -> None:
        memberships = Membership.objects.select_related("user", "entity", "member_state").order_by(
            "user__username", "role"
        )
        for m in memberships:
            target = m.entity.code if m.entity else (m.member_state.iso3 if m.member_state else "")
            active = "" if m.user.is_active else _(" (inactive)")
            self.stdout.write(f"{m.user.username}{active}\t{m.role}\t{target}")
