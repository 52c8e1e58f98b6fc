"""`a4p files rotate-key`: store every confidential file again, encrypted with the first key of
A4P_FILE_KEYS (files stored before encryption are encrypted)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models
from django.utils.translation import gettext as _

from core.storage import EncryptedStorage, UndecryptableFile, confidential


def confidential_files() -> Iterator[str]:
    """Every stored file of every model field on the confidential storage, once."""
    seen: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField) or field.storage is not confidential:
                continue
            names = (
                model._default_manager.exclude(**{field.name: ""})
                .order_by(field.name)
                .values_list(field.name, flat=True)
            )
            for name in names:
                if name not in seen:
                    seen.add(name)
                    yield name


class Command(BaseCommand):
    help = "Confidential files at rest (docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{rotate-key}")
        actions.add_parser(
            "rotate-key",
            help="Re-encrypt every confidential file with the first key of A4P_FILE_KEYS.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        storage = storages["confidential"]
        if not isinstance(storage, EncryptedStorage):
            raise CommandError(_('STORAGES["confidential"] is not an encrypting storage.'))
        files = list(confidential_files())
        # Every file must open before any is rewritten: all or nothing.
        problems = []
        for name in files:
            try:
                storage.open(name).close()
            except UndecryptableFile as exc:
                problems.append(str(exc))
            except OSError as exc:
                problems.append(f"{name}: {exc}")
        if problems:
            raise CommandError(
                _("%(count)d files do not open; nothing was re-encrypted:\n%(problems)s")
                % {"count": len(problems), "problems": "\n".join(f"  - {p}" for p in problems)}
            )
        for name in files:
            storage.reencrypt(name)
        self.stdout.write(
            _("Re-encrypted %(count)d confidential files with the first key.")
            % {"count": len(files)}
        )
