"""Offline round trip of one entity's progress updates for one cycle, as an Excel workbook.

`updates_workbook` writes the updates (and their obstacles) pre-filled, with drop-downs for every
choice and the reference columns locked. `updates_import` reads a filled-in copy back, checks every
sheet, row and cell, and only when the whole file is valid applies the changed updates through
`services.update_save`, all in one transaction: a file is applied entirely or not at all.

Sheet names, headers and choice labels are written in the active language; on import they are
recognised in any of the site's languages, and choices also by their code.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.models import Entity
from reporting import access, services
from reporting.models import Cycle, Obstacle, ProgressUpdate, Sensitivity
from reporting.selectors import updates_visible_to

# Limits: long texts (the model has no limit; Excel holds 32,767 characters a cell), the number
# of rows read per sheet, and the unpacked size of the file (a small .xlsx can unpack huge).
TEXT_LIMIT = 10_000
MAX_ROWS = 2_000
MAX_UNPACKED_BYTES = 50_000_000
EMPTY_OBSTACLE_ROWS = 30

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

GREY = PatternFill("solid", fgColor="E4E4E4")
HEADER_FILL = PatternFill("solid", fgColor="C9D7E8")
BOLD = Font(bold=True)
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)


# Layout ----------------------------------------------------------------------------------------


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


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _key(value: Any) -> str:
    """How names and labels are compared: case and spacing do not matter."""
    return " ".join(str(value).split()).casefold()


def _variants(label: Promise | str) -> set[str]:
    """The label in every language of the site."""
    found = {_key(label)}
    for code in _languages():
        with translation.override(code):
            found.add(_key(label))
    return found


RATINGS = ProgressUpdate.Rating.choices
SENSITIVITIES = Sensitivity.choices
CATEGORIES = Obstacle.Category.choices
SEVERITIES = Obstacle.Severity.choices
YES_NO: list[tuple[str, Any]] = [("yes", YES), ("no", NO)]
CHOICES: dict[str, list[tuple[str, Any]]] = {
    "rating": RATINGS,
    "sensitivity": SENSITIVITIES,
    "category": CATEGORIES,
    "severity": SEVERITIES,
    "escalate": YES_NO,
}


@functools.cache
def _choice_map(name: str) -> dict[str, str]:
    """Code or label, in any of the site's languages, to the code."""
    mapping: dict[str, str] = {}
    for code, label in CHOICES[name]:
        mapping[_key(code)] = code
        for variant in _variants(label):
            mapping.setdefault(variant, code)
    if name == "escalate":
        mapping.update({"true": "yes", "false": "no", "1": "yes", "0": "no"})
    return mapping


def _labels(choices: Iterable[tuple[str, Any]]) -> list[str]:
    return [str(label) for _code, label in choices]


# Export ----------------------------------------------------------------------------------------


def _entity_updates(cycle: Cycle, entity: Entity, user: Any) -> QuerySet[ProgressUpdate]:
    """The entity's updates in the cycle, for active assignments, as far as the user sees them;
    with everything the workbook shows, in a fixed number of queries."""
    return (
        updates_visible_to(user)
        .filter(cycle=cycle, assignment__entity=entity, assignment__active=True)
        .select_related("assignment__deliverable", "updated_by")
        .prefetch_related(Prefetch("obstacles", queryset=Obstacle.objects.order_by("id")))
        .order_by("assignment__deliverable__position", "pk")
    )


def cell_text(text: str) -> str:
    """Text as a cell holds it: no control characters, Unix line ends, no surrounding space."""
    return ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _put(
    ws: Any, row: int, column: int, value: Any, *, style: Column | None = None, locked: bool = True
) -> Any:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = cell_text(value)
        cell.data_type = "s"  # text that starts with "=" stays text, never a formula
    else:
        cell.value = value
    cell.alignment = WRAP if style is not None and style.wrap else TOP
    if locked:
        cell.fill = GREY
    else:
        cell.protection = UNLOCKED
    return cell


def _header(ws: Any, columns: Sequence[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=str(column.label))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(sum(1 for c in columns if c.key != 'check'))}1"


def _protect(ws: Any) -> None:
    """Locked cells stay locked; columns can still be resized and rows filtered."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False


def _lists_sheet(wb: Workbook, update_ids: list[int]) -> dict[str, str]:
    """The hidden sheet behind the drop-downs; returns each list's range formula."""
    ws = wb.create_sheet(str(SHEET_LISTS))
    ws.sheet_state = "hidden"
    lists: dict[str, list[Any]] = {
        "rating": _labels(RATINGS),
        "sensitivity": _labels(SENSITIVITIES),
        "category": _labels(CATEGORIES),
        "severity": _labels(SEVERITIES),
        "escalate": _labels(YES_NO),
        "update": list(update_ids) or [""],
    }
    headers = {
        "rating": UPDATE_COLUMNS[6].label,
        "sensitivity": UPDATE_COLUMNS[11].label,
        "category": OBSTACLE_COLUMNS[3].label,
        "severity": OBSTACLE_COLUMNS[5].label,
        "escalate": OBSTACLE_COLUMNS[9].label,
        "update": OBSTACLE_COLUMNS[0].label,
    }
    ranges: dict[str, str] = {}
    sheet = quote_sheetname(ws.title)
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        ws.cell(row=1, column=index, value=str(headers[name])).font = BOLD
        for offset, value in enumerate(values, start=2):
            ws.cell(row=offset, column=index, value=value)
        ranges[name] = f"{sheet}!${letter}$2:${letter}${len(values) + 1}"
        ws.column_dimensions[letter].width = 28
    return ranges


def _validation(ws: Any, formula: str, cells: str, *, blank: bool, what: Promise) -> None:
    rule = DataValidation(type="list", formula1=formula, allow_blank=blank)
    rule.showErrorMessage = True
    rule.errorTitle = str(what)
    rule.error = _("Choose a value from the list.")
    ws.add_data_validation(rule)
    rule.add(cells)


def _instructions(wb: Workbook, *, cycle: Cycle, entity: Entity, user: Any) -> None:
    ws = wb.active
    ws.title = str(SHEET_INSTRUCTIONS)
    now = formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")
    lines: list[tuple[str, bool]] = [
        (_("A4P+ Monitor — progress updates to fill in offline"), True),
        (_("Plan: %(plan)s") % {"plan": cycle.plan}, False),
        (_("Reporting cycle: %(cycle)s") % {"cycle": cycle.code}, False),
        (
            _("Entity: %(entity)s (%(name)s)")
            % {"entity": entity.label, "name": entity.display_name},
            False,
        ),
        (_("Downloaded on %(when)s by %(user)s.") % {"when": now, "user": user}, False),
        ("", False),
        (_("How to use this file"), True),
        (
            _(
                "1. On the sheet “%(sheet)s”, fill in the white cells of each row: rating, "
                "narrative, key achievements, next steps, WPS/gender note and sensitivity. Choose "
                "ratings and sensitivity from the drop-down lists."
            )
            % {"sheet": SHEET_UPDATES},
            False,
        ),
        (
            _(
                "2. Grey cells are for reference and are locked. Do not change the Update ID "
                "or the Version: they tell the system which update you wrote and which saved "
                "version you started from. Rows shown entirely in grey cannot be changed now "
                "(submitted, validated, or the cycle is closed)."
            ),
            False,
        ),
        (
            _(
                "3. On the sheet “%(sheet)s”, keep, change or add obstacles. A new obstacle needs "
                "the Update ID of its update (from the drop-down list), a category, a description "
                "and a severity. To remove an obstacle, clear its white cells."
            )
            % {"sheet": SHEET_OBSTACLES},
            False,
        ),
        (
            _(
                "4. Save the file as an Excel workbook (.xlsx), then upload it on the page you "
                "downloaded it from."
            ),
            False,
        ),
        (
            _(
                "5. The whole file is checked before anything is saved. If anything is wrong, "
                "nothing is saved and every problem is listed by sheet, row and column. Rows "
                "you did not change are left as they are."
            ),
            False,
        ),
        (
            _(
                "6. If someone saved an update after you downloaded this file and you changed "
                "that row too, the row is refused: download the file again and copy your text "
                "into it."
            ),
            False,
        ),
        (
            _("Long texts can hold up to %(limit)s characters.")
            % {"limit": formats.number_format(TEXT_LIMIT, force_grouping=True)},
            False,
        ),
    ]
    for index, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=index, column=1, value=text)
        cell.alignment = WRAP
        if bold:
            cell.font = Font(bold=True, size=13 if index == 1 else 11)
    ws.column_dimensions["A"].width = 110


def updates_workbook(*, cycle: Cycle, entity: Entity, user: Any) -> bytes:
    """The entity's updates for the cycle as a pre-filled .xlsx file."""
    updates = list(_entity_updates(cycle, entity, user))
    for update in updates:
        update.cycle = cycle
    wb = Workbook()
    wb.properties.title = _("Progress updates %(cycle)s — %(entity)s") % {
        "cycle": cycle.code,
        "entity": entity.label,
    }
    wb.properties.creator = _("A4P+ Monitor")
    _instructions(wb, cycle=cycle, entity=entity, user=user)

    ws = wb.create_sheet(str(SHEET_UPDATES))
    _header(ws, UPDATE_COLUMNS)
    rating = {code: str(label) for code, label in RATINGS}
    sensitivity = {code: str(label) for code, label in SENSITIVITIES}
    for row, update in enumerate(updates, start=2):
        assignment = update.assignment
        role = assignment.get_role_display()
        editable = access.can_edit(user, update)
        values = {
            "id": update.pk,
            "version": update.version,
            "deliverable": assignment.deliverable.code,
            "deliverable_text": assignment.deliverable.text,
            "role": f"{role} ({assignment.scope})" if assignment.scope else role,
            "state": update.get_state_display(),
            "rating": rating.get(update.rating, update.rating),
            "narrative": update.narrative,
            "achievements": update.achievements,
            "next_steps": update.next_steps,
            "wps_note": update.wps_note,
            "sensitivity": sensitivity.get(update.sensitivity, update.sensitivity),
            "check": _fingerprint(
                {name: getattr(update, name) for name in services.UPDATE_FIELDS},
                [(o.pk, *_stored_obstacle(o)) for o in update.obstacles.all()],
            ),
        }
        for index, column in enumerate(UPDATE_COLUMNS, start=1):
            _put(
                ws,
                row,
                index,
                values[column.key],
                style=column,
                locked=not (column.editable and editable),
            )
    last = max(len(updates) + 1, 2)
    ws.column_dimensions[get_column_letter(len(UPDATE_COLUMNS))].hidden = True

    obstacles_ws = wb.create_sheet(str(SHEET_OBSTACLES))
    _header(obstacles_ws, OBSTACLE_COLUMNS)
    category = {code: str(label) for code, label in CATEGORIES}
    severity = {code: str(label) for code, label in SEVERITIES}
    updates_sheet = quote_sheetname(ws.title)
    row = 1
    for update in updates:
        editable = access.can_edit(user, update)
        for obstacle in update.obstacles.all():
            row += 1
            values = {
                "update": update.pk,
                "id": obstacle.pk,
                "category": category.get(obstacle.category, obstacle.category),
                "description": obstacle.description,
                "severity": severity.get(obstacle.severity, obstacle.severity),
                "mitigation": obstacle.mitigation,
                "support_requested": obstacle.support_requested,
                "support_from": obstacle.support_from,
                "escalate": str(YES if obstacle.escalate else NO),
            }
            _obstacle_row(obstacles_ws, row, values, editable=editable, updates=updates_sheet)
    for _extra in range(EMPTY_OBSTACLE_ROWS):
        row += 1
        _obstacle_row(obstacles_ws, row, {}, editable=True, updates=updates_sheet)

    ranges = _lists_sheet(wb, [u.pk for u in updates])
    _validation(ws, ranges["rating"], f"G2:G{last}", blank=True, what=UPDATE_COLUMNS[6].label)
    _validation(
        ws, ranges["sensitivity"], f"L2:L{last}", blank=False, what=UPDATE_COLUMNS[11].label
    )
    _validation(
        obstacles_ws, ranges["update"], f"A2:A{row}", blank=True, what=OBSTACLE_COLUMNS[0].label
    )
    _validation(
        obstacles_ws, ranges["category"], f"D2:D{row}", blank=True, what=OBSTACLE_COLUMNS[3].label
    )
    _validation(
        obstacles_ws, ranges["severity"], f"F2:F{row}", blank=True, what=OBSTACLE_COLUMNS[5].label
    )
    _validation(
        obstacles_ws, ranges["escalate"], f"J2:J{row}", blank=True, what=OBSTACLE_COLUMNS[9].label
    )
    _protect(ws)
    _protect(obstacles_ws)
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _obstacle_row(
    ws: Any, row: int, values: dict[str, Any], *, editable: bool, updates: str
) -> None:
    for index, column in enumerate(OBSTACLE_COLUMNS, start=1):
        if column.key == "deliverable":
            # Shows the deliverable of whatever Update ID the row names; read for reference only.
            cell = ws.cell(
                row=row,
                column=index,
                value=(f'=IF(A{row}="","",IFERROR(VLOOKUP(A{row},{updates}!$A:$C,3,FALSE),""))'),
            )
            cell.fill = GREY
            cell.alignment = TOP
            continue
        _put(
            ws,
            row,
            index,
            values.get(column.key),
            style=column,
            locked=not (column.editable and editable),
        )


def xlsx_filename(*, cycle: Cycle, entity: Entity) -> str:
    """For example A4P-2023-H1-MINUSCA.xlsx."""
    plan = cycle.plan
    parts = [plan.short_title or plan.code, cycle.code, entity.label]
    safe = [re.sub(r"[^A-Za-z0-9_-]+", "-", part).strip("-") for part in parts]
    return "-".join(part for part in safe if part) + ".xlsx"


# Import ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One problem in an uploaded file. `row` is None and `column` empty for the whole file or
    sheet; `header` names the column as the file does."""

    sheet: str
    row: int | None
    column: str
    header: str
    message: str


@dataclass
class ImportResult:
    errors: list[CellError] = field(default_factory=list)
    applied: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class _Invalid(Exception):
    """A cell that cannot be read; the message says why."""


@dataclass
class _Sheet:
    title: str
    columns: dict[str, tuple[int, str, str]]  # key -> (index, letter, header as written)
    rows: list[tuple[int, tuple[Any, ...]]]

    def value(self, row: tuple[Any, ...], key: str) -> Any:
        if key not in self.columns:
            return None
        index = self.columns[key][0]
        value = row[index] if index < len(row) else None
        return value.strip() if isinstance(value, str) else value

    def blank(self, row: tuple[Any, ...], keys: Iterable[str]) -> bool:
        return all(self.value(row, key) in (None, "") for key in keys)


@dataclass
class _UpdateRow:
    row: int
    update: ProgressUpdate
    version: int
    values: dict[str, str]
    check: str


@dataclass
class _ObstacleRow:
    row: int
    update_id: int
    data: services.ObstacleData


class _Errors:
    def __init__(self) -> None:
        self.items: list[CellError] = []

    def file(self, message: str) -> None:
        self.items.append(CellError(sheet="", row=None, column="", header="", message=message))

    def sheet(self, sheet: str, message: str, row: int | None = None) -> None:
        self.items.append(CellError(sheet=sheet, row=row, column="", header="", message=message))

    def cell(self, sheet: _Sheet, row: int, key: str, message: str) -> None:
        _index, letter, header = sheet.columns.get(key, (0, "", ""))
        self.items.append(
            CellError(sheet=sheet.title, row=row, column=letter, header=header, message=message)
        )

    def sorted(self, order: list[str]) -> list[CellError]:
        def rank(error: CellError) -> tuple[int, int, int, str]:
            sheet = order.index(error.sheet) + 1 if error.sheet in order else 0
            letter = error.column
            width = len(letter)
            return (sheet, error.row or 0, width, letter)

        return sorted(self.items, key=rank)


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(YES if value else NO)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return cell_text(str(value))


def _as_int(value: Any, label: str) -> int:
    if isinstance(value, bool):
        raise _Invalid(
            _("%(column)s: '%(value)s' is not a number.") % {"column": label, "value": _show(value)}
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise _Invalid(
        _("%(column)s: '%(value)s' is not a number.") % {"column": label, "value": _show(value)}
    )


def _as_choice(value: Any, label: str, name: str, *, blank: bool) -> str:
    choices = CHOICES[name]
    if isinstance(value, bool) and name == "escalate":
        return "yes" if value else "no"
    text = _as_text(value)
    if not text:
        if blank:
            return ""
        raise _Invalid(
            _("%(column)s is required: choose one of %(choices)s.")
            % {"column": label, "choices": ", ".join(_labels(choices))}
        )
    code = _choice_map(name).get(_key(text))
    if code is None:
        raise _Invalid(
            _("%(column)s: '%(value)s' is not one of %(choices)s.")
            % {"column": label, "value": _show(text), "choices": ", ".join(_labels(choices))}
        )
    return code


def _as_long_text(value: Any, label: str, *, stored: str, limit: int = TEXT_LIMIT) -> str:
    text = _as_text(value)
    if len(text) > limit and text != cell_text(stored):
        raise _Invalid(
            _("%(column)s: %(length)s characters; at most %(limit)s are allowed.")
            % {
                "column": label,
                "length": formats.number_format(len(text), force_grouping=True),
                "limit": formats.number_format(limit, force_grouping=True),
            }
        )
    return text


def _read(data: bytes, errors: _Errors) -> dict[str, _Sheet] | None:
    """The Updates and Obstacles sheets, or None with the reason in `errors`."""
    not_xlsx = _(
        "This file is not an Excel workbook (.xlsx), or it is damaged. Upload the file "
        "you downloaded, saved as an Excel workbook (.xlsx)."
    )
    buffer = io.BytesIO(data)
    if not data or not zipfile.is_zipfile(buffer):
        errors.file(not_xlsx)
        return None
    try:
        with zipfile.ZipFile(buffer) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        errors.file(not_xlsx)
        return None
    if unpacked > MAX_UNPACKED_BYTES:
        errors.file(
            _(
                "This file is too large once unpacked. Upload the workbook you downloaded, "
                "without added sheets or pictures."
            )
        )
        return None
    wanted = {
        "updates": (SHEET_UPDATES, UPDATE_COLUMNS),
        "obstacles": (SHEET_OBSTACLES, OBSTACLE_COLUMNS),
    }
    sheets: dict[str, _Sheet] = {}
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        errors.file(not_xlsx)
        return None
    try:
        titles = {_key(title): title for title in wb.sheetnames}
        for name, (label, columns) in wanted.items():
            title = next((titles[v] for v in _variants(label) if v in titles), None)
            if title is None:
                errors.sheet(
                    str(label),
                    _(
                        "The sheet “%(sheet)s” is missing. Upload the "
                        "workbook you downloaded, with its sheets as they "
                        "were."
                    )
                    % {"sheet": label},
                )
                continue
            ws = wb[title]
            ws.reset_dimensions()
            rows: list[tuple[int, tuple[Any, ...]]] = []
            header: tuple[Any, ...] = ()
            for number, row in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                if number == 1:
                    header = tuple(row)
                    continue
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                    continue
                rows.append((number, tuple(row)))
                if len(rows) > MAX_ROWS:
                    break
            sheet = _Sheet(title=title, columns={}, rows=rows)
            found = {_key(v): i for i, v in reversed(list(enumerate(header))) if v is not None}
            for column in columns:
                index = next((found[v] for v in _variants(column.label) if v in found), None)
                if index is not None:
                    sheet.columns[column.key] = (
                        index,
                        get_column_letter(index + 1),
                        str(header[index]),
                    )
                elif column.required:
                    errors.sheet(
                        title,
                        _("The column “%(column)s” is missing from the header row.")
                        % {"column": column.label},
                        row=1,
                    )
            if len(rows) > MAX_ROWS:
                errors.sheet(
                    title,
                    _("This sheet has more than %(limit)s filled rows.") % {"limit": MAX_ROWS},
                )
            sheets[name] = sheet
    except Exception:
        errors.file(not_xlsx)
        return None
    finally:
        wb.close()
    return sheets


def _label(sheet: _Sheet, key: str, columns: list[Column]) -> str:
    if key in sheet.columns:
        return sheet.columns[key][2]
    return str(next(c.label for c in columns if c.key == key))


def _stored_obstacle(obstacle: Obstacle) -> tuple[Any, ...]:
    return (
        obstacle.category,
        cell_text(obstacle.description),
        obstacle.severity,
        cell_text(obstacle.mitigation),
        cell_text(obstacle.support_requested),
        cell_text(obstacle.support_from),
        obstacle.escalate,
    )


def _file_obstacle(item: services.ObstacleData) -> tuple[Any, ...]:
    return (
        item.category,
        item.description,
        item.severity,
        item.mitigation,
        item.support_requested,
        item.support_from,
        item.escalate,
    )


def _update_rows(
    sheet: _Sheet,
    known: dict[int, ProgressUpdate],
    errors: _Errors,
    *,
    cycle: Cycle,
    entity: Entity,
) -> tuple[dict[int, _UpdateRow], set[int]]:
    """The readable rows of the Updates sheet by update id, and every known id on the sheet."""
    seen: dict[int, int] = {}
    rows: dict[int, _UpdateRow] = {}
    keys = [c.key for c in UPDATE_COLUMNS if c.editable] + ["id", "version"]
    label = _label(sheet, "id", UPDATE_COLUMNS)
    for number, row in sheet.rows:
        if sheet.blank(row, keys):
            continue
        raw_id = sheet.value(row, "id")
        if raw_id in (None, ""):
            errors.cell(
                sheet,
                number,
                "id",
                _(
                    "%(column)s is missing: this row cannot be matched to an update. Rows "
                    "cannot be added on this sheet."
                )
                % {"column": label},
            )
            continue
        try:
            pk = _as_int(raw_id, label)
        except _Invalid as problem:
            errors.cell(sheet, number, "id", str(problem))
            continue
        update = known.get(pk)
        if update is None:
            errors.cell(
                sheet,
                number,
                "id",
                _("%(column)s: %(id)s is not an update of %(entity)s in cycle %(cycle)s.")
                % {"column": label, "id": pk, "entity": entity.label, "cycle": cycle.code},
            )
            continue
        if pk in seen:
            errors.cell(
                sheet,
                number,
                "id",
                _(
                    "%(column)s: update %(id)s (deliverable %(code)s) is already on row %(row)s; "
                    "each update can appear only once."
                )
                % {
                    "column": label,
                    "id": pk,
                    "code": update.assignment.deliverable.code,
                    "row": seen[pk],
                },
            )
            continue
        seen[pk] = number
        ok = True
        version = 0
        try:
            version = _as_int(sheet.value(row, "version"), _label(sheet, "version", UPDATE_COLUMNS))
        except _Invalid as problem:
            errors.cell(sheet, number, "version", str(problem))
            ok = False
        values: dict[str, str] = {}
        for key, blank in (("rating", True), ("sensitivity", False)):
            try:
                values[key] = _as_choice(
                    sheet.value(row, key), _label(sheet, key, UPDATE_COLUMNS), key, blank=blank
                )
            except _Invalid as problem:
                errors.cell(sheet, number, key, str(problem))
                ok = False
        for key in UPDATE_TEXTS:
            try:
                values[key] = _as_long_text(
                    sheet.value(row, key),
                    _label(sheet, key, UPDATE_COLUMNS),
                    stored=getattr(update, key),
                )
            except _Invalid as problem:
                errors.cell(sheet, number, key, str(problem))
                ok = False
        if ok:
            rows[pk] = _UpdateRow(
                row=number,
                update=update,
                version=version,
                values=values,
                check=_as_text(sheet.value(row, "check")),
            )
    return rows, set(seen)


def _obstacle_update(
    sheet: _Sheet,
    number: int,
    row: tuple[Any, ...],
    known: dict[int, ProgressUpdate],
    on_sheet: set[int],
    errors: _Errors,
    *,
    cycle: Cycle,
    entity: Entity,
) -> int | None:
    """The update an obstacle row names, or None with the reason in `errors`."""
    label = _label(sheet, "update", OBSTACLE_COLUMNS)
    raw = sheet.value(row, "update")
    if raw in (None, ""):
        errors.cell(
            sheet,
            number,
            "update",
            _("%(column)s is required: say which update this obstacle belongs to.")
            % {"column": label},
        )
        return None
    try:
        update_id = _as_int(raw, label)
    except _Invalid as problem:
        errors.cell(sheet, number, "update", str(problem))
        return None
    if update_id not in known:
        errors.cell(
            sheet,
            number,
            "update",
            _("%(column)s: %(id)s is not an update of %(entity)s in cycle %(cycle)s.")
            % {"column": label, "id": update_id, "entity": entity.label, "cycle": cycle.code},
        )
        return None
    if update_id not in on_sheet:
        errors.cell(
            sheet,
            number,
            "update",
            _("%(column)s: update %(id)s is not on the sheet “%(sheet)s”.")
            % {"column": label, "id": update_id, "sheet": SHEET_UPDATES},
        )
        return None
    return update_id


def _obstacle_rows(
    sheet: _Sheet,
    known: dict[int, ProgressUpdate],
    on_sheet: set[int],
    errors: _Errors,
    *,
    cycle: Cycle,
    entity: Entity,
) -> dict[int, list[_ObstacleRow]]:
    """The readable obstacle rows, by update id."""
    stored = {o.pk: o for u in known.values() for o in u.obstacles.all()}
    seen: dict[int, int] = {}
    found: dict[int, list[_ObstacleRow]] = {}
    keys = [c.key for c in OBSTACLE_COLUMNS if c.editable]
    id_label = _label(sheet, "id", OBSTACLE_COLUMNS)
    for number, row in sheet.rows:
        if sheet.blank(row, keys):
            continue  # a cleared row: the obstacle is removed
        update_id = _obstacle_update(
            sheet, number, row, known, on_sheet, errors, cycle=cycle, entity=entity
        )
        ok = update_id is not None
        current: Obstacle | None = None
        raw_id = sheet.value(row, "id")
        if raw_id not in (None, ""):
            try:
                obstacle_id = _as_int(raw_id, id_label)
            except _Invalid as problem:
                errors.cell(sheet, number, "id", str(problem))
                ok = False
            else:
                current = stored.get(obstacle_id)
                if current is None:
                    errors.cell(
                        sheet,
                        number,
                        "id",
                        _("%(column)s: %(id)s is not an obstacle of %(entity)s in cycle %(cycle)s.")
                        % {
                            "column": id_label,
                            "id": obstacle_id,
                            "entity": entity.label,
                            "cycle": cycle.code,
                        },
                    )
                    ok = False
                elif obstacle_id in seen:
                    errors.cell(
                        sheet,
                        number,
                        "id",
                        _(
                            "%(column)s: obstacle %(id)s is already on row %(row)s; each obstacle "
                            "can appear only once."
                        )
                        % {"column": id_label, "id": obstacle_id, "row": seen[obstacle_id]},
                    )
                    ok = False
                elif update_id is not None and current.update_id != update_id:
                    errors.cell(
                        sheet,
                        number,
                        "update",
                        _(
                            "%(column)s: obstacle %(id)s belongs to update %(owner)s, not to "
                            "update %(update)s. To move it, add it as a new row and clear this "
                            "one."
                        )
                        % {
                            "column": _label(sheet, "update", OBSTACLE_COLUMNS),
                            "id": obstacle_id,
                            "owner": current.update_id,
                            "update": update_id,
                        },
                    )
                    ok = False
                seen.setdefault(obstacle_id, number)
        values: dict[str, Any] = {}
        for key in ("category", "severity"):
            try:
                values[key] = _as_choice(
                    sheet.value(row, key), _label(sheet, key, OBSTACLE_COLUMNS), key, blank=False
                )
            except _Invalid as problem:
                errors.cell(sheet, number, key, str(problem))
                ok = False
        for key in OBSTACLE_TEXTS:
            label = _label(sheet, key, OBSTACLE_COLUMNS)
            limit = TEXT_LIMIT
            if key == "support_from":
                limit = Obstacle._meta.get_field("support_from").max_length or TEXT_LIMIT
            try:
                values[key] = _as_long_text(
                    sheet.value(row, key),
                    label,
                    limit=limit,
                    stored=getattr(current, key) if current else "",
                )
            except _Invalid as problem:
                errors.cell(sheet, number, key, str(problem))
                ok = False
                continue
            if key == "description" and not values[key]:
                errors.cell(
                    sheet,
                    number,
                    key,
                    _("%(column)s is required for an obstacle.") % {"column": label},
                )
                ok = False
        try:
            values["escalate"] = (
                _as_choice(
                    sheet.value(row, "escalate"),
                    _label(sheet, "escalate", OBSTACLE_COLUMNS),
                    "escalate",
                    blank=True,
                )
                == "yes"
            )
        except _Invalid as problem:
            errors.cell(sheet, number, "escalate", str(problem))
            ok = False
        if ok and update_id is not None:
            data = services.ObstacleData(id=current.pk if current else None, **values)
            found.setdefault(update_id, []).append(
                _ObstacleRow(row=number, update_id=update_id, data=data)
            )
    return found


def _fingerprint(values: dict[str, str], obstacles: list[tuple[Any, ...]]) -> str:
    """A digest of an update's author values and obstacles, the same whether read from the
    database at download or from the file at upload."""
    texts = {
        name: cell_text(values[name]) if name in UPDATE_TEXTS else values[name]
        for name in services.UPDATE_FIELDS
    }
    items = sorted([(pk or 0, *rest) for pk, *rest in obstacles], key=repr)
    payload = json.dumps([texts, items], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def _obstacles_changed(update: ProgressUpdate, items: list[_ObstacleRow]) -> bool:
    if any(item.data.id is None for item in items):
        return True
    stored = {o.pk: _stored_obstacle(o) for o in update.obstacles.all()}
    return stored != {item.data.id: _file_obstacle(item.data) for item in items}


def _fields_changed(update: ProgressUpdate, values: dict[str, str]) -> bool:
    for name in services.UPDATE_FIELDS:
        stored = getattr(update, name)
        if (cell_text(stored) if name in UPDATE_TEXTS else stored) != values[name]:
            return True
    return False


def _stale(update: ProgressUpdate, version: int) -> str:
    return _(
        "Update %(id)s (deliverable %(code)s) was saved by %(user)s on %(when)s, after this "
        "file was downloaded (the file has version %(file)s, the saved update version "
        "%(saved)s). Download the file again and redo your changes to this row."
    ) % {
        "id": update.pk,
        "code": update.assignment.deliverable.code,
        "user": update.updated_by or _("someone"),
        "when": formats.date_format(timezone.localtime(update.updated_at), "SHORT_DATETIME_FORMAT"),
        "file": version,
        "saved": update.version,
    }


def updates_import(*, cycle: Cycle, entity: Entity, user: Any, data: bytes) -> ImportResult:
    """Check the whole file; if it is valid, apply every changed update in one transaction.

    Rows that match the saved update (fields and obstacles) are skipped. A changed row of an
    update the user cannot edit, or one saved by someone since the download (its Version is
    stale), is an error. Nothing is applied unless the whole file is valid and every save
    succeeds."""
    errors = _Errors()
    sheets = _read(data, errors)
    if sheets is None or errors.items:
        order = [s.title for s in sheets.values()] if sheets else []
        return ImportResult(errors=errors.sorted(order))
    updates_sheet, obstacles_sheet = sheets["updates"], sheets["obstacles"]
    order = [updates_sheet.title, obstacles_sheet.title]

    known = {u.pk: u for u in _entity_updates(cycle, entity, user)}
    for update in known.values():
        update.cycle = cycle
    rows, on_sheet = _update_rows(updates_sheet, known, errors, cycle=cycle, entity=entity)
    obstacles = _obstacle_rows(obstacles_sheet, known, on_sheet, errors, cycle=cycle, entity=entity)

    changed: list[tuple[_UpdateRow, list[_ObstacleRow] | None]] = []
    unchanged = 0
    for pk, item in rows.items():
        update = item.update
        mine = obstacles.get(pk, [])
        downloaded = _fingerprint(item.values, [(o.data.id, *_file_obstacle(o.data)) for o in mine])
        if item.check and item.check == downloaded:
            unchanged += 1  # not touched since the download, whatever was saved since
            continue
        fields_changed = _fields_changed(update, item.values)
        obstacles_changed = _obstacles_changed(update, mine)
        if not (fields_changed or obstacles_changed):
            unchanged += 1
            continue
        if not access.can_edit(user, update):
            what = (
                _("its values differ from the saved ones")
                if fields_changed
                else _("its obstacles on the sheet “%(sheet)s” differ from the saved ones")
                % {"sheet": obstacles_sheet.title}
            )
            errors.cell(
                updates_sheet,
                item.row,
                "id",
                _(
                    "Update %(id)s (deliverable %(code)s) cannot be changed, but %(what)s. "
                    "%(reason)s Put back the downloaded values, or download the file again."
                )
                % {
                    "id": pk,
                    "code": update.assignment.deliverable.code,
                    "what": what,
                    "reason": services.edit_refusal(user, update),
                },
            )
        elif item.version != update.version:
            errors.cell(updates_sheet, item.row, "version", _stale(update, item.version))
        else:
            changed.append((item, mine if obstacles_changed else None))
    if errors.items:
        return ImportResult(errors=errors.sorted(order))

    applied = 0
    with transaction.atomic():
        for item, items in changed:
            try:
                services.update_save(
                    update=item.update,
                    actor=user,
                    expected_version=item.version,
                    values=item.values,
                    obstacles=None if items is None else [i.data for i in items],
                )
            except services.EditConflict as conflict:
                errors.cell(
                    updates_sheet, item.row, "version", _stale(conflict.current, item.version)
                )
            except services.ReportingError as refusal:
                errors.cell(updates_sheet, item.row, "id", str(refusal))
            else:
                applied += 1
        if errors.items:
            transaction.set_rollback(True)  # all or nothing
    if errors.items:
        return ImportResult(errors=errors.sorted(order))
    return ImportResult(applied=applied, unchanged=unchanged)
