"""Reading an uploaded workbook into plain data.

The Updates and Obstacles sheets are found by their names and headers in any of the site's
languages; every row's cells are checked and turned into values for `reporting.services`, and
every problem is recorded with its sheet, row, column and reason. Reading writes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.models import Entity
from reporting import services
from reporting.models import Cycle, Obstacle, ProgressUpdate
from reporting.offline.layout import (
    CHOICES,
    NO,
    OBSTACLE_COLUMNS,
    OBSTACLE_TEXTS,
    SHEET_OBSTACLES,
    SHEET_UPDATES,
    TEXT_LIMIT,
    UPDATE_COLUMNS,
    UPDATE_TEXTS,
    YES,
    Column,
    cell_text,
    choice_map,
    comparable,
    labels,
    variants,
)

# Limits on what is read: the rows of a sheet, and the unpacked size of the file (a small .xlsx
# can unpack huge).
MAX_ROWS = 2_000
MAX_UNPACKED_BYTES = 50_000_000

# The sheets read, by name: their title in the workbook and their columns.
SHEETS: dict[str, tuple[Promise, list[Column]]] = {
    "updates": (SHEET_UPDATES, UPDATE_COLUMNS),
    "obstacles": (SHEET_OBSTACLES, OBSTACLE_COLUMNS),
}


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
class Sheet:
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


class Errors:
    """The problems found so far, in the file, a sheet or a cell."""

    def __init__(self) -> None:
        self.items: list[CellError] = []

    def file(self, message: str) -> None:
        self.items.append(CellError(sheet="", row=None, column="", header="", message=message))

    def sheet(self, sheet: str, message: str, row: int | None = None) -> None:
        self.items.append(CellError(sheet=sheet, row=row, column="", header="", message=message))

    def cell(self, sheet: Sheet, row: int, key: str, message: str) -> None:
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


@dataclass
class UpdateRow:
    row: int
    update: ProgressUpdate
    version: int
    values: dict[str, str]
    check: str


@dataclass
class ObstacleRow:
    row: int
    update_id: int
    data: services.ObstacleData


@dataclass
class Rows:
    """The readable rows of both sheets: update rows and obstacle rows, by update id."""

    updates: dict[int, UpdateRow]
    obstacles: dict[int, list[ObstacleRow]]


class _Invalid(Exception):
    """A cell that cannot be read; the message says why."""


# The file and its sheets ----------------------------------------------------------------------


def read_sheets(data: bytes, errors: Errors) -> dict[str, Sheet] | None:
    """The Updates and Obstacles sheets found, by name (see `SHEETS`), or None with the reason
    in `errors`."""
    not_xlsx = _(
        "This file is not an Excel workbook (.xlsx), or it is damaged. Upload the file "
        "you downloaded, saved as an Excel workbook (.xlsx)."
    )
    if not _unpacks(data, errors, not_xlsx=not_xlsx):
        return None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        errors.file(not_xlsx)
        return None
    sheets: dict[str, Sheet] = {}
    try:
        titles = {comparable(title): title for title in wb.sheetnames}
        for name, (label, columns) in SHEETS.items():
            title = next((titles[v] for v in variants(label) if v in titles), None)
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
            sheets[name] = _read_sheet(wb[title], title, columns, errors)
    except Exception:
        errors.file(not_xlsx)
        return None
    finally:
        wb.close()
    return sheets


def _unpacks(data: bytes, errors: Errors, *, not_xlsx: str) -> bool:
    """Whether the file is a zip archive of a reasonable size once unpacked."""
    buffer = io.BytesIO(data)
    if not data or not zipfile.is_zipfile(buffer):
        errors.file(not_xlsx)
        return False
    try:
        with zipfile.ZipFile(buffer) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        errors.file(not_xlsx)
        return False
    if unpacked > MAX_UNPACKED_BYTES:
        errors.file(
            _(
                "This file is too large once unpacked. Upload the workbook you downloaded, "
                "without added sheets or pictures."
            )
        )
        return False
    return True


def _read_sheet(ws: Any, title: str, columns: list[Column], errors: Errors) -> Sheet:
    """The sheet's filled rows (up to one past the limit) and where its columns are."""
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
    sheet = Sheet(title=title, columns={}, rows=rows)
    found = {comparable(v): i for i, v in reversed(list(enumerate(header))) if v is not None}
    for column in columns:
        index = next((found[v] for v in variants(column.label) if v in found), None)
        if index is not None:
            sheet.columns[column.key] = (index, get_column_letter(index + 1), str(header[index]))
        elif column.required:
            errors.sheet(
                title,
                _("The column “%(column)s” is missing from the header row.")
                % {"column": column.label},
                row=1,
            )
    if len(rows) > MAX_ROWS:
        errors.sheet(
            title, _("This sheet has more than %(limit)s filled rows.") % {"limit": MAX_ROWS}
        )
    return sheet


# Cells ----------------------------------------------------------------------------------------


def _label(sheet: Sheet, key: str, columns: list[Column]) -> str:
    if key in sheet.columns:
        return sheet.columns[key][2]
    return str(next(c.label for c in columns if c.key == key))


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
            % {"column": label, "choices": ", ".join(labels(choices))}
        )
    code = choice_map(name).get(comparable(text))
    if code is None:
        raise _Invalid(
            _("%(column)s: '%(value)s' is not one of %(choices)s.")
            % {"column": label, "value": _show(text), "choices": ", ".join(labels(choices))}
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


class _Cells:
    """One row of a sheet, read cell by cell. A cell that cannot be read is recorded in the
    errors against its column, and the row is then no longer `ok`."""

    def __init__(
        self,
        sheet: Sheet,
        number: int,
        row: tuple[Any, ...],
        columns: list[Column],
        errors: Errors,
    ) -> None:
        self.sheet = sheet
        self.number = number
        self.row = row
        self.columns = columns
        self.errors = errors
        self.ok = True

    def raw(self, key: str) -> Any:
        return self.sheet.value(self.row, key)

    def label(self, key: str) -> str:
        return _label(self.sheet, key, self.columns)

    def refuse(self, key: str, message: str) -> None:
        self.errors.cell(self.sheet, self.number, key, message)
        self.ok = False

    def integer(self, key: str) -> int | None:
        try:
            return _as_int(self.raw(key), self.label(key))
        except _Invalid as problem:
            self.refuse(key, str(problem))
            return None

    def choice(self, key: str, *, blank: bool) -> str | None:
        try:
            return _as_choice(self.raw(key), self.label(key), key, blank=blank)
        except _Invalid as problem:
            self.refuse(key, str(problem))
            return None

    def text(self, key: str, *, stored: str, limit: int = TEXT_LIMIT) -> str | None:
        try:
            return _as_long_text(self.raw(key), self.label(key), stored=stored, limit=limit)
        except _Invalid as problem:
            self.refuse(key, str(problem))
            return None


# Rows -----------------------------------------------------------------------------------------


def read_rows(
    sheets: dict[str, Sheet],
    known: dict[int, ProgressUpdate],
    errors: Errors,
    *,
    cycle: Cycle,
    entity: Entity,
) -> Rows:
    """The readable rows of both sheets, checked against `known`, the entity's updates in the
    cycle that the user sees (with their obstacles)."""
    updates, on_sheet = _update_rows(sheets["updates"], known, errors, cycle=cycle, entity=entity)
    obstacles = _obstacle_rows(
        sheets["obstacles"], known, on_sheet, errors, cycle=cycle, entity=entity
    )
    return Rows(updates=updates, obstacles=obstacles)


def _update_rows(
    sheet: Sheet,
    known: dict[int, ProgressUpdate],
    errors: Errors,
    *,
    cycle: Cycle,
    entity: Entity,
) -> tuple[dict[int, UpdateRow], set[int]]:
    """The readable rows of the Updates sheet by update id, and every known id on the sheet."""
    seen: dict[int, int] = {}
    rows: dict[int, UpdateRow] = {}
    keys = [c.key for c in UPDATE_COLUMNS if c.editable] + ["id", "version"]
    for number, row in sheet.rows:
        if sheet.blank(row, keys):
            continue
        cells = _Cells(sheet, number, row, UPDATE_COLUMNS, errors)
        update = _row_update(cells, known, seen, cycle=cycle, entity=entity)
        if update is None:
            continue
        seen[update.pk] = number
        item = _update_row(cells, update)
        if item is not None:
            rows[update.pk] = item
    return rows, set(seen)


def _row_update(
    cells: _Cells,
    known: dict[int, ProgressUpdate],
    seen: dict[int, int],
    *,
    cycle: Cycle,
    entity: Entity,
) -> ProgressUpdate | None:
    """The update an Updates row names, or None with the reason in the errors."""
    label = cells.label("id")
    if cells.raw("id") in (None, ""):
        cells.refuse(
            "id",
            _(
                "%(column)s is missing: this row cannot be matched to an update. Rows "
                "cannot be added on this sheet."
            )
            % {"column": label},
        )
        return None
    pk = cells.integer("id")
    if pk is None:
        return None
    update = known.get(pk)
    if update is None:
        cells.refuse(
            "id",
            _("%(column)s: %(id)s is not an update of %(entity)s in cycle %(cycle)s.")
            % {"column": label, "id": pk, "entity": entity.label, "cycle": cycle.code},
        )
        return None
    if pk in seen:
        cells.refuse(
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
        return None
    return update


def _update_row(cells: _Cells, update: ProgressUpdate) -> UpdateRow | None:
    """The row's version and author values, or None when a cell cannot be read."""
    version = cells.integer("version")
    values: dict[str, str] = {}
    for key, blank in (("rating", True), ("sensitivity", False)):
        choice = cells.choice(key, blank=blank)
        if choice is not None:
            values[key] = choice
    for key in UPDATE_TEXTS:
        text = cells.text(key, stored=getattr(update, key))
        if text is not None:
            values[key] = text
    if not cells.ok or version is None:
        return None
    return UpdateRow(
        row=cells.number,
        update=update,
        version=version,
        values=values,
        check=_as_text(cells.raw("check")),
    )


def _obstacle_rows(
    sheet: Sheet,
    known: dict[int, ProgressUpdate],
    on_sheet: set[int],
    errors: Errors,
    *,
    cycle: Cycle,
    entity: Entity,
) -> dict[int, list[ObstacleRow]]:
    """The readable obstacle rows, by update id."""
    stored = {o.pk: o for u in known.values() for o in u.obstacles.all()}
    seen: dict[int, int] = {}
    found: dict[int, list[ObstacleRow]] = {}
    keys = [c.key for c in OBSTACLE_COLUMNS if c.editable]
    for number, row in sheet.rows:
        if sheet.blank(row, keys):
            continue  # a cleared row: the obstacle is removed
        cells = _Cells(sheet, number, row, OBSTACLE_COLUMNS, errors)
        update_id = _obstacle_update(cells, known, on_sheet, cycle=cycle, entity=entity)
        current = _row_obstacle(cells, stored, seen, update_id, cycle=cycle, entity=entity)
        values = _obstacle_values(cells, current)
        if cells.ok and update_id is not None:
            data = services.ObstacleData(id=current.pk if current else None, **values)
            found.setdefault(update_id, []).append(
                ObstacleRow(row=number, update_id=update_id, data=data)
            )
    return found


def _obstacle_update(
    cells: _Cells,
    known: dict[int, ProgressUpdate],
    on_sheet: set[int],
    *,
    cycle: Cycle,
    entity: Entity,
) -> int | None:
    """The update an obstacle row names, or None with the reason in the errors."""
    label = cells.label("update")
    if cells.raw("update") in (None, ""):
        cells.refuse(
            "update",
            _("%(column)s is required: say which update this obstacle belongs to.")
            % {"column": label},
        )
        return None
    update_id = cells.integer("update")
    if update_id is None:
        return None
    if update_id not in known:
        cells.refuse(
            "update",
            _("%(column)s: %(id)s is not an update of %(entity)s in cycle %(cycle)s.")
            % {"column": label, "id": update_id, "entity": entity.label, "cycle": cycle.code},
        )
        return None
    if update_id not in on_sheet:
        cells.refuse(
            "update",
            _("%(column)s: update %(id)s is not on the sheet “%(sheet)s”.")
            % {"column": label, "id": update_id, "sheet": SHEET_UPDATES},
        )
        return None
    return update_id


def _row_obstacle(
    cells: _Cells,
    stored: dict[int, Obstacle],
    seen: dict[int, int],
    update_id: int | None,
    *,
    cycle: Cycle,
    entity: Entity,
) -> Obstacle | None:
    """The saved obstacle a row names, if it names one; a row without an Obstacle ID is a new
    obstacle."""
    if cells.raw("id") in (None, ""):
        return None
    obstacle_id = cells.integer("id")
    if obstacle_id is None:
        return None
    current = stored.get(obstacle_id)
    problem = _obstacle_id_problem(
        cells, obstacle_id, current, seen, update_id, cycle=cycle, entity=entity
    )
    if problem is not None:
        cells.refuse(*problem)
    seen.setdefault(obstacle_id, cells.number)
    return current


def _obstacle_id_problem(
    cells: _Cells,
    obstacle_id: int,
    current: Obstacle | None,
    seen: dict[int, int],
    update_id: int | None,
    *,
    cycle: Cycle,
    entity: Entity,
) -> tuple[str, str] | None:
    """What is wrong with the Obstacle ID of a row, as the column key and the message."""
    label = cells.label("id")
    if current is None:
        return (
            "id",
            _("%(column)s: %(id)s is not an obstacle of %(entity)s in cycle %(cycle)s.")
            % {"column": label, "id": obstacle_id, "entity": entity.label, "cycle": cycle.code},
        )
    if obstacle_id in seen:
        return (
            "id",
            _(
                "%(column)s: obstacle %(id)s is already on row %(row)s; each obstacle "
                "can appear only once."
            )
            % {"column": label, "id": obstacle_id, "row": seen[obstacle_id]},
        )
    if update_id is not None and current.update_id != update_id:
        return (
            "update",
            _(
                "%(column)s: obstacle %(id)s belongs to update %(owner)s, not to "
                "update %(update)s. To move it, add it as a new row and clear this "
                "one."
            )
            % {
                "column": cells.label("update"),
                "id": obstacle_id,
                "owner": current.update_id,
                "update": update_id,
            },
        )
    return None


def _obstacle_values(cells: _Cells, current: Obstacle | None) -> dict[str, Any]:
    """The obstacle's values as `services.ObstacleData` takes them; those that can be read."""
    values: dict[str, Any] = {}
    for key in ("category", "severity"):
        choice = cells.choice(key, blank=False)
        if choice is not None:
            values[key] = choice
    for key in OBSTACLE_TEXTS:
        limit = TEXT_LIMIT
        if key == "support_from":
            limit = Obstacle._meta.get_field("support_from").max_length or TEXT_LIMIT
        text = cells.text(key, stored=getattr(current, key) if current else "", limit=limit)
        if text is None:
            continue
        values[key] = text
        if key == "description" and not text:
            cells.refuse(
                key, _("%(column)s is required for an obstacle.") % {"column": cells.label(key)}
            )
    escalate = cells.choice("escalate", blank=True)
    if escalate is not None:
        values["escalate"] = escalate == "yes"
    return values
