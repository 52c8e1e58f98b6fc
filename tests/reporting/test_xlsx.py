"""Offline round trip: an entity's updates for a cycle downloaded as a workbook, filled in and
uploaded back; every cell checked, nothing applied unless the whole file is valid."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import User
from core.models import Entity
from plans.models import Assignment
from reporting import services
from reporting.models import Cycle, Obstacle, ProgressUpdate
from reporting.offline import CellError, ImportResult, updates_import, updates_workbook
from reporting.services import ObstacleData, cycle_step, update_save, update_submit

UPDATE_HEADERS = [
    "Update ID", "Version", "Deliverable", "Deliverable text", "Role", "State", "Rating",
    "Narrative", "Key achievements", "Next steps", "WPS/gender note", "Sensitivity",
]  # fmt: skip
OBSTACLE_HEADERS = [
    "Update ID", "Deliverable", "Obstacle ID", "Category", "Description", "Severity",
    "Mitigation", "Support requested", "Support requested from", "Escalate (yes/no)",
]  # fmt: skip


# Helpers ---------------------------------------------------------------------------------------


def minusca() -> Entity:
    return Entity.objects.get(code="minusca")


def download(cycle: Cycle, user: User, entity: Entity | None = None) -> Workbook:
    data = updates_workbook(cycle=cycle, entity=entity or minusca(), user=user)
    return load_workbook(io.BytesIO(data))


def upload(cycle: Cycle, user: User, wb: Workbook, entity: Entity | None = None) -> ImportResult:
    return updates_import(cycle=cycle, entity=entity or minusca(), user=user, data=to_bytes(wb))


def to_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def col(ws: Any, header: str) -> int:
    for cell in ws[1]:
        if cell.value == header:
            return int(cell.column)
    raise AssertionError(f"no column {header!r}")


def row_of(ws: Any, update_id: int) -> int:
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == update_id:
            return row
    raise AssertionError(f"update {update_id} not on {ws.title}")


def put(ws: Any, row: int, header: str, value: Any) -> None:
    ws.cell(row=row, column=col(ws, header)).value = value  # also None, which clears


def first_empty_obstacle_row(ws: Any) -> int:
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=1).value is None:
            return row
    raise AssertionError("no empty obstacle row")


def snapshot(cycle: Cycle) -> list[tuple[Any, ...]]:
    """Everything an upload could change, for the 'nothing applied' checks."""
    updates = list(
        ProgressUpdate.objects.filter(cycle=cycle)
        .order_by("pk")
        .values_list(
            "pk", "version", "rating", "narrative", "achievements", "next_steps", "wps_note",
            "sensitivity", "state",
        )
    )  # fmt: skip
    obstacles = list(
        Obstacle.objects.filter(update__cycle=cycle)
        .order_by("pk")
        .values_list("pk", "update_id", "category", "description", "severity", "escalate")
    )
    return updates + obstacles


def error_at(result: ImportResult, sheet: str, row: int | None, column: str) -> CellError:
    for error in result.errors:
        if (error.sheet, error.row, error.column) == (sheet, row, column):
            return error
    raise AssertionError(f"no error at {sheet}!{column}{row}; errors: {result.errors}")


def second_update(cycle: Cycle, minusca_update: ProgressUpdate) -> ProgressUpdate:
    return (
        ProgressUpdate.objects.filter(cycle=cycle, assignment__entity__code="minusca")
        .exclude(pk=minusca_update.pk)
        .order_by("assignment__deliverable__position")[:1]
        .get()
    )


# The workbook ----------------------------------------------------------------------------------


def test_workbook_lists_the_entity_updates_with_locked_reference_columns(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    wb = download(cycle, focal)

    assert wb.sheetnames == ["Instructions", "Updates", "Obstacles", "Lists"]
    assert wb["Lists"].sheet_state == "hidden"
    ws = wb["Updates"]
    assert [c.value for c in ws[1]][: len(UPDATE_HEADERS)] == UPDATE_HEADERS
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    expected = list(
        ProgressUpdate.objects.filter(
            cycle=cycle, assignment__entity__code="minusca", assignment__active=True
        )
        .order_by("assignment__deliverable__position")
        .values_list("pk", "assignment__deliverable__code")
    )
    rows = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value)
            for r in range(2, ws.max_row + 1)]  # fmt: skip
    assert rows == expected
    assert len(rows) == 33

    row = row_of(ws, minusca_update.pk)
    assert ws.protection.sheet
    for header in ["Update ID", "Version", "Deliverable", "Deliverable text", "Role", "State"]:
        cell = ws.cell(row=row, column=col(ws, header))
        assert cell.protection.locked, header
        assert cell.fill.fgColor.rgb.endswith("E4E4E4"), header
    for header in UPDATE_HEADERS[6:]:
        assert not ws.cell(row=row, column=col(ws, header)).protection.locked, header
    assert ws.cell(row=row, column=col(ws, "Sensitivity")).value == "Internal"
    assert ws.cell(row=row, column=col(ws, "State")).value == "Draft"

    validated = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert validated[f"G2:G{ws.max_row}"].startswith("'Lists'!$A$2:$A$7")
    lists = wb["Lists"]
    assert [lists.cell(row=r, column=1).value for r in range(2, 8)] == [
        "Not started", "On track", "Delayed", "Off track", "Completed", "Discontinued",
    ]  # fmt: skip
    obstacles = wb["Obstacles"]
    assert [c.value for c in obstacles[1]] == OBSTACLE_HEADERS
    assert {"A", "D", "F", "J"} <= {
        str(dv.sqref)[0] for dv in obstacles.data_validations.dataValidation
    }


def test_existing_obstacles_are_prefilled(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    update_save(
        update=minusca_update, actor=focal, expected_version=minusca_update.version, values={},
        obstacles=[ObstacleData(category="security", description="Roads cut", severity="high",
                                escalate=True)],
    )  # fmt: skip
    obstacle = minusca_update.obstacles.get()

    ws = download(cycle, focal)["Obstacles"]

    row = [c.value for c in ws[2]]
    assert row[0] == minusca_update.pk
    assert row[2:] == [obstacle.pk, "Security", "Roads cut", "High", None, None, None, "yes"]


# Round trip ------------------------------------------------------------------------------------


def test_round_trip_applies_ratings_narratives_and_obstacles(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    other = second_update(cycle, minusca_update)
    before = minusca_update.version
    wb = download(cycle, focal)
    ws = wb["Updates"]
    row = row_of(ws, minusca_update.pk)
    put(ws, row, "Rating", "On track")
    put(ws, row, "Narrative", "Joint protection strategy reviewed with the host State.")
    put(ws, row_of(ws, other.pk), "Rating", "off_track")  # the code is accepted too
    put(ws, row_of(ws, other.pk), "Sensitivity", "CONFIDENTIAL")  # in any case
    obstacles = wb["Obstacles"]
    new = first_empty_obstacle_row(obstacles)
    put(obstacles, new, "Update ID", minusca_update.pk)
    put(obstacles, new, "Category", "Security")
    put(obstacles, new, "Description", "Rainy season cut the roads to the east.")
    put(obstacles, new, "Severity", "High")
    put(obstacles, new, "Escalate (yes/no)", "yes")

    result = upload(cycle, focal, wb)

    assert result.errors == []
    assert result.applied == 2
    assert result.unchanged == 31
    minusca_update.refresh_from_db()
    assert minusca_update.rating == ProgressUpdate.Rating.ON_TRACK
    assert minusca_update.narrative == "Joint protection strategy reviewed with the host State."
    assert minusca_update.version == before + 1
    assert minusca_update.updated_by == focal
    obstacle = minusca_update.obstacles.get()
    assert (obstacle.category, obstacle.severity, obstacle.escalate) == ("security", "high", True)
    assert obstacle.description == "Rainy season cut the roads to the east."
    other.refresh_from_db()
    assert (other.rating, other.sensitivity) == ("off_track", "confidential")


def test_an_unchanged_file_applies_nothing(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    wb = download(cycle, focal)
    before = snapshot(cycle)

    result = upload(cycle, focal, wb)

    assert result.errors == []
    assert (result.applied, result.unchanged) == (0, 33)
    assert snapshot(cycle) == before


def test_obstacles_are_changed_and_a_cleared_row_removes_one(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    update_save(
        update=minusca_update, actor=focal, expected_version=minusca_update.version, values={},
        obstacles=[ObstacleData(category="security", description="Roads cut", severity="high"),
                   ObstacleData(category="resources", description="No fuel", severity="low")],
    )  # fmt: skip
    keep, drop = minusca_update.obstacles.order_by("pk")
    wb = download(cycle, focal)
    ws = wb["Obstacles"]
    keep_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == keep.pk)
    drop_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == drop.pk)
    put(ws, keep_row, "Severity", "Critical")
    put(ws, keep_row, "Support requested from", "UNMAS")
    for header in OBSTACLE_HEADERS:
        if header not in ("Deliverable", "Obstacle ID"):
            put(ws, drop_row, header, None)

    result = upload(cycle, focal, wb)

    assert result.errors == []
    assert result.applied == 1
    assert list(minusca_update.obstacles.values_list("pk", "severity", "support_from")) == [
        (keep.pk, "critical", "UNMAS")
    ]


def test_text_that_looks_like_a_formula_stays_text(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    update_save(update=minusca_update, actor=focal, expected_version=minusca_update.version,
                values={"narrative": "=HYPERLINK(\"http://x\")\r\nsecond line"})  # fmt: skip

    wb = download(cycle, focal)
    cell = wb["Updates"].cell(row_of(wb["Updates"], minusca_update.pk), 8)

    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x")\nsecond line'
    assert upload(cycle, focal, wb).applied == 0  # line ends do not count as a change


def test_formula_like_text_round_trips_exactly_as_typed(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    """The workbook marks such text with the quote prefix instead of adding an apostrophe, so
    the text read back is the text written, and a new one is saved as typed."""
    update_save(update=minusca_update, actor=focal, expected_version=minusca_update.version,
                values={"narrative": "@SUM(1)", "achievements": "-1"})  # fmt: skip
    wb = download(cycle, focal)
    ws = wb["Updates"]
    row = row_of(ws, minusca_update.pk)
    for header, text in (("Narrative", "@SUM(1)"), ("Key achievements", "-1")):
        cell = ws.cell(row, col(ws, header))
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert upload(cycle, focal, wb).applied == 0
    put(ws, row, "Next steps", "+1 more patrols")
    typed = ws.cell(row, col(ws, "WPS/gender note"))  # typed in Excel as '=HYPERLINK(…)
    typed.value, typed.data_type, typed.quotePrefix = '=HYPERLINK("http://x")', "s", True
    assert upload(cycle, focal, wb).applied == 1
    minusca_update.refresh_from_db()
    assert minusca_update.narrative == "@SUM(1)"
    assert minusca_update.next_steps == "+1 more patrols"
    assert minusca_update.wps_note == '=HYPERLINK("http://x")'


# Bad files -------------------------------------------------------------------------------------


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [b"", b"Rating,Narrative\non_track,done\n", "zip", "truncated"],
    ids=["empty", "csv", "zip-without-workbook", "truncated-xlsx"],
)
def test_a_file_that_is_not_a_workbook_is_refused(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate, data: Any
) -> None:
    if data == "zip":
        data = _zip_without_workbook()
    elif data == "truncated":
        whole = updates_workbook(cycle=cycle, entity=minusca(), user=focal)
        data = whole[: len(whole) // 2]
    before = snapshot(cycle)

    result = updates_import(cycle=cycle, entity=minusca(), user=focal, data=data)

    assert result.applied == 0
    assert len(result.errors) == 1
    assert result.errors[0].row is None
    assert "not an Excel workbook (.xlsx)" in result.errors[0].message
    assert snapshot(cycle) == before


def test_missing_sheets_and_headers_are_named(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    wb = download(cycle, focal)
    del wb["Obstacles"]
    wb["Updates"]["G1"] = "Score"

    result = upload(cycle, focal, wb)

    assert result.applied == 0
    assert {(e.sheet, e.row, e.message) for e in result.errors} == {
        ("Obstacles", None, "The sheet “Obstacles” is missing. Upload the workbook you "
                            "downloaded, with its sheets as they were."),
        ("Updates", 1, "The column “Rating” is missing from the header row."),
    }  # fmt: skip


def test_wrong_values_are_listed_by_sheet_row_and_column_and_nothing_is_applied(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    other = second_update(cycle, minusca_update)
    wb = download(cycle, focal)
    ws = wb["Updates"]
    row, other_row = row_of(ws, minusca_update.pk), row_of(ws, other.pk)
    put(ws, row, "Rating", "Somewhat")
    put(ws, row, "Sensitivity", None)
    put(ws, other_row, "Narrative", "A valid change that must not be applied either.")
    put(ws, other_row, "Next steps", "x" * 10_001)
    obstacles = wb["Obstacles"]
    new = first_empty_obstacle_row(obstacles)
    put(obstacles, new, "Update ID", minusca_update.pk)
    put(obstacles, new, "Category", "Weather")
    put(obstacles, new, "Severity", "High")
    put(obstacles, new, "Escalate (yes/no)", "perhaps")
    put(obstacles, new + 1, "Update ID", 999_999)
    put(obstacles, new + 1, "Category", "Other")
    put(obstacles, new + 1, "Description", "Points nowhere")
    put(obstacles, new + 1, "Severity", "Low")
    put(obstacles, new + 1, "Support requested from", "y" * 201)
    before = snapshot(cycle)

    result = upload(cycle, focal, wb)

    assert result.applied == 0
    assert snapshot(cycle) == before
    rating = error_at(result, "Updates", row, "G")
    assert rating.header == "Rating"
    assert rating.message == (
        "Rating: 'Somewhat' is not one of Not started, On track, Delayed, Off track, Completed, "
        "Discontinued."
    )
    assert error_at(result, "Updates", row, "L").message == (
        "Sensitivity is required: choose one of Public, Internal, Confidential."
    )
    assert error_at(result, "Updates", other_row, "J").message == (
        "Next steps: 10,001 characters; at most 10,000 are allowed."
    )
    assert error_at(result, "Obstacles", new, "D").message.startswith(
        "Category: 'Weather' is not one of Political, Security,"
    )
    assert error_at(result, "Obstacles", new, "E").message == (
        "Description is required for an obstacle."
    )
    assert error_at(result, "Obstacles", new, "J").message == (
        "Escalate (yes/no): 'perhaps' is not one of yes, no."
    )
    assert error_at(result, "Obstacles", new + 1, "A").message == (
        "Update ID: 999999 is not an update of MINUSCA in cycle 2023-H1."
    )
    assert "at most 200" in error_at(result, "Obstacles", new + 1, "I").message
    assert len(result.errors) == 8
    assert [(e.sheet, e.row) for e in result.errors] == sorted(
        ((e.sheet, e.row) for e in result.errors), key=lambda k: (k[0] != "Updates", k[1])
    )


def test_rows_of_other_entities_and_duplicate_rows_are_refused(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    monusco = ProgressUpdate.objects.filter(cycle=cycle, assignment__entity__code="monusco")[0]
    wb = download(cycle, focal)
    ws = wb["Updates"]
    row = row_of(ws, minusca_update.pk)
    last = ws.max_row
    for column in range(1, 13):
        ws.cell(last + 1, column).value = ws.cell(row, column).value
    put(ws, last + 1, "Narrative", "Copied row")
    put(ws, 2, "Update ID", monusco.pk)
    put(ws, 2, "Narrative", "Writing into another entity's update")
    before = snapshot(cycle)

    result = upload(cycle, focal, wb)

    assert result.applied == 0
    assert snapshot(cycle) == before
    assert error_at(result, "Updates", 2, "A").message == (
        f"Update ID: {monusco.pk} is not an update of MINUSCA in cycle 2023-H1."
    )
    assert error_at(result, "Updates", last + 1, "A").message == (
        f"Update ID: update {minusca_update.pk} (deliverable 1.1.2) is already on row {row}; "
        "each update can appear only once."
    )


# Conflicts and locked updates ------------------------------------------------------------------


def test_a_stale_version_is_refused_and_nothing_is_applied(
    cycle: Cycle, focal: User, planner: User, minusca_update: ProgressUpdate
) -> None:
    other = second_update(cycle, minusca_update)
    wb = download(cycle, focal)
    update_save(update=minusca_update, actor=planner, expected_version=minusca_update.version,
                values={"narrative": "Saved on the web meanwhile."})  # fmt: skip
    ws = wb["Updates"]
    row = row_of(ws, minusca_update.pk)
    put(ws, row, "Narrative", "Written offline.")
    put(ws, row_of(ws, other.pk), "Narrative", "A valid change, held back with the rest.")
    before = snapshot(cycle)

    result = upload(cycle, focal, wb)

    assert result.applied == 0
    assert snapshot(cycle) == before
    assert len(result.errors) == 1
    error = error_at(result, "Updates", row, "B")
    assert "was saved by" in error.message
    assert "the file has version 1, the saved update version 2" in error.message
    assert "Download the file again" in error.message
    minusca_update.refresh_from_db()
    assert minusca_update.narrative == "Saved on the web meanwhile."


def test_a_row_not_touched_since_the_download_does_not_block_the_others(
    cycle: Cycle, focal: User, planner: User, minusca_update: ProgressUpdate
) -> None:
    other = second_update(cycle, minusca_update)
    wb = download(cycle, focal)
    update_save(update=minusca_update, actor=planner, expected_version=minusca_update.version,
                values={"narrative": "Saved on the web meanwhile."})  # fmt: skip
    put(wb["Updates"], row_of(wb["Updates"], other.pk), "Narrative", "Written offline.")

    result = upload(cycle, focal, wb)

    assert result.errors == []
    assert result.applied == 1
    minusca_update.refresh_from_db()
    other.refresh_from_db()
    assert minusca_update.narrative == "Saved on the web meanwhile."
    assert other.narrative == "Written offline."


def test_a_refusal_while_applying_rolls_back_the_rows_already_saved(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = second_update(cycle, minusca_update)
    wb = download(cycle, focal)
    ws = wb["Updates"]
    put(ws, row_of(ws, minusca_update.pk), "Narrative", "First row, saved then rolled back.")
    put(ws, row_of(ws, other.pk), "Narrative", "Second row, refused by the service.")
    calls: list[int] = []

    def refuse_second(**kwargs: Any) -> ProgressUpdate:
        calls.append(kwargs["update"].pk)
        if len(calls) == 2:
            raise services.ReportingError("Refused for the test.")
        return real_save(**kwargs)

    real_save = services.update_save
    monkeypatch.setattr(services, "update_save", refuse_second)
    before = snapshot(cycle)

    result = upload(cycle, focal, wb)

    assert len(calls) == 2
    assert result.applied == 0
    assert [(e.row, e.message) for e in result.errors] == [
        (row_of(ws, calls[1]), "Refused for the test.")
    ]
    assert snapshot(cycle) == before


@pytest.mark.parametrize(
    ("lock", "reason"),
    [
        ("submit", "This update is submitted; it is with the reviewer, not with its author."),
        ("close", "Cycle 2023-H1 is closed: updates can no longer be changed."),
    ],
)
def test_a_changed_row_of_an_update_that_cannot_be_edited_is_refused(
    cycle: Cycle, focal: User, planner: User, minusca_update: ProgressUpdate, lock: str,
    reason: str,
) -> None:  # fmt: skip
    update_save(update=minusca_update, actor=focal, expected_version=minusca_update.version,
                values={"rating": "on_track", "narrative": "Done."})  # fmt: skip
    wb = download(cycle, focal)
    if lock == "submit":
        update_submit(update=minusca_update, actor=focal)
    else:
        cycle_step(cycle=cycle, step="close", actor=planner)
        cycle.refresh_from_db()
    unchanged = upload(cycle, focal, download(cycle, focal))
    ws = wb["Updates"]
    row = row_of(ws, minusca_update.pk)
    put(ws, row, "Narrative", "Changed after submission.")
    before = snapshot(cycle)

    result = upload(cycle, focal, wb)

    assert unchanged.errors == []  # unchanged rows of locked updates are fine
    assert result.applied == 0
    assert snapshot(cycle) == before
    message = error_at(result, "Updates", row, "A").message
    assert message.startswith(
        f"Update {minusca_update.pk} (deliverable 1.1.2) cannot be changed, but its values "
        "differ from the saved ones."
    )
    assert reason in message


def test_locked_rows_are_grey_in_the_workbook(
    cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    update_save(update=minusca_update, actor=focal, expected_version=minusca_update.version,
                values={"rating": "on_track", "narrative": "Done."})  # fmt: skip
    update_submit(update=minusca_update, actor=focal)

    ws = download(cycle, focal)["Updates"]

    row = row_of(ws, minusca_update.pk)
    assert ws.cell(row, col(ws, "Narrative")).protection.locked
    assert ws.cell(row, col(ws, "State")).value == "Submitted"
    assert not ws.cell(row + 1, col(ws, "Narrative")).protection.locked


# Queries ---------------------------------------------------------------------------------------


def test_building_the_workbook_takes_a_fixed_number_of_queries(
    cycle: Cycle, planner: User, focal: User
) -> None:
    counts = {}
    for code in ["minusca", "dpo-oma"]:
        entity = Entity.objects.get(code=code)
        for update in ProgressUpdate.objects.filter(cycle=cycle, assignment__entity=entity)[:3]:
            update_save(update=update, actor=planner, expected_version=update.version,
                        values={}, obstacles=[ObstacleData("other", "x", "low")])  # fmt: skip
        user = User.objects.get(pk=planner.pk)  # nothing cached
        fresh = Cycle.objects.select_related("plan").get(pk=cycle.pk)  # as the view loads it
        with CaptureQueriesContext(connection) as queries:
            data = updates_workbook(cycle=fresh, entity=entity, user=user)
        rows = load_workbook(io.BytesIO(data))["Updates"].max_row - 1
        counts[code] = (rows, len(queries))

    assert Assignment.objects.filter(entity__code="minusca", active=True).count() == 33
    assert Assignment.objects.filter(entity__code="dpo-oma", active=True).count() == 15
    assert counts["minusca"][0] == 33 and counts["dpo-oma"][0] == 15
    assert counts["minusca"][1] == counts["dpo-oma"][1] <= 4


# Views -----------------------------------------------------------------------------------------


def urls(cycle: Cycle, entity: str = "minusca") -> tuple[str, str]:
    kwargs = {"plan_code": cycle.plan.code, "cycle_code": cycle.code, "entity_code": entity}
    return (
        reverse("cycle-xlsx-download", kwargs=kwargs),
        reverse("cycle-xlsx-upload", kwargs=kwargs),
    )


@pytest.mark.parametrize("who", ["focal", "planner"])
def test_download_gives_the_workbook_with_a_good_name(
    client: Client, cycle: Cycle, focal: User, planner: User, who: str
) -> None:
    client.force_login(focal if who == "focal" else planner)

    response = client.get(urls(cycle)[0])

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="A4P-2023-H1-MINUSCA.xlsx"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert load_workbook(io.BytesIO(response.content))["Updates"].max_row == 34


def test_another_entity_focal_point_gets_404_on_both_pages(
    client: Client, cycle: Cycle, other_focal: User, outsider: User
) -> None:
    download_url, upload_url = urls(cycle)
    for user in (other_focal, outsider):
        client.force_login(user)
        assert client.get(download_url).status_code == 404
        assert client.get(upload_url).status_code == 404
        assert client.post(upload_url, {}).status_code == 404
    client.logout()
    assert client.get(download_url).status_code == 302  # to the log-in page


def test_unknown_cycle_or_entity_is_404(client: Client, cycle: Cycle, planner: User) -> None:
    client.force_login(planner)
    kwargs = {"plan_code": cycle.plan.code, "cycle_code": "2099-H1", "entity_code": "minusca"}
    assert client.get(reverse("cycle-xlsx-download", kwargs=kwargs)).status_code == 404
    assert client.get(urls(cycle, "no-such-entity")[0]).status_code == 404


def test_upload_page_shows_an_accessible_form(client: Client, cycle: Cycle, focal: User) -> None:
    client.force_login(focal)

    response = client.get(urls(cycle)[1])

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_file">' in html
    assert f'href="{urls(cycle)[0]}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'role="alert"' not in html


def test_upload_with_errors_shows_them_by_sheet_row_and_column(
    client: Client, cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    wb = download(cycle, focal)
    row = row_of(wb["Updates"], minusca_update.pk)
    put(wb["Updates"], row, "Rating", "Somewhat")
    client.force_login(focal)
    before = snapshot(cycle)

    response = client.post(urls(cycle)[1], {
        "file": SimpleUploadedFile("filled.xlsx", to_bytes(wb))})  # fmt: skip

    assert response.status_code == 400
    assert snapshot(cycle) == before
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "<caption>" in html
    assert f'<td class="num">{row}</td>' in html
    assert "G — Rating" in html
    assert "&#x27;Somewhat&#x27; is not one of Not started, On track" in html


def test_upload_success_reports_and_redirects(
    client: Client, cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    wb = download(cycle, focal)
    put(wb["Updates"], row_of(wb["Updates"], minusca_update.pk), "Rating", "Completed")
    client.force_login(focal)

    response = client.post(urls(cycle)[1], {
        "file": SimpleUploadedFile("filled.xlsx", to_bytes(wb))})  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == reverse("my-work")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 update applied."]
    minusca_update.refresh_from_db()
    assert minusca_update.rating == "completed"


def test_upload_over_5_mb_is_refused(
    client: Client, cycle: Cycle, focal: User, minusca_update: ProgressUpdate
) -> None:
    client.force_login(focal)
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * 5_000_001)

    response = client.post(urls(cycle)[1], {"file": big})

    assert response.status_code == 400
    assert "This file is larger than 5 MB." in response.content.decode()
