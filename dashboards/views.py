"""Dashboards: the state and trend of the plan for leadership, drilled down priority → result →
deliverable → entity's update. Internal pages (404 for anyone else); every number about
progress updates comes through `updates_visible_to(user)`. Each page runs a fixed number of
queries whatever the amount of data, and each chart can be read as a table or downloaded as CSV
(`?csv=<chart id>`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.access import require_internal
from core.models import Entity
from dashboards import charts
from dashboards import selectors as dash
from dashboards.charts import Chart, Group
from dashboards.filters import Filters, parse
from dashboards.sections import SECTIONS
from dashboards.selectors import PlanTree, Tally
from indicators.models import Indicator
from indicators.selectors import tracking_table
from plans.models import DeliverableEntity, Plan
from plans.selectors import plan_for
from registers import selectors as register_selectors
from registers import stats as register_stats
from registers.access import register_access_for
from reporting.models import Cycle, Obstacle, ProgressUpdate
from reporting.selectors import updates_visible_to

WPS = "wps"


@dataclass
class Page:
    request: HttpRequest
    plan: Plan
    tree: PlanTree
    entities: list[Entity]
    filters: Filters
    section: str

    @property
    def cycle(self) -> Cycle | None:
        return self.filters.cycle

    def updates(self) -> Any:
        return self.filters.narrow(updates_visible_to(self.request.user))

    def entity(self, code: str) -> Entity | None:
        return next((e for e in self.entities if e.code == code), None)

    def render(self, template: str, charts_: list[Chart], **context: Any) -> HttpResponse:
        wanted = self.request.GET.get("csv")
        if wanted:
            chart = next((c for c in charts_ if c.id == wanted), None)
            if chart is None:
                raise Http404(_("No such chart."))
            return charts.csv_response(chart, page=self.section, cycle=self.cycle)
        return render(
            self.request,
            template,
            {
                "plan": self.plan,
                "tree": self.tree,
                "filters": self.filters,
                "cycle": self.cycle,
                "entities": self.entities,
                "sections": SECTIONS,
                "section": self.section,
                "charts": {c.id: c for c in charts_},
                "rating_columns": charts.rating_columns(),
                "fixed": (),
                "nav": "dashboards",
                **context,
            },
        )


def _page(request: HttpRequest, plan: str, section: str) -> Page:
    the_plan = plan_for(request.user, plan)
    require_internal(request.user)
    tree = dash.plan_tree(the_plan)
    cycles = list(
        Cycle.objects.filter(plan=the_plan)
        .exclude(state=Cycle.State.PLANNED)
        .order_by("period_start")
    )
    entities = dash.reporting_entities(the_plan)
    filters = parse(
        request.GET,
        plan=the_plan,
        cycles=cycles,
        priorities=tree.priorities,
        entities=entities,
        markers=tree.markers,
    )
    return Page(request, the_plan, tree, entities, filters, section)


def _priority_groups(page: Page) -> list[Group]:
    return [
        Group(p.number, f"{p.number}. {Truncator(p.title).words(5)}")
        for p in page.tree.priorities
        if page.filters.priority in (None, p.number)
    ]


def _current(tallies: dict[tuple[Any, int], Tally], cycle: Cycle | None) -> dict[Any, Tally]:
    if cycle is None:
        return {}
    return {key: tally for (key, cycle_id), tally in tallies.items() if cycle_id == cycle.pk}


def _summary_rows(
    groups: list[Group], tallies: dict[tuple[Any, int], Tally], filters: Filters
) -> list[dict[str, Any]]:
    """Per group: the tally of the selected cycle and the change of its share since the previous
    cycle, in percentage points."""
    rows = []
    for group in groups:
        now = tallies.get((group.key, filters.cycle.pk)) if filters.cycle else None
        before = tallies.get((group.key, filters.previous.pk)) if filters.previous else None
        tally = now or Tally()
        change = None
        if tally.share is not None and before is not None and before.share is not None:
            change = tally.share - before.share
        rows.append({"group": group, "tally": tally, "change": change})
    return rows


def _total(rows: list[dict[str, Any]]) -> Tally:
    total = Tally()
    for row in rows:
        total.add(row["tally"])
    return total


def _trend_charts(
    page: Page,
    tallies: dict[tuple[Any, int], Tally],
    groups: list[Group],
    *,
    level: str,
) -> list[Chart]:
    """Ratings in the cycle, the share's trend and late inputs, one row or line per priority,
    result or deliverable (`level`). Titles are whole sentences for the translators."""
    code = page.cycle.code if page.cycle else ""
    titles = {
        "priority": (
            _("Ratings by priority, %(cycle)s (validated updates)") % {"cycle": code},
            _("Share on track or completed, by priority and cycle"),
            _("Late inputs by cycle and priority"),
            _("Priority"),
        ),
        "result": (
            _("Ratings by result, %(cycle)s (validated updates)") % {"cycle": code},
            _("Share on track or completed, by result and cycle"),
            _("Late inputs by cycle and result"),
            _("Result"),
        ),
        "deliverable": (
            _("Ratings by deliverable, %(cycle)s (validated updates)") % {"cycle": code},
            _("Share on track or completed, by deliverable and cycle"),
            _("Late inputs by cycle and deliverable"),
            _("Deliverable"),
        ),
    }
    ratings_title, trend_title, late_title, series_title = titles[level]
    return [
        charts.ratings_chart(
            "ratings",
            title=ratings_title,
            groups=groups,
            tallies=_current(tallies, page.cycle),
            group_title=series_title,
        ),
        charts.trend_chart(
            "trend",
            title=trend_title,
            cycles=page.filters.trend_cycles,
            series=groups,
            tallies=tallies,
            series_title=series_title,
        ),
        charts.late_chart(
            "late",
            title=late_title,
            cycles=page.filters.trend_cycles,
            series=groups,
            tallies=tallies,
            series_title=series_title,
        ),
    ]


def overview(request: HttpRequest, plan: str) -> HttpResponse:
    """All seven priorities on one page: ratings, their trend, late inputs."""
    page = _page(request, plan, "overview")
    today = timezone.localdate()
    tallies = dash.tallies(
        page.updates(), group="priority", cycles=page.filters.trend_cycles, today=today
    )
    groups = _priority_groups(page)
    rows = _summary_rows(groups, tallies, page.filters)
    for row in rows:
        row["priority"] = next(p for p in page.tree.priorities if p.number == row["group"].key)
    total = _total(rows)
    before = Tally()
    if page.filters.previous:
        for (_key, cycle_id), tally in tallies.items():
            if cycle_id == page.filters.previous.pk:
                before.add(tally)
    change = None
    if total.share is not None and before.share is not None:
        change = total.share - before.share
    return page.render(
        "dashboards/overview.html",
        _trend_charts(page, tallies, groups, level="priority"),
        rows=rows,
        total=total,
        total_change=change,
    )


def priority(request: HttpRequest, plan: str, number: int) -> HttpResponse:
    """One priority: its results' ratings and trends, and every deliverable's tally."""
    page = _page(request, plan, "overview")
    the_priority = next((p for p in page.tree.priorities if p.number == number), None)
    if the_priority is None:
        raise Http404(_("No such priority."))
    page.filters.priority = None  # the path decides the priority
    today = timezone.localdate()
    updates = page.updates().filter(assignment__deliverable__result__priority=the_priority)
    results = page.tree.results_of(number)
    groups = [Group(r.code, f"{r.code} {Truncator(r.title).words(5)}") for r in results]
    tallies = dash.tallies(updates, group="result", cycles=page.filters.trend_cycles, today=today)
    shown = [c for c in (page.filters.previous, page.cycle) if c]
    by_deliverable = dash.tallies(updates, group="deliverable", cycles=shown, today=today)
    sections = []
    for result in results:
        deliverables = page.tree.deliverables_of(result.code)
        sections.append(
            {
                "result": result,
                "rows": _summary_rows(
                    [Group(d.code, d.code) for d in deliverables], by_deliverable, page.filters
                ),
                "deliverables": {d.code: d for d in deliverables},
            }
        )
    return page.render(
        "dashboards/priority.html",
        _trend_charts(page, tallies, groups, level="result"),
        fixed=("priority",),
        priority=the_priority,
        rows=_summary_rows(groups, tallies, page.filters),
        results={r.code: r for r in results},
        result_sections=sections,
    )


def result(request: HttpRequest, plan: str, code: str) -> HttpResponse:
    """One result: its deliverables' ratings and trends."""
    page = _page(request, plan, "overview")
    the_result = next((r for r in page.tree.results if r.code == code), None)
    if the_result is None:
        raise Http404(_("No such result."))
    page.filters.priority = None
    today = timezone.localdate()
    deliverables = page.tree.deliverables_of(code)
    updates = page.updates().filter(assignment__deliverable__result=the_result)
    groups = [Group(d.code, d.code) for d in deliverables]
    tallies = dash.tallies(
        updates, group="deliverable", cycles=page.filters.trend_cycles, today=today
    )
    return page.render(
        "dashboards/result.html",
        _trend_charts(page, tallies, groups, level="deliverable"),
        fixed=("priority",),
        result=the_result,
        rows=_summary_rows(groups, tallies, page.filters),
        deliverables={d.code: d for d in deliverables},
    )


def deliverable(request: HttpRequest, plan: str, code: str) -> HttpResponse:
    """One deliverable: each entity's update in the cycle (linked), and its ratings over time."""
    page = _page(request, plan, "overview")
    the_deliverable = next((d for d in page.tree.deliverables if d.code == code), None)
    if the_deliverable is None:
        raise Http404(_("No such deliverable."))
    page.filters.priority = None
    today = timezone.localdate()
    cycles = page.filters.trend_cycles
    cells = dash.update_cells(
        page.updates().filter(assignment__deliverable=the_deliverable), cycles=cycles, today=today
    )
    entity_codes = sorted({c["entity"] for c in cells})
    entity_groups = [Group(e, _entity_label(page, e)) for e in entity_codes]
    ratings = {
        (c["entity"], c["cycle_id"]): c["rating"]
        for c in cells
        if c["state"] == ProgressUpdate.State.VALIDATED and c["rating"]
    }
    heat = charts.heatmap_chart(
        "history",
        title=_("Validated ratings of %(code)s by entity and cycle") % {"code": code},
        columns=[Group(c.pk, c.code) for c in cycles],
        rows_=entity_groups,
        ratings=ratings,
        x_title=_("Cycle"),
        y_title=_("Entity"),
    )
    current = [c for c in cells if page.cycle and c["cycle_id"] == page.cycle.pk]
    current.sort(key=lambda c: (c["role"] != "lead", c["entity"]))
    for cell in current:
        cell["entity_obj"] = page.entity(cell["entity"])
        cell["role_label"] = DeliverableEntity.Role(cell["role"]).label
        cell["state_label"] = ProgressUpdate.State(cell["state"]).label
        cell["rating_label"] = ProgressUpdate.Rating(cell["rating"]).label if cell["rating"] else ""
    return page.render(
        "dashboards/deliverable.html",
        [heat],
        fixed=("priority",),
        deliverable=the_deliverable,
        updates=current,
    )


def _entity_label(page: Page, code: str) -> str:
    entity = page.entity(code)
    return entity.label if entity else code


def entities(request: HttpRequest, plan: str) -> HttpResponse:
    """Every entity's validated ratings in the cycle, deliverable by deliverable (a heatmap), and
    its share on track and late inputs."""
    page = _page(request, plan, "entities")
    today = timezone.localdate()
    cycle = page.cycle
    shown = [c for c in (page.filters.previous, cycle) if c]
    updates = page.updates()
    tallies = dash.tallies(updates, group="entity", cycles=shown, today=today)
    cells = dash.update_cells(updates, cycles=[cycle] if cycle else [], today=today)
    codes = sorted({c["entity"] for c in cells}, key=lambda e: _entity_label(page, e).lower())
    groups = [Group(e, _entity_label(page, e)) for e in codes]
    in_cells = {c["deliverable"] for c in cells}
    columns = [Group(d.code, d.code) for d in page.tree.deliverables if d.code in in_cells]
    ratings = {
        (c["entity"], c["deliverable"]): c["rating"]
        for c in cells
        if c["state"] == ProgressUpdate.State.VALIDATED and c["rating"]
    }
    heat = charts.heatmap_chart(
        "heatmap",
        title=_("Validated ratings by entity and deliverable, %(cycle)s")
        % {"cycle": cycle.code if cycle else ""},
        columns=columns,
        rows_=groups,
        ratings=ratings,
        x_title=_("Deliverable"),
        y_title=_("Entity"),
    )
    rows = _summary_rows(groups, tallies, page.filters)
    for row in rows:
        row["entity"] = page.entity(row["group"].key)
    return page.render(
        "dashboards/entities.html",
        [heat],
        rows=rows,
        abbreviations=[
            (abbr, charts.rating_labels()[code])
            for code, abbr in charts.rating_abbreviations().items()
        ],
    )


def scorecard(request: HttpRequest, plan: str, entity: str) -> HttpResponse:
    """One entity: its ratings over the cycles, its updates in the cycle, its obstacles."""
    page = _page(request, plan, "entities")
    the_entity = page.entity(entity)
    if the_entity is None:
        raise Http404(_("No such entity."))
    page.filters.entity = the_entity
    today = timezone.localdate()
    cycles = page.filters.trend_cycles
    updates = page.updates()
    tallies = dash.tallies(updates, group="plan", cycles=cycles, today=today)
    by_cycle = {cycle_id: tally for (_key, cycle_id), tally in tallies.items()}
    cycle_groups = [Group(c.pk, c.code) for c in cycles]
    ratings = charts.ratings_chart(
        "ratings",
        title=_("Ratings of %(entity)s by cycle (validated updates)")
        % {"entity": the_entity.label},
        groups=cycle_groups,
        tallies=by_cycle,
        group_title=_("Cycle"),
    )
    late = charts.late_chart(
        "late",
        title=_("Late inputs of %(entity)s by cycle") % {"entity": the_entity.label},
        cycles=cycles,
        series=[Group(page.plan.pk, the_entity.label)],
        tallies=tallies,
        series_title=_("Entity"),
    )
    obstacles = charts.obstacles_chart(
        "obstacles",
        title=_("Obstacles reported by %(entity)s, by category and cycle")
        % {"entity": the_entity.label},
        cycles=cycles,
        counts=dash.obstacle_counts(updates, cycles=cycles),
        categories=Obstacle.Category.choices,
    )
    current = dash.update_cells(updates, cycles=[page.cycle] if page.cycle else [], today=today)
    deliverables = {d.code: d for d in page.tree.deliverables}
    current.sort(
        key=lambda c: (
            deliverables[c["deliverable"]].position if c["deliverable"] in deliverables else 0
        )
    )
    for cell in current:
        cell["deliverable_obj"] = deliverables.get(cell["deliverable"])
        cell["state_label"] = ProgressUpdate.State(cell["state"]).label
        cell["rating_label"] = ProgressUpdate.Rating(cell["rating"]).label if cell["rating"] else ""
    now = by_cycle.get(page.cycle.pk) if page.cycle else None
    return page.render(
        "dashboards/scorecard.html",
        [ratings, late, obstacles],
        fixed=("entity",),
        entity=the_entity,
        tally=now or Tally(),
        updates=current,
    )


def _indicator_charts(page: Page, *, wps_only: bool) -> list[tuple[Indicator, Chart]]:
    """Target against actual for each indicator the filters select, with the actual of each sex
    where the indicator is disaggregated by sex. Four queries for any number of indicators."""
    cycles = page.filters.trend_cycles
    marker = page.filters.marker
    wps_only = wps_only or bool(marker and marker.code == WPS)
    rows = tracking_table(
        page.plan,
        cycles=cycles,
        priority=page.filters.priority,
        entity_id=page.filters.entity.pk if page.filters.entity else None,
        wps_only=wps_only,
    )
    rows = [r for r in rows if r.indicator.retired_in_id is None]
    if marker and marker.code != WPS:
        marked = {d.pk for d in page.tree.deliverables_marked(marker.code)}
        rows = [r for r in rows if r.indicator.deliverable_id in marked]
    indicators = [r.indicator for r in rows]
    by_sex = dash.sex_series(
        indicators,
        cycles=cycles,
        entity_id=page.filters.entity.pk if page.filters.entity else None,
    )
    names = sorted({name for (_i, _c, name) in by_sex})
    out = []
    for row in rows:
        indicator = row.indicator
        series = {name: [by_sex.get((indicator.pk, c.pk, name)) for c in cycles] for name in names}
        series = {
            name: values for name, values in series.items() if any(v is not None for v in values)
        }
        out.append(
            (
                indicator,
                charts.indicator_chart(
                    f"indicator-{indicator.code}",
                    title=f"{indicator.code} {Truncator(indicator.name).words(12)}",
                    cycles=cycles,
                    targets=[cell.target for cell in row.cells],
                    actuals=[cell.actual for cell in row.cells],
                    by_sex=series,
                    value_title="%" if indicator.unit == Indicator.Unit.PERCENT else _("Value"),
                ),
            )
        )
    return out


def indicators(request: HttpRequest, plan: str) -> HttpResponse:
    page = _page(request, plan, "indicators")
    pairs = _indicator_charts(page, wps_only=False)
    return page.render("dashboards/indicators.html", [c for _i, c in pairs], indicator_charts=pairs)


def wps(request: HttpRequest, plan: str) -> HttpResponse:
    """Deliverables with the WPS/gender marker: their ratings and trend against the whole plan,
    and the WPS indicators."""
    page = _page(request, plan, "wps")
    today = timezone.localdate()
    cycles = page.filters.trend_cycles
    marked = [
        d
        for d in page.tree.deliverables_marked(WPS)
        if page.filters.priority in (None, d.result.priority.number)
    ]
    base = page.updates()
    wps_updates = base.filter(assignment__deliverable__markers__code=WPS)
    by_deliverable = dash.tallies(wps_updates, group="deliverable", cycles=cycles, today=today)
    wps_total = dash.tallies(wps_updates, group="plan", cycles=cycles, today=today, late=False)
    all_total = dash.tallies(base, group="plan", cycles=cycles, today=today, late=False)
    both = {(WPS, k[1]): t for k, t in wps_total.items()} | {
        ("all", k[1]): t for k, t in all_total.items()
    }
    groups = [Group(d.code, d.code) for d in marked]
    ratings = charts.ratings_chart(
        "ratings",
        title=_("Ratings of the WPS deliverables, %(cycle)s (validated updates)")
        % {"cycle": page.cycle.code if page.cycle else ""},
        groups=groups,
        tallies=_current(by_deliverable, page.cycle),
        group_title=_("Deliverable"),
    )
    trend = charts.trend_chart(
        "trend",
        title=_("Share on track or completed: WPS deliverables against the whole plan"),
        cycles=cycles,
        series=[Group(WPS, _("WPS deliverables")), Group("all", _("All deliverables"))],
        tallies=both,
        series_title=_("Deliverables"),
    )
    pairs = _indicator_charts(page, wps_only=True)
    return page.render(
        "dashboards/wps.html",
        [ratings, trend] + [c for _i, c in pairs],
        fixed=("marker",),
        rows=_summary_rows(groups, by_deliverable, page.filters),
        deliverables={d.code: d for d in marked},
        indicator_charts=pairs,
    )


def obstacles(request: HttpRequest, plan: str) -> HttpResponse:
    page = _page(request, plan, "obstacles")
    cycles = page.filters.trend_cycles
    counts = dash.obstacle_counts(page.updates(), cycles=cycles)
    chart = charts.obstacles_chart(
        "obstacles",
        title=_("Obstacles by category and cycle"),
        cycles=cycles,
        counts=counts,
        categories=Obstacle.Category.choices,
    )
    return page.render("dashboards/obstacles.html", [chart])


def registers(request: HttpRequest, plan: str) -> HttpResponse:
    """Crimes against peacekeepers (the register of Security Council resolution 2589): cases by
    year and mission, personnel killed and injured, cases by type of incident, and the share of
    cases with judicial follow-up, over the years of the cycles chosen. The cases are those whose
    aggregates the user may see under the register's rules (`cases_for_statistics`, through
    `cases_visible_to`); a mission chosen as entity narrows them to its cases."""
    page = _page(request, plan, "registers")
    cases = register_selectors.cases_for_statistics(request.user)
    cycles = page.filters.trend_cycles
    if cases is None or not cycles:
        return page.render("dashboards/registers.html", [], no_access=cases is None)
    first, last = cycles[0].period_start.year, cycles[-1].period_end.year
    years = list(range(first, last + 1))
    cases = cases.filter(incident_year__gte=first, incident_year__lte=last)
    entity = page.filters.entity
    notice = ""
    if entity is not None:
        if entity.kind == Entity.Kind.MISSION:
            cases = cases.filter(mission_id=entity.pk)
        else:
            notice = _(
                "%(entity)s is not a mission: the register counts the cases of every mission."
            ) % {"entity": entity.label}
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
    span = {"first": first, "last": last}
    charts_ = [
        charts.register_cases_chart(
            "cases",
            title=_("Cases by year and mission, %(first)s to %(last)s") % span,
            years=years,
            missions=sorted(missions),
            counts={(c["year"], c["mission"]): c["cases"] for c in cells},
        ),
        charts.register_victims_chart(
            "victims",
            title=_("Personnel killed and injured by year, %(first)s to %(last)s") % span,
            years=years,
            killed=killed,
            injured=injured,
        ),
        charts.register_bar_chart(
            "missions",
            title=_("Cases by mission, %(first)s to %(last)s") % span,
            label_title=_("Mission"),
            rows_=by_mission,
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
    ]
    total = sum(r["cases"] for r in by_mission)
    return page.render(
        "dashboards/registers.html",
        charts_,
        no_access=False,
        notice=notice,
        first=first,
        last=last,
        totals={
            "cases": total,
            "killed": sum(killed.values()),
            "injured": sum(injured.values()),
        },
        aggregates_only=not register_access_for(request.user).any_cases,
    )
