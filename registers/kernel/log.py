"""The access log of every register: who (user, role, organisation) viewed, exported or read
through the API which record, and when. A register's log model subclasses `AccessEntry` with a
foreign key to its record, named by `RECORD`. The concerned Member States read the log of their
records, by role and organisation, never by person."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


class AccessEntry(models.Model):
    """One read of one record. Written by every detail view, list page, export and API read
    (a list writes one row per record it shows, in one insert)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        LIST = "list", _("Listed")  # a row of a list page: its date, mission, type, tallies, status
        EXPORT = "export", _("Exported")
        API = "api", _("Read through the API")

    # The name of the subclass's foreign key to the record.
    RECORD: ClassVar[str]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    role = models.CharField(_("role"), max_length=30, blank=True)
    organisation = models.CharField(_("acting for"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role
