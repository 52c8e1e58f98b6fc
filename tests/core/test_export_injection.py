"""Every CSV and XLSX export, with text that a spreadsheet would run planted in every text field it
writes (titles, narratives, obstacles, entity names, case descriptions, victims' nationalities,
indicator names, deliverable texts), read back with the csv module or openpyxl: no cell is a
formula, and no text cell starts like one unless it is neutralised (an apostrophe in CSV, the
quote prefix in XLSX; a plain number in CSV is read as a number, which runs nothing)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from accounts.models import Role, User
from core.export import FORMULA_START, xlsx_append, xlsx_text
from core.models import Entity
from indicators.models import Indicator
from plans.models import Deliverable, Plan
from reporting.models import Cycle, Obstacle, ProgressUpdate
from reporting.offline import updates_workbook
from reports import render
from reports.content import build_report
from tests.registers.factories import CaseFactory, StepFactory, VictimFactory
from tests.reporting.conftest import cycle, focal, planner, workplans  # noqa: F401
from tests.reports.conftest import Reported, reported, reporter  # noqa: F401

PAYLOADS = ['=HYPERLINK("http://x.example","go")', "+1", "-1", "@SUM(1)", "\tTAB", "\rCR"]
# What each payload still reads as once a writer has cleaned it (a leading tab or carriage return
# may be dropped as surrounding space), to check that every payload reached the export.
CORES = [p.strip() for p in PAYLOADS]
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
PLAN = "a4p-plus-2021-2023"
MISSIONS = ["minusca", "monusco", "unmiss", "unifil", "minurso", "unmik"]


class Planter:
    """Hands out the payloads in turn, so every export gets each of them in some field."""

    def __init__(self) -> None:
        self._next: Iterator[str] = itertools.cycle(PAYLOADS)

    def __call__(self) -> str:
        return next(self._next)


@dataclass
class Export:
    kind: str  # "csv" or "xlsx"
    data: bytes


# Checks --------------------------------------------------------------------------------------


def csv_cells(data: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def check_csv(data: bytes) -> set[str]:
    """The planted payloads found; fails on any cell a spreadsheet would run."""
    found = set()
    for cell in csv_cells(data):
        if cell.startswith(FORMULA_START):
            assert NUMBER.fullmatch(cell), f"CSV cell runs as a formula: {cell!r}"
        found |= {core for core in CORES if cell.lstrip("'").strip() == core}
    return found


def check_xlsx(data: bytes, *, own_formulas: int = 0) -> set[str]:
    """The planted payloads found; fails on a formula cell (beyond the workbook's own look-ups,
    which never carry a planted text) and on an unprefixed text that starts like one."""
    workbook = load_workbook(io.BytesIO(data))
    found, formulas = set(), 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas += 1
                    assert not any(core in str(cell.value) for core in ("HYPERLINK", "SUM")), (
                        cell.coordinate
                    )
                    assert str(cell.value).startswith("=IF(A"), (ws.title, cell.coordinate)
                    continue
                if isinstance(cell.value, str):
                    if cell.value.startswith(FORMULA_START):
                        assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                        assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    found |= {core for core in CORES if cell.value.strip() == core}
    assert formulas == own_formulas
    return found


# The exports ---------------------------------------------------------------------------------


def _cases() -> list[int]:
    """One case per payload, the payload in every text field of the case, its victim and its
    follow-up step."""
    made = []
    for payload in PAYLOADS:
        case = CaseFactory.create(
            place=payload,
            description=payload,
            suspected_perpetrators=payload,
            internal_notes=payload,
            country="CAF",
        )
        VictimFactory.create(case=case, nationality="BGD")
        VictimFactory.create(case=case, nationality=None, nationality_recorded=payload)
        StepFactory.create(case=case, source=payload)
        made.append(case.pk)
    return made


def _officer(user_with_role: Callable[[str], User], client: Client, role: str) -> Client:
    client.force_login(user_with_role(role))
    return client


def register_cases(request: pytest.FixtureRequest, plant: Planter) -> list[Export]:
    _cases()
    client = _officer(request.getfixturevalue("user_with_role"), Client(), Role.REGISTER_OFFICER)
    return [Export("csv", client.get("/registers/crimes/export.csv").content)]


def register_case(request: pytest.FixtureRequest, plant: Planter) -> list[Export]:
    client = _officer(request.getfixturevalue("user_with_role"), Client(), Role.REGISTER_OFFICER)
    exports = []
    for pk in _cases():
        response = client.get(f"/registers/crimes/{pk}/export.csv")
        assert response.status_code == 200
        exports.append(Export("csv", response.content))
    return exports


def register_statistics(request: pytest.FixtureRequest, plant: Planter) -> list[Export]:
    for code in MISSIONS:
        Entity.objects.filter(code=code).update(acronym=plant(), aliases=[])
        for day in range(1, 6):  # enough cases for the small-cell rule to show the row
            CaseFactory.create(mission=code, incident_date=dt.date(2022, 1, day))
    client = _officer(request.getfixturevalue("user_with_role"), Client(), Role.REGISTER_OFFICER)
    exports = []
    for table in ("by-year", "by-mission", "by-incident-type", "by-nationality"):
        response = client.get(f"/registers/crimes/statistics/{table}.csv")
        assert response.status_code == 200, table
        exports.append(Export("csv", response.content))
    return exports


def dashboard_table(request: pytest.FixtureRequest, plant: Planter) -> list[Export]:
    request.getfixturevalue("cycle")
    for code in MISSIONS:
        Entity.objects.filter(code=code).update(aliases=[plant()])
    client = _officer(request.getfixturevalue("user_with_role"), Client(), Role.SENIOR_LEADERSHIP)
    response = client.get(f"/plans/{PLAN}/dashboard/deliverables/1.1.2/?csv=history")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return [Export("csv", response.content)]


def offline_workbook(request: pytest.FixtureRequest, plant: Planter) -> list[Export]:
    open_cycle: Cycle = request.getfixturevalue("cycle")
    user: User = request.getfixturevalue("focal")
    update = ProgressUpdate.objects.get(
        cycle=open_cycle, assignment__entity__code="minusca", assignment__deliverable__code="1.1.2"
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(
        narrative=plant(), achievements=plant(), next_steps=plant(), wps_note=plant()
    )
    for _n in range(2):
        Obstacle.objects.create(
            update=update,
            category=Obstacle.Category.SECURITY,
            severity=Obstacle.Severity.HIGH,
            description=plant(),
            mitigation=plant(),
            support_requested=plant(),
            support_from=plant(),
        )
    Deliverable.objects.filter(plan=open_cycle.plan, code="1.1.2").update(text=plant())
    Plan.objects.filter(pk=open_cycle.plan_id).update(title=plant())
    entity = Entity.objects.get(code="minusca")
    entity.aliases = [plant()]
    entity.save()
    open_cycle.plan.refresh_from_db()
    user.first_name = plant()
    user.save()
    data = updates_workbook(cycle=open_cycle, entity=entity, user=user)
    own = Obstacle.objects.filter(
        update__cycle=open_cycle, update__assignment__entity=entity
    ).count()
    request.node.own_formulas = own + 30  # the look-up of each obstacle row, and of the 30 empty
    return [Export("xlsx", data)]


def tracking_table(request: pytest.FixtureRequest, plant: Planter) -> list[Export]:
    plan: Plan = request.getfixturevalue("plan")
    for indicator in Indicator.objects.filter(plan=plan).order_by("pk")[:6]:
        indicator.name = plant()
        indicator.save(update_fields=["name"])
    client = _officer(request.getfixturevalue("user_with_role"), Client(), Role.PLANNING_UNIT)
    response = client.get(f"/plans/{PLAN}/indicators/?format=xlsx")
    assert response.status_code == 200
    return [Export("xlsx", response.content)]


def report_annex(request: pytest.FixtureRequest, plant: Planter) -> list[Export]:
    done: Reported = request.getfixturevalue("reported")
    fields = ["narrative", "achievements", "next_steps", "wps_note", "description", "mitigation"]
    for shift, update in enumerate(done.updates.values()):
        # Each update's fields take the payloads from a different start, so that each payload
        # lands in several kinds of field.
        texts = {f: PAYLOADS[(shift + i) % len(PAYLOADS)] for i, f in enumerate(fields)}
        ProgressUpdate.objects.filter(pk=update.pk).update(**{f: texts[f] for f in fields[:4]})
        Obstacle.objects.filter(update=update).update(**{f: texts[f] for f in fields[4:]})
    Entity.objects.filter(code="minusca").update(aliases=[plant()])
    version = done.cycle.version
    assert version is not None
    version.tree["plan"]["title"] = plant()
    version.tree["priorities"][0]["results"][0]["deliverables"][0]["text"] = plant()
    version.save()
    report = build_report(
        done.cycle, edition="internal", confidential=True, executive_summary=plant()
    )
    return [Export("xlsx", render.render_xlsx(report))]


EXPORTS: dict[str, Callable[[pytest.FixtureRequest, Planter], list[Export]]] = {
    "register case list CSV": register_cases,
    "register case CSV": register_case,
    "register statistics CSV": register_statistics,
    "dashboard table CSV": dashboard_table,
    "offline updates workbook": offline_workbook,
    "indicator tracking workbook": tracking_table,
    "report data annex workbook": report_annex,
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EXPORTS))
def test_no_export_carries_a_formula(request: pytest.FixtureRequest, name: str) -> None:
    request.node.own_formulas = 0
    exports = EXPORTS[name](request, Planter())
    found: set[str] = set()
    for export in exports:
        if export.kind == "csv":
            found |= check_csv(export.data)
        else:
            found |= check_xlsx(export.data, own_formulas=request.node.own_formulas)
    # Every kind of payload reached the export: the checks above read planted text.
    assert found == set(CORES), set(CORES) - found


# The writer itself ---------------------------------------------------------------------------


def test_xlsx_cells_keep_text_as_typed_and_numbers_as_numbers() -> None:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    xlsx_append(ws, [*PAYLOADS, 3, -2.5, None, dt.date(2023, 1, 1), "plain"])
    out = io.BytesIO()
    workbook.save(out)
    back = load_workbook(io.BytesIO(out.getvalue())).active
    assert back is not None
    cells = next(iter(back.iter_rows()))
    assert [c.value for c in cells[: len(PAYLOADS)]] == PAYLOADS
    assert all(c.data_type == "s" and c.quotePrefix for c in cells[: len(PAYLOADS)])
    assert [c.value for c in cells[len(PAYLOADS) : len(PAYLOADS) + 3]] == [3, -2.5, None]
    assert cells[-1].value == "plain" and not cells[-1].quotePrefix


def test_xlsx_text_drops_exactly_the_characters_openpyxl_refuses() -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    every = "".join(chr(n) for n in range(0x80))
    assert xlsx_text(every) == ILLEGAL_CHARACTERS_RE.sub("", every)
