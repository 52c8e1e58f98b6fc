"""The dashboard pages listed in every dashboard's section navigation, in order.

A new section is one more entry here plus its view and URL."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    url_name: str
    label: str | Promise


SECTIONS: list[Section] = [
    Section("overview", "dashboard-overview", _("Priorities")),
    Section("entities", "dashboard-entities", _("Entities")),
    Section("indicators", "dashboard-indicators", _("Indicators")),
    Section("wps", "dashboard-wps", _("Women, peace and security")),
    Section("obstacles", "dashboard-obstacles", _("Obstacles")),
    Section("registers", "dashboard-registers", _("Registers")),
]
