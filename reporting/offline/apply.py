"""Applying an uploaded workbook: the whole file is checked first, and only when it is valid are
the changed updates saved through `reporting.services.update_save`, all in one transaction, so a
file is applied entirely or not at all."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.models import Entity
from reporting import access, services
from reporting.models import Cycle, ProgressUpdate
from reporting.offline.fingerprint import file_obstacle, fingerprint, stored_obstacle
from reporting.offline.layout import UPDATE_TEXTS, cell_text
from reporting.offline.reader import (
    CellError,
    Errors,
    ObstacleRow,
    Rows,
    Sheet,
    UpdateRow,
    read_rows,
    read_sheets,
)
from reporting.selectors import entity_updates_of_cycle

# An update row to save, with its obstacles when they changed (None keeps the saved ones).
Change = tuple[UpdateRow, list[ObstacleRow] | None]


@dataclass
class ImportResult:
    errors: list[CellError] = field(default_factory=list)
    applied: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def updates_import(*, cycle: Cycle, entity: Entity, user: User, data: bytes) -> ImportResult:
    """Check the whole file; if it is valid, apply every changed update in one transaction.

    Rows that match the saved update (fields and obstacles) are skipped. A changed row of an
    update the user cannot edit, or one saved by someone since the download (its Version is
    stale), is an error. Nothing is applied unless the whole file is valid and every save
    succeeds."""
    errors = Errors()
    sheets = read_sheets(data, errors)
    if sheets is None or errors.items:
        order = [s.title for s in sheets.values()] if sheets else []
        return ImportResult(errors=errors.sorted(order))
    updates_sheet, obstacles_sheet = sheets["updates"], sheets["obstacles"]
    order = [updates_sheet.title, obstacles_sheet.title]

    known = {u.pk: u for u in entity_updates_of_cycle(user, cycle=cycle, entity=entity)}
    for update in known.values():
        update.cycle = cycle
    rows = read_rows(sheets, known, errors, cycle=cycle, entity=entity)
    changed, unchanged = _changes(
        rows, user, errors, updates=updates_sheet, obstacles=obstacles_sheet
    )
    if errors.items:
        return ImportResult(errors=errors.sorted(order))
    applied = _apply(changed, user, errors, updates=updates_sheet)
    if errors.items:
        return ImportResult(errors=errors.sorted(order))
    return ImportResult(applied=applied, unchanged=unchanged)


def _changes(
    rows: Rows, user: User, errors: Errors, *, updates: Sheet, obstacles: Sheet
) -> tuple[list[Change], int]:
    """The rows to save, and how many rows are unchanged; a changed row that cannot be saved is
    an error."""
    changed: list[Change] = []
    unchanged = 0
    for pk, item in rows.updates.items():
        update = item.update
        mine = rows.obstacles.get(pk, [])
        downloaded = fingerprint(item.values, [(o.data.id, *file_obstacle(o.data)) for o in mine])
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
                % {"sheet": obstacles.title}
            )
            errors.cell(updates, item.row, "id", _refusal(update, user, what))
        elif item.version != update.version:
            errors.cell(updates, item.row, "version", _stale(update, item.version))
        else:
            changed.append((item, mine if obstacles_changed else None))
    return changed, unchanged


def _apply(changed: list[Change], user: User, errors: Errors, *, updates: Sheet) -> int:
    """Save every change in one transaction, rolled back if any save is refused; how many were
    saved."""
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
                errors.cell(updates, item.row, "version", _stale(conflict.current, item.version))
            except services.ReportingError as refusal:
                errors.cell(updates, item.row, "id", str(refusal))
            else:
                applied += 1
        if errors.items:
            transaction.set_rollback(True)  # all or nothing
    return applied


def _fields_changed(update: ProgressUpdate, values: dict[str, str]) -> bool:
    for name in services.UPDATE_FIELDS:
        stored = getattr(update, name)
        if (cell_text(stored) if name in UPDATE_TEXTS else stored) != values[name]:
            return True
    return False


def _obstacles_changed(update: ProgressUpdate, items: list[ObstacleRow]) -> bool:
    if any(item.data.id is None for item in items):
        return True
    stored = {o.pk: stored_obstacle(o) for o in update.obstacles.all()}
    return stored != {item.data.id: file_obstacle(item.data) for item in items}


def _refusal(update: ProgressUpdate, user: User, what: str) -> str:
    return _(
        "Update %(id)s (deliverable %(code)s) cannot be changed, but %(what)s. "
        "%(reason)s Put back the downloaded values, or download the file again."
    ) % {
        "id": update.pk,
        "code": update.assignment.deliverable.code,
        "what": what,
        "reason": services.edit_refusal(user, update),
    }


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
