"""The workbook's layout, declared once for the writer and the reader: its sheets, their columns,
the choices of the drop-down lists, and how a cell holds text.

Sheet names, headers and choice labels are written in the active language; on upload they are
recognised in any of the site's languages, and choices also by their code.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from core.export import xlsx_text
from reporting.models import Obstacle, ProgressUpdate, Sensitivity

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The model has no limit on long texts; Excel holds 32,767 characters a cell.
TEXT_LIMIT = 10_000


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    width: int
    editable: bool = False
    wrap: bool = False
    required: bool = True  # the header must be in an uploaded file


SHEET_INSTRUCTIONS = gettext_lazy("Instructions")
SHEET_UPDATES = gettext_lazy("Updates")
SHEET_OBSTACLES = gettext_lazy("Obstacles")
SHEET_LISTS = gettext_lazy("Lists")

UPDATE_COLUMNS = [
    Column("id", gettext_lazy("Update ID"), 10),
    Column("version", gettext_lazy("Version"), 9),
    Column("deliverable", gettext_lazy("Deliverable"), 12, required=False),
    Column("deliverable_text", gettext_lazy("Deliverable text"), 55, wrap=True, required=False),
    Column("role", gettext_lazy("Role"), 14, wrap=True, required=False),
    Column("state", gettext_lazy("State"), 13, required=False),
    Column("rating", gettext_lazy("Rating"), 15, editable=True),
    Column("narrative", gettext_lazy("Narrative"), 60, editable=True, wrap=True),
    Column("achievements", gettext_lazy("Key achievements"), 45, editable=True, wrap=True),
    Column("next_steps", gettext_lazy("Next steps"), 45, editable=True, wrap=True),
    Column("wps_note", gettext_lazy("WPS/gender note"), 40, editable=True, wrap=True),
    Column("sensitivity", gettext_lazy("Sensitivity"), 15, editable=True),
    # Hidden: a fingerprint of the row as downloaded, so that a row the user did not touch is
    # skipped even when someone saved the update since.
    Column("check", gettext_lazy("Row check"), 20, required=False),
]
OBSTACLE_COLUMNS = [
    Column("update", gettext_lazy("Update ID"), 10, editable=True),
    Column("deliverable", gettext_lazy("Deliverable"), 12, required=False),
    Column("id", gettext_lazy("Obstacle ID"), 11),
    Column("category", gettext_lazy("Category"), 26, editable=True),
    Column("description", gettext_lazy("Description"), 50, editable=True, wrap=True),
    Column("severity", gettext_lazy("Severity"), 12, editable=True),
    Column("mitigation", gettext_lazy("Mitigation"), 40, editable=True, wrap=True),
    Column("support_requested", gettext_lazy("Support requested"), 40, editable=True, wrap=True),
    Column("support_from", gettext_lazy("Support requested from"), 26, editable=True, wrap=True),
    Column("escalate", gettext_lazy("Escalate (yes/no)"), 12, editable=True),
]
UPDATE_TEXTS = ["narrative", "achievements", "next_steps", "wps_note"]
OBSTACLE_TEXTS = ["description", "mitigation", "support_requested", "support_from"]
YES = gettext_lazy("yes")
NO = gettext_lazy("no")

RATINGS = ProgressUpdate.Rating.choices
SENSITIVITIES = Sensitivity.choices
CATEGORIES = Obstacle.Category.choices
SEVERITIES = Obstacle.Severity.choices
YES_NO: list[tuple[str, Any]] = [("yes", YES), ("no", NO)]
# The columns with a drop-down list, by column key.
CHOICES: dict[str, list[tuple[str, Any]]] = {
    "rating": RATINGS,
    "sensitivity": SENSITIVITIES,
    "category": CATEGORIES,
    "severity": SEVERITIES,
    "escalate": YES_NO,
}


def column_named(columns: Sequence[Column], key: str) -> Column:
    return next(c for c in columns if c.key == key)


def cell_text(text: str) -> str:
    """Text as a cell holds it: no control characters, Unix line ends, no surrounding space."""
    return xlsx_text(text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def labels(choices: Iterable[tuple[str, Any]]) -> list[str]:
    return [str(label) for _code, label in choices]


def comparable(value: object) -> str:
    """How names and labels are compared: case and spacing do not matter."""
    return " ".join(str(value).split()).casefold()


def variants(label: Promise | str) -> set[str]:
    """The label in every language of the site."""
    found = {comparable(label)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(comparable(label))
    return found


@functools.cache
def choice_map(name: str) -> dict[str, str]:
    """Code or label, in any of the site's languages, to the code."""
    mapping: dict[str, str] = {}
    for code, label in CHOICES[name]:
        mapping[comparable(code)] = code
        for variant in variants(label):
            mapping.setdefault(variant, code)
    if name == "escalate":
        mapping.update({"true": "yes", "false": "no", "1": "yes", "0": "no"})
    return mapping
