"""Registers: crimes against peacekeepers (the register of Security Council resolution 2589) over
the years of the cycles chosen. Everything this page reads of the register comes through here:
the cases whose aggregates the user may see under the register's own rules
(`registers.selectors.cases_for_statistics`, built on `cases_visible_to`), their statistics
(`registers.stats`), and whether the user reads cases or only aggregates
(`registers.access.register_access_for`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.models import Entity
from dashboards import charts
from dashboards.charts import Chart
from dashboards.pages.base import DashboardPage, Frame
from registers import selectors as register_selectors
from registers import stats as register_stats
from registers.access import register_access_for
from registers.models import Case


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
    cases = register_selectors.cases_for_statistics(frame.user)
    cycles = frame.filters.trend_cycles
    if cases is None or not cycles:
        return RegistersPage(frame=frame, no_access=cases is None)
    first, last = cycles[0].period_start.year, cycles[-1].period_end.year
    cases = cases.filter(incident_year__gte=first, incident_year__lte=last)
    entity = frame.filters.entity
    notice = ""
    if entity is not None:
        if entity.kind == Entity.Kind.MISSION:
            cases = cases.filter(mission_id=entity.pk)
        else:
            notice = _(
                "%(entity)s is not a mission: the register counts the cases of every mission."
            ) % {"entity": entity.label}
    counts = _mission_years(cases)
    return RegistersPage(
        frame=frame,
        charts=_charts(cases, counts, first=first, last=last),
        no_access=False,
        notice=notice,
        first=first,
        last=last,
        totals=RegisterTotals(
            cases=sum(r["cases"] for r in counts.by_mission),
            killed=sum(counts.killed.values()),
            injured=sum(counts.injured.values()),
        ),
        aggregates_only=not register_access_for(frame.user).any_cases,
    )


def _mission_years(cases: QuerySet[Case]) -> MissionYears:
    cells = register_stats.cases_by_year_and_mission(cases)
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
    cases: QuerySet[Case], counts: MissionYears, *, first: int, last: int
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
            rows_=register_stats.cases_by_incident_type(cases),
        ),
        charts.register_followup_chart(
            "followup",
            title=_("Share of the cases with judicial follow-up, by year of the incident"),
            years=years,
            rows_=register_stats.followup_by_year(cases),
        ),
    )
