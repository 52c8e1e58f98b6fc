"""Registers: crimes against peacekeepers (the register of Security Council resolution 2589) over
the years of the cycles chosen. The page reads the register only through its dashboard section
in the register registry (`registers.kernel.registry`): the aggregates of the cases the user may
see under the register's own rules, and whether the user reads cases or only aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.models import Entity
from dashboards import charts
from dashboards.charts import Chart
from dashboards.pages.base import DashboardPage, Frame
from registers.kernel.registry import DashboardSection, registers

REGISTER = "crimes"  # the register this page draws


@dataclass(frozen=True)
class RegisterTotals:
    cases: int
    killed: int
    injured: int


@dataclass(frozen=True)
class MissionYears:
    """The cases by year and mission, added up by mission (most cases first) and by year."""

    cells: list[dict[str, Any]]  # {"year", "mission", "cases", "killed", "injured"}
    by_mission: list[dict[str, Any]]  # {"label", "cases", "killed", "injured"}
    killed: dict[int, int]
    injured: dict[int, int]


@dataclass(frozen=True, kw_only=True)
class RegistersPage(DashboardPage):
    no_access: bool  # the register gives this user nothing: a sentence, not empty charts
    notice: str = ""
    first: int | None = None  # the years shown
    last: int | None = None
    totals: RegisterTotals | None = None
    aggregates_only: bool = False


def registers_page(frame: Frame) -> RegistersPage:
    """Cases by year and mission, personnel killed and injured, cases by type of incident, and
    the share of cases with judicial follow-up; a mission chosen as entity narrows them to its
    cases."""
    section = _dashboard_section()
    cycles = frame.filters.trend_cycles
    entity = frame.filters.entity
    on_mission = entity is not None and entity.kind == Entity.Kind.MISSION
    if not cycles:
        # No span of years: only whether the register gives this user anything.
        data = section(user=frame.user, first_year=1, last_year=0) if section else None
        return RegistersPage(frame=frame, no_access=data is None)
    first, last = cycles[0].period_start.year, cycles[-1].period_end.year
    data = (
        section(
            user=frame.user,
            first_year=first,
            last_year=last,
            mission_id=entity.pk if entity is not None and on_mission else None,
        )
        if section
        else None
    )
    if data is None:
        return RegistersPage(frame=frame, no_access=True)
    notice = ""
    if entity is not None and not on_mission:
        notice = _(
            "%(entity)s is not a mission: the register counts the cases of every mission."
        ) % {"entity": entity.label}
    counts = _mission_years(data["cells"])
    return RegistersPage(
        frame=frame,
        charts=_charts(data, counts, first=first, last=last),
        no_access=False,
        notice=notice,
        first=first,
        last=last,
        totals=RegisterTotals(
            cases=sum(r["cases"] for r in counts.by_mission),
            killed=sum(counts.killed.values()),
            injured=sum(counts.injured.values()),
        ),
        aggregates_only=data["aggregates_only"],
    )


def _dashboard_section() -> DashboardSection | None:
    return next((r.dashboard_section for r in registers() if r.code == REGISTER), None)


def _mission_years(cells: list[dict[str, Any]]) -> MissionYears:
    missions: dict[str, dict[str, Any]] = {}
    killed: dict[int, int] = {}
    injured: dict[int, int] = {}
    for cell in cells:
        row = missions.setdefault(
            cell["mission"], {"label": cell["mission"], "cases": 0, "killed": 0, "injured": 0}
        )
        for key in ("cases", "killed", "injured"):
            row[key] += cell[key]
        killed[cell["year"]] = killed.get(cell["year"], 0) + cell["killed"]
        injured[cell["year"]] = injured.get(cell["year"], 0) + cell["injured"]
    by_mission = sorted(missions.values(), key=lambda r: (-r["cases"], r["label"]))
    return MissionYears(cells, by_mission, killed, injured)


def _charts(
    data: dict[str, Any], counts: MissionYears, *, first: int, last: int
) -> tuple[Chart, ...]:
    years = list(range(first, last + 1))
    span = {"first": first, "last": last}
    return (
        charts.register_cases_chart(
            "cases",
            title=_("Cases by year and mission, %(first)s to %(last)s") % span,
            years=years,
            missions=sorted({r["label"] for r in counts.by_mission}),
            counts={(c["year"], c["mission"]): c["cases"] for c in counts.cells},
        ),
        charts.register_victims_chart(
            "victims",
            title=_("Personnel killed and injured by year, %(first)s to %(last)s") % span,
            years=years,
            killed=counts.killed,
            injured=counts.injured,
        ),
        charts.register_bar_chart(
            "missions",
            title=_("Cases by mission, %(first)s to %(last)s") % span,
            label_title=_("Mission"),
            rows_=counts.by_mission,
            extra=[("killed", _("Killed")), ("injured", _("Injured"))],
        ),
        charts.register_bar_chart(
            "types",
            title=_("Cases by type of incident, %(first)s to %(last)s") % span,
            label_title=_("Type of incident"),
            rows_=data["by_type"],
        ),
        charts.register_followup_chart(
            "followup",
            title=_("Share of the cases with judicial follow-up, by year of the incident"),
            years=years,
            rows_=data["followup_by_year"],
        ),
    )
