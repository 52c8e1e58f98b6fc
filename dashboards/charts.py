"""A dashboard chart: the Vega-Lite specification from core/charts.py (the same definitions the
consolidated report draws), the table that says the same in text, and its CSV download."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import charts as specs
from core.export import csv_response as csv_file
from dashboards.selectors import Tally
from reporting.models import Cycle, ProgressUpdate

Cell = str | int | float | Decimal | None


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    caption: str = ""

    def html(self) -> SafeString:
        """The table's head and body. Built here rather than in a template loop: the heatmap's
        table alone has thousands of cells."""
        head = "".join(
            ('<th scope="col">' if i == 0 else '<th scope="col" class="num">') + escape(c) + "</th>"
            for i, c in enumerate(self.columns)
        )
        body = "".join(
            "<tr>"
            + "".join(
                f'<th scope="row">{escape(_shown(cell))}</th>'
                if i == 0
                else f'<td class="num">{escape(_shown(cell))}</td>'
                for i, cell in enumerate(row)
            )
            + "</tr>"
            for row in self.rows
        )
        return mark_safe(f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>")  # noqa: S308  (every part escaped above)

    def csv_rows(self) -> list[list[str]]:
        return [["" if cell is None else _plain(cell) for cell in row] for row in self.rows]


@dataclass
class Chart:
    id: str
    title: str
    spec: dict[str, Any]
    table: Table
    note: str = ""

    @property
    def has_data(self) -> bool:
        return bool(self.spec.get("data", {}).get("values"))


def _shown(cell: Cell) -> str:
    """A cell as the page shows it: missing as "—", a share (float) as a whole percentage,
    decimals as typed."""
    if cell is None or cell == "":
        return "—"
    if isinstance(cell, float):
        return f"{number_format(round(cell), 0)} %"
    if isinstance(cell, Decimal):
        return number_format(cell.normalize(), use_l10n=True)
    return str(cell)


def _plain(cell: Cell) -> str:
    if isinstance(cell, float):
        return f"{cell:.1f}"
    if isinstance(cell, Decimal):
        normal = cell.normalize()
        return f"{normal:f}"
    return str(cell)


def csv_response(chart: Chart, *, page: str, cycle: Cycle | None) -> HttpResponse:
    name = "-".join(
        part for part in ("a4p-dashboard", page, chart.id, cycle.code if cycle else "") if part
    )
    return csv_file(f"{slugify(name)}.csv", chart.table.columns, chart.table.csv_rows())


def rating_labels() -> dict[str, str]:
    return {code: str(label) for code, label in ProgressUpdate.Rating.choices}


def rating_columns() -> list[tuple[str, str]]:
    labels = rating_labels()
    return [(code, labels[code]) for code in specs.RATING_ORDER]


def rating_abbreviations() -> dict[str, str]:
    """Written in heatmap cells and tables so that a rating never rests on colour alone."""
    return {
        "completed": pgettext("rating abbreviation", "C"),
        "on_track": pgettext("rating abbreviation", "OT"),
        "not_started": pgettext("rating abbreviation", "NS"),
        "delayed": pgettext("rating abbreviation", "D"),
        "off_track": pgettext("rating abbreviation", "OFF"),
        "discontinued": pgettext("rating abbreviation", "X"),
    }


def share_text(share: float | None) -> str:
    return "—" if share is None else f"{share:.0f} %"


@dataclass
class Group:
    """A row of a rating chart: a priority, result, deliverable, entity or cycle."""

    key: Any
    label: str


def ratings_chart(
    chart_id: str,
    *,
    title: str,
    groups: Sequence[Group],
    tallies: dict[Any, Tally],
    group_title: str,
) -> Chart:
    """Distribution of validated ratings per group, as shares (stacked to 100 %), with the
    counts in the table."""
    labels = rating_labels()
    rows: list[dict[str, Any]] = []
    table = Table(
        [group_title]
        + [labels[c] for c in specs.RATING_ORDER]
        + [_("Validated and rated"), _("On track or completed")],
        caption=title,
    )
    for order, group in enumerate(groups):
        tally = tallies.get(group.key) or Tally()
        for code in specs.RATING_ORDER:
            if tally.counts.get(code):
                rows.append(
                    {
                        "group": group.label,
                        "order": order,
                        "rating": code,
                        "count": tally.counts[code],
                    }
                )
        table.rows.append(
            [group.label]
            + [tally.counts.get(c, 0) for c in specs.RATING_ORDER]
            + [tally.rated, tally.share]
        )
    spec = specs.ratings_stacked(
        rows,
        group_title=group_title,
        count_title=_("Share of validated updates"),
        rating_labels=labels,
        normalize=True,
        width="container",
    )
    return Chart(chart_id, title, _fit(spec, legend_columns=3), table)


def trend_chart(
    chart_id: str,
    *,
    title: str,
    cycles: Sequence[Cycle],
    series: Sequence[Group],
    tallies: dict[tuple[Any, int], Tally],
    series_title: str,
) -> Chart:
    """Share of validated updates on track or completed, per cycle, one line per series. A cycle
    without a validated rating is a gap, not a zero."""
    rows: list[dict[str, Any]] = []
    table = Table([_("Cycle")] + [s.label for s in series], caption=title)
    for order, cycle in enumerate(cycles):
        line: list[Cell] = [cycle.code]
        for group in series:
            tally = tallies.get((group.key, cycle.pk))
            share = tally.share if tally else None
            line.append(share)
            if share is not None:
                rows.append(
                    {
                        "period": cycle.code,
                        "period_order": order,
                        "series": group.label,
                        "share": round(share, 1),
                    }
                )
        table.rows.append(line)
    spec = specs.share_trend(
        rows,
        period_title=_("Cycle"),
        share_title=_("On track or completed (%)"),
        series_title=series_title,
        width="container",
    )
    return Chart(chart_id, title, _fit(spec, legend_columns=2), table)


def late_chart(
    chart_id: str,
    *,
    title: str,
    cycles: Sequence[Cycle],
    series: Sequence[Group],
    tallies: dict[tuple[Any, int], Tally],
    series_title: str,
) -> Chart:
    rows: list[dict[str, Any]] = []
    table = Table([_("Cycle")] + [s.label for s in series] + [_("Total")], caption=title)
    for order, cycle in enumerate(cycles):
        line: list[Cell] = [cycle.code]
        total = 0
        for group in series:
            tally = tallies.get((group.key, cycle.pk))
            late = tally.late if tally else 0
            total += late
            line.append(late)
            if late:
                rows.append(
                    {"x": cycle.code, "x_order": order, "series": group.label, "count": late}
                )
        table.rows.append([*line, total])
    spec = specs.stacked_counts(
        rows,
        x_title=_("Cycle"),
        count_title=_("Late inputs"),
        series_title=series_title,
        width="container",
    )
    return Chart(chart_id, title, _fit(spec, legend_columns=2), table)


def obstacles_chart(
    chart_id: str,
    *,
    title: str,
    cycles: Sequence[Cycle],
    counts: Iterable[dict[str, Any]],
    categories: Sequence[tuple[str, Any]],
) -> Chart:
    grid: dict[tuple[int, str], dict[str, int]] = {}
    for row in counts:
        grid[(row["cycle_id"], row["category"])] = row
    rows: list[dict[str, Any]] = []
    table = Table(
        [_("Cycle")] + [label for _code, label in categories] + [_("Total"), _("Escalated")],
        caption=title,
    )
    for order, cycle in enumerate(cycles):
        line: list[Cell] = [cycle.code]
        total = escalated = 0
        for code, label in categories:
            cell = grid.get((cycle.pk, code))
            n = cell["n"] if cell else 0
            total += n
            escalated += cell["escalated"] if cell else 0
            line.append(n)
            if n:
                rows.append({"x": cycle.code, "x_order": order, "series": label, "count": n})
        table.rows.append([*line, total, escalated])
    spec = specs.stacked_counts(
        rows,
        x_title=_("Cycle"),
        count_title=_("Obstacles"),
        series_title=_("Category"),
        width="container",
    )
    return Chart(chart_id, title, _fit(spec, legend_columns=3), table)


def heatmap_chart(
    chart_id: str,
    *,
    title: str,
    columns: Sequence[Group],
    rows_: Sequence[Group],
    ratings: dict[tuple[Any, Any], str],
    x_title: str,
    y_title: str,
) -> Chart:
    """Cells of rows by columns with a validated rating; an empty cell means no validated
    rating."""
    labels = rating_labels()
    abbr = rating_abbreviations()
    values: list[dict[str, Any]] = []
    table = Table([y_title] + [c.label for c in columns], caption=title)
    for y_order, row in enumerate(rows_):
        line: list[Cell] = [row.label]
        for x_order, column in enumerate(columns):
            rating = ratings.get((row.key, column.key))
            line.append(labels.get(rating, "") if rating else None)
            if rating:
                values.append(
                    {
                        "x": column.label,
                        "x_order": x_order,
                        "y": row.label,
                        "y_order": y_order,
                        "rating": rating,
                        "abbr": abbr.get(rating, ""),
                    }
                )
        table.rows.append(line)
    spec = specs.heatmap(
        values,
        x_title=x_title,
        y_title=y_title,
        rating_labels=labels,
        width="container",
    )
    _legible_cells(spec)
    return Chart(chart_id, title, _fit(spec, legend_columns=3), table)


# Ratings whose cell colour is dark: their letters are written in white.
DARK_CELLS = {"completed", "off_track", "discontinued"}


def _legible_cells(spec: dict[str, Any]) -> None:
    """Letters in white on the dark cells, in near-black on the light ones, so that they stay
    readable (contrast) whatever the rating."""
    for row in spec["data"]["values"]:
        row["ink"] = "#ffffff" if row["rating"] in DARK_CELLS else "#111111"
    text = spec["layer"][1]
    text["encoding"]["color"] = {"field": "ink", "type": "nominal", "scale": None, "legend": None}


def indicator_chart(
    chart_id: str,
    *,
    title: str,
    cycles: Sequence[Cycle],
    targets: Sequence[Decimal | None],
    actuals: Sequence[Decimal | None],
    by_sex: Mapping[str, Sequence[Decimal | None]],
    value_title: str,
) -> Chart:
    """Target against actual over the cycles, and the actual of each sex where the indicator is
    disaggregated by sex. Missing values are gaps."""
    target_label, actual_label = _("Target"), _("Actual")
    rows: list[dict[str, Any]] = []
    table = Table([_("Cycle"), target_label, actual_label, *by_sex], caption=title)
    for order, cycle in enumerate(cycles):
        series: list[tuple[str, str, Decimal | None]] = [
            (target_label, "target", targets[order]),
            (actual_label, "actual", actuals[order]),
        ] + [(name, "actual", values[order]) for name, values in by_sex.items()]
        for name, kind, value in series:
            if value is not None:
                rows.append(
                    {
                        "period": cycle.code,
                        "period_order": order,
                        "series": name,
                        "kind": kind,
                        "value": float(value),
                    }
                )
        table.rows.append([cycle.code] + [_round(value) for _n, _k, value in series])
    spec = specs.target_actual(
        rows, period_title=_("Cycle"), value_title=value_title, width="container"
    )
    return Chart(chart_id, title, _fit(spec, legend_columns=4), table)


def _fit(spec: dict[str, Any], *, legend_columns: int) -> dict[str, Any]:
    """The page's figure caption carries the title, so the drawing has none; legends under a
    chart as wide as its column wrap instead of running off its edge."""
    spec["title"] = {"text": ""}
    spec["config"]["legend"] = {
        **spec["config"].get("legend", {}),
        "columns": legend_columns,
        "labelLimit": 220,
    }
    return spec


def _round(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return (
        value.quantize(Decimal("0.1")) if value != value.to_integral_value() else value.quantize(1)
    )


# Registers ------------------------------------------------------------------------------------


def register_cases_chart(
    chart_id: str,
    *,
    title: str,
    years: Sequence[int],
    missions: Sequence[str],
    counts: Mapping[tuple[int, str], int],
) -> Chart:
    """Cases by year of the incident, stacked by mission; the table gives a column per mission
    and the year's total."""
    rows: list[dict[str, Any]] = []
    table = Table([_("Year"), *missions, _("Total")], caption=title)
    for year in years:
        line: list[Cell] = [str(year)]
        for mission in missions:
            n = counts.get((year, mission), 0)
            line.append(n)
            if n:
                rows.append({"x": str(year), "x_order": year, "series": mission, "count": n})
        table.rows.append([*line, sum(counts.get((year, m), 0) for m in missions)])
    spec = specs.stacked_counts(
        rows,
        x_title=_("Year"),
        count_title=_("Cases"),
        series_title=_("Mission"),
        width="container",
    )
    return Chart(chart_id, title, _fit(spec, legend_columns=4), table)


def register_victims_chart(
    chart_id: str,
    *,
    title: str,
    years: Sequence[int],
    killed: Mapping[int, int],
    injured: Mapping[int, int],
) -> Chart:
    """Peacekeepers killed and injured by year of the incident, stacked."""
    killed_label, injured_label = _("Killed"), _("Injured")
    rows: list[dict[str, Any]] = []
    table = Table([_("Year"), killed_label, injured_label, _("Total")], caption=title)
    for year in years:
        k, i = killed.get(year, 0), injured.get(year, 0)
        for label, n in ((killed_label, k), (injured_label, i)):
            if n:
                rows.append({"x": str(year), "x_order": year, "series": label, "count": n})
        table.rows.append([str(year), k, i, k + i])
    spec = specs.stacked_counts(
        rows,
        x_title=_("Year"),
        count_title=_("Personnel"),
        series_title=" ",
        width="container",
    )
    return Chart(chart_id, title, _fit(spec, legend_columns=2), table)


def register_bar_chart(
    chart_id: str,
    *,
    title: str,
    label_title: str,
    rows_: Sequence[dict[str, Any]],
    extra: Sequence[tuple[str, str]] = (),
) -> Chart:
    """One bar per label (mission, type of incident), most cases first; `extra` adds table
    columns (key, heading) such as killed and injured. Rows: {"label", "cases", …}."""
    table = Table([label_title, _("Cases"), *[heading for _key, heading in extra]], caption=title)
    for row in rows_:
        table.rows.append([row["label"], row["cases"], *[row[key] for key, _h in extra]])
    spec = specs.counts_bar(
        [{"label": row["label"], "count": row["cases"]} for row in rows_ if row["cases"]],
        label_title=label_title,
        count_title=_("Cases"),
        width="container",
    )
    return Chart(chart_id, title, _fit(spec, legend_columns=1), table)


def register_followup_chart(
    chart_id: str, *, title: str, years: Sequence[int], rows_: Sequence[dict[str, Any]]
) -> Chart:
    """Share of the cases of each year in which the host State has taken a judicial step. A year
    without cases has no share (a gap), never zero."""
    series = _("Cases with judicial follow-up")
    by_year = {row["year"]: row for row in rows_}
    values: list[dict[str, Any]] = []
    table = Table([_("Year"), _("Cases"), _("With judicial follow-up"), _("Share")], caption=title)
    for year in years:
        row = by_year.get(year)
        share = row["share"] if row else None
        table.rows.append(
            [str(year), row["cases"] if row else 0, row["with_followup"] if row else 0, share]
        )
        if share is not None:
            values.append(
                {"period": str(year), "period_order": year, "series": series, "share": share}
            )
    spec = specs.share_trend(
        values,
        period_title=_("Year"),
        share_title=_("Cases with judicial follow-up (%)"),
        series_title=series,
        width="container",
    )
    return Chart(chart_id, title, _fit(spec, legend_columns=1), table)
