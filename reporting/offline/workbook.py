"""The workbook a focal point downloads: one entity's progress updates for one cycle, pre-filled,
with their obstacles, drop-downs for every choice and the reference columns locked.

Every cell is written through `core.export.xlsx_put`: a text is a text cell, quote-prefixed when
it starts like a formula, so it is never run and reads back exactly as written (the reader needs
no prefix to strip). The one formula is the workbook's own look-up of an obstacle row's
deliverable."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from accounts.models import User
from core.export import xlsx_put
from core.models import Entity
from reporting import access, services
from reporting.models import Cycle, ProgressUpdate
from reporting.offline.fingerprint import fingerprint, stored_obstacle
from reporting.offline.layout import (
    CATEGORIES,
    CHOICES,
    NO,
    OBSTACLE_COLUMNS,
    RATINGS,
    SENSITIVITIES,
    SEVERITIES,
    SHEET_INSTRUCTIONS,
    SHEET_LISTS,
    SHEET_OBSTACLES,
    SHEET_UPDATES,
    TEXT_LIMIT,
    UPDATE_COLUMNS,
    YES,
    Column,
    cell_text,
    column_named,
    labels,
)
from reporting.selectors import entity_updates_of_cycle

EMPTY_OBSTACLE_ROWS = 30

GREY = PatternFill("solid", fgColor="E4E4E4")
HEADER_FILL = PatternFill("solid", fgColor="C9D7E8")
BOLD = Font(bold=True)
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)

# Every drop-down may be left empty but the sensitivity's: an update always has one, and the
# empty obstacle rows at the end stay empty.
REQUIRED_CHOICES = {"sensitivity"}

# The steps on the Instructions sheet, each with the names it fills in.
STEPS: list[tuple[Promise, dict[str, Promise]]] = [
    (
        gettext_lazy(
            "1. On the sheet “%(sheet)s”, fill in the white cells of each row: rating, "
            "narrative, key achievements, next steps, WPS/gender note and sensitivity. Choose "
            "ratings and sensitivity from the drop-down lists."
        ),
        {"sheet": SHEET_UPDATES},
    ),
    (
        gettext_lazy(
            "2. Grey cells are for reference and are locked. Do not change the Update ID "
            "or the Version: they tell the system which update you wrote and which saved "
            "version you started from. Rows shown entirely in grey cannot be changed now "
            "(submitted, validated, or the cycle is closed)."
        ),
        {},
    ),
    (
        gettext_lazy(
            "3. On the sheet “%(sheet)s”, keep, change or add obstacles. A new obstacle needs "
            "the Update ID of its update (from the drop-down list), a category, a description "
            "and a severity. To remove an obstacle, clear its white cells."
        ),
        {"sheet": SHEET_OBSTACLES},
    ),
    (
        gettext_lazy(
            "4. Save the file as an Excel workbook (.xlsx), then upload it on the page you "
            "downloaded it from."
        ),
        {},
    ),
    (
        gettext_lazy(
            "5. The whole file is checked before anything is saved. If anything is wrong, "
            "nothing is saved and every problem is listed by sheet, row and column. Rows "
            "you did not change are left as they are."
        ),
        {},
    ),
    (
        gettext_lazy(
            "6. If someone saved an update after you downloaded this file and you changed "
            "that row too, the row is refused: download the file again and copy your text "
            "into it."
        ),
        {},
    ),
]


def updates_workbook(*, cycle: Cycle, entity: Entity, user: User) -> bytes:
    """The entity's updates for the cycle as a pre-filled .xlsx file."""
    updates = list(entity_updates_of_cycle(user, cycle=cycle, entity=entity))
    for update in updates:
        update.cycle = cycle
    wb = Workbook()
    wb.properties.title = _("Progress updates %(cycle)s — %(entity)s") % {
        "cycle": cycle.code,
        "entity": entity.label,
    }
    wb.properties.creator = _("A4P+ Monitor")
    _instructions(wb, cycle=cycle, entity=entity, user=user)
    updates_ws = _updates_sheet(wb, updates, user)
    obstacles_ws = _obstacles_sheet(wb, updates, user, updates_title=updates_ws.title)
    ranges = _lists_sheet(wb, [u.pk for u in updates])
    _drop_downs(updates_ws, UPDATE_COLUMNS, ranges, last=max(len(updates) + 1, 2))
    _drop_downs(obstacles_ws, OBSTACLE_COLUMNS, ranges, last=obstacles_ws.max_row)
    _protect(updates_ws)
    _protect(obstacles_ws)
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_filename(*, cycle: Cycle, entity: Entity) -> str:
    """For example A4P-2023-H1-MINUSCA.xlsx."""
    plan = cycle.plan
    parts = [plan.short_title or plan.code, cycle.code, entity.label]
    safe = [re.sub(r"[^A-Za-z0-9_-]+", "-", part).strip("-") for part in parts]
    return "-".join(part for part in safe if part) + ".xlsx"


def _instructions(wb: Workbook, *, cycle: Cycle, entity: Entity, user: User) -> None:
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
        *[(str(step) % names if names else str(step), False) for step, names in STEPS],
        (
            _("Long texts can hold up to %(limit)s characters.")
            % {"limit": formats.number_format(TEXT_LIMIT, force_grouping=True)},
            False,
        ),
    ]
    for index, (text, bold) in enumerate(lines, start=1):
        cell = xlsx_put(ws.cell(row=index, column=1), text)
        cell.alignment = WRAP
        if bold:
            cell.font = Font(bold=True, size=13 if index == 1 else 11)
    ws.column_dimensions["A"].width = 110


def _updates_sheet(wb: Workbook, updates: list[ProgressUpdate], user: User) -> Worksheet:
    """One row per update; the author's cells open where the user may change the update."""
    ws = wb.create_sheet(str(SHEET_UPDATES))
    _header(ws, UPDATE_COLUMNS)
    for row, update in enumerate(updates, start=2):
        editable = access.can_edit(user, update)
        values = _update_values(update)
        for index, column in enumerate(UPDATE_COLUMNS, start=1):
            _put(
                ws,
                row,
                index,
                values[column.key],
                style=column,
                locked=not (column.editable and editable),
            )
    ws.column_dimensions[get_column_letter(len(UPDATE_COLUMNS))].hidden = True
    return ws


def _update_values(update: ProgressUpdate) -> dict[str, Any]:
    """What the update's row shows, by column key."""
    assignment = update.assignment
    role = assignment.get_role_display()
    rating = {code: str(label) for code, label in RATINGS}
    sensitivity = {code: str(label) for code, label in SENSITIVITIES}
    return {
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
        "check": fingerprint(
            {name: getattr(update, name) for name in services.UPDATE_FIELDS},
            [(o.pk, *stored_obstacle(o)) for o in update.obstacles.all()],
        ),
    }


def _obstacles_sheet(
    wb: Workbook, updates: list[ProgressUpdate], user: User, *, updates_title: str
) -> Worksheet:
    """The updates' obstacles, then empty rows for new ones."""
    ws = wb.create_sheet(str(SHEET_OBSTACLES))
    _header(ws, OBSTACLE_COLUMNS)
    category = {code: str(label) for code, label in CATEGORIES}
    severity = {code: str(label) for code, label in SEVERITIES}
    updates_sheet = quote_sheetname(updates_title)
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
            _obstacle_row(ws, row, values, editable=editable, updates=updates_sheet)
    for _extra in range(EMPTY_OBSTACLE_ROWS):
        row += 1
        _obstacle_row(ws, row, {}, editable=True, updates=updates_sheet)
    return ws


def _obstacle_row(
    ws: Worksheet, row: int, values: dict[str, Any], *, editable: bool, updates: str
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


def _put(
    ws: Worksheet,
    row: int,
    column: int,
    value: Any,
    *,
    style: Column | None = None,
    locked: bool = True,
) -> None:
    cell = xlsx_put(
        ws.cell(row=row, column=column), cell_text(value) if isinstance(value, str) else value
    )
    cell.alignment = WRAP if style is not None and style.wrap else TOP
    if locked:
        cell.fill = GREY
    else:
        cell.protection = UNLOCKED


def _header(ws: Worksheet, columns: Sequence[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = xlsx_put(ws.cell(row=1, column=index), column.label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(sum(1 for c in columns if c.key != 'check'))}1"


def _protect(ws: Worksheet) -> None:
    """Locked cells stay locked; columns can still be resized and rows filtered."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False


def _lists_sheet(wb: Workbook, update_ids: list[int]) -> dict[str, str]:
    """The hidden sheet behind the drop-downs; returns each list's range formula."""
    ws = wb.create_sheet(str(SHEET_LISTS))
    ws.sheet_state = "hidden"
    lists: dict[str, list[Any]] = {name: labels(choices) for name, choices in CHOICES.items()}
    lists["update"] = list(update_ids) or [""]
    headers = {
        name: column_named([*UPDATE_COLUMNS, *OBSTACLE_COLUMNS], name).label for name in lists
    }
    ranges: dict[str, str] = {}
    sheet = quote_sheetname(ws.title)
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        xlsx_put(ws.cell(row=1, column=index), headers[name]).font = BOLD
        for offset, value in enumerate(values, start=2):
            xlsx_put(ws.cell(row=offset, column=index), value)
        ranges[name] = f"{sheet}!${letter}$2:${letter}${len(values) + 1}"
        ws.column_dimensions[letter].width = 28
    return ranges


def _drop_downs(ws: Worksheet, columns: list[Column], ranges: dict[str, str], *, last: int) -> None:
    """A drop-down on every column of the sheet that has a list, down to row `last`."""
    for index, column in enumerate(columns, start=1):
        if column.key not in ranges:
            continue
        rule = DataValidation(
            type="list",
            formula1=ranges[column.key],
            allow_blank=column.key not in REQUIRED_CHOICES,
        )
        rule.showErrorMessage = True
        rule.errorTitle = str(column.label)
        rule.error = _("Choose a value from the list.")
        ws.add_data_validation(rule)
        letter = get_column_letter(index)
        rule.add(f"{letter}2:{letter}{last}")
