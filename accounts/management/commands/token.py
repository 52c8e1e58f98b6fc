"""`a4p token create USERNAME [--name N] [--read-only] [--expires DAYS]`, `a4p token list
USERNAME` and `a4p token revoke PREFIX`: personal API tokens from the command line (the pages are
/accounts/tokens/). A token made here is read-write unless `--read-only`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from accounts.models import ApiToken, User
from accounts.selectors import token_by_prefix, tokens_of, user_named
from accounts.services import AccountError, token_create, token_revoke


def token_state(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return _("revoked %(when)s") % {"when": token.revoked_at.isoformat(timespec="minutes")}
    return _("read only") if token.read_only else _("read-write")


class Command(BaseCommand):
    help = "Create, list and revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{create,list,revoke}"
        )
        create = actions.add_parser("create", help="Make a token for a user and print it (once).")
        create.add_argument("username")
        create.add_argument("--name", default="command line", help="What the token is for.")
        create.add_argument(
            "--read-only",
            action="store_true",
            help="The token may only read (default: read-write).",
        )
        create.add_argument(
            "--expires", type=int, default=90, metavar="DAYS", help="Days until it expires (90)."
        )
        listing = actions.add_parser("list", help="List a user's tokens (never the tokens).")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke a token, by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "revoke":
            self._revoke(options["prefix"])
            return
        user = user_named(options["username"])
        if user is None:
            raise CommandError(
                _("Nothing was written: no user named %(name)s.") % {"name": options["username"]}
            )
        if action == "list":
            self._list(user)
        else:
            self._create(user, options)

    def _create(self, user: User, options: dict[str, Any]) -> None:
        if not user.is_active:
            raise CommandError(
                _("Nothing was written: the account %(name)s is inactive.")
                % {"name": user.username}
            )
        try:
            token, raw = token_create(
                user=user,
                name=options["name"],
                read_only=options["read_only"],
                expires_days=options["expires"],
            )
        except AccountError as error:
            raise CommandError(_("Nothing was written: %(error)s") % {"error": error}) from None
        self.stderr.write(
            _("Token %(prefix)s for %(name)s (%(scope)s), expires %(expires)s. It is shown once:")
            % {
                "prefix": token.prefix,
                "name": user.username,
                "scope": token_state(token),
                "expires": token.expires_at.date().isoformat() if token.expires_at else "-",
            }
        )
        self.stdout.write(raw)

    def _list(self, user: User) -> None:
        for token in tokens_of(user):
            self.stdout.write(
                "\t".join(
                    [
                        token.prefix,
                        token.name,
                        token_state(token),
                        token.created_at.isoformat(timespec="minutes"),
                        token.expires_at.isoformat(timespec="minutes") if token.expires_at else "-",
                        token.last_used_at.isoformat(timespec="minutes")
                        if token.last_used_at
                        else "-",
                    ]
                )
            )

    def _revoke(self, prefix: str) -> None:
        token = token_by_prefix(prefix)
        if token is None:
            raise CommandError(_("Nothing was written: no token %(prefix)s.") % {"prefix": prefix})
        if token.revoked_at is not None:
            raise CommandError(
                _("Nothing was written: the token %(prefix)s is already revoked.")
                % {"prefix": prefix}
            )
        token_revoke(token=token, actor=None)
        self.stdout.write(_("Token %(prefix)s revoked.") % {"prefix": prefix})
