"""One section per priority: ratings by result, the trend across every cycle so far, the
deliverables of each result, highlights, obstacles and the indicator table."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from core import charts
from reports.content.deliverables import (
    deliverable_line,
    first_texts,
    highlights_of,
    obstacles_of,
)
from reports.content.document import GOOD, Chart, PrioritySection, ResultPart, Table, Text
from reports.content.indicator_tables import indicator_table
from reports.content.sources import Sources


def priority_section(priority: dict[str, Any], sources: Sources) -> PrioritySection:
    number = priority["number"]
    results = [
        ResultPart(
            code=result["code"],
            title=result["title"],
            deliverables=[deliverable_line(d, sources) for d in result["deliverables"]],
        )
        for result in priority["results"]
    ]
    codes = [line.code for result in results for line in result.deliverables]
    all_highlights: list[Text] = []
    highlights: list[Text] = []
    for code in codes:
        texts = highlights_of(code, sources)
        all_highlights.extend(texts)
        highlights.extend(first_texts(texts))
    return PrioritySection(
        number=number,
        title=priority["title"],
        results=results,
        counts=Counter(line.rating or "none" for r in results for line in r.deliverables),
        ratings_chart=_ratings_chart(number, results, sources),
        trend_chart=_trend_chart(number, codes, sources),
        highlights=highlights,
        all_highlights=all_highlights,
        obstacles=[o for code in codes for o in obstacles_of(code, sources)],
        indicators=indicator_table(
            [r for r in sources.tracking if r.priority_number == number],
            _("Indicators of priority %(n)s: target against actual, %(cycle)s")
            % {"n": number, "cycle": sources.cycle.code},
            in_version=sources.in_version,
        ),
    )


def _ratings_chart(number: int, results: list[ResultPart], sources: Sources) -> Chart:
    codes = sources.rating_codes
    table = Table(
        caption=_("Deliverables of priority %(n)s by result and rating") % {"n": number},
        columns=[_("Result"), *[sources.rating_labels[c] for c in codes]],
        rows=[
            [r.code, *[sum(1 for d in r.deliverables if d.rating == c) for c in codes]]
            for r in results
        ],
    )
    rows = [
        {"group": r.code, "order": r.code, "rating": line.rating, "count": 1}
        for r in results
        for line in r.deliverables
        if line.rating
    ]
    return Chart(
        key=f"p{number}-ratings",
        title=table.caption,
        spec=charts.ratings_stacked(
            rows,
            group_title=_("Result"),
            count_title=_("Deliverables"),
            rating_labels=sources.rating_labels,
            title=table.caption,
        ),
        table=table,
    )


def _trend_chart(number: int, codes: list[str], sources: Sources) -> Chart:
    """The share of the priority's rated deliverables on track or completed, cycle by cycle."""
    rows = []
    table_rows: list[list[Any]] = []
    for cycle in sources.history_cycles:
        ratings = sources.ratings_by_cycle.get(cycle.pk, {})
        rated = [ratings[code] for code in codes if ratings.get(code)]
        if not rated:
            continue
        share = round(100 * sum(1 for r in rated if r in GOOD) / len(rated))
        rows.append(
            {
                "period": cycle.code,
                "period_order": cycle.period_start.isoformat(),
                "series": str(number),
                "share": share,
            }
        )
        table_rows.append([cycle.code, len(rated), share])
    table = Table(
        caption=_("Share of rated deliverables of priority %(n)s on track or completed")
        % {"n": number},
        columns=[_("Cycle"), _("Rated deliverables"), _("On track or completed (%)")],
        rows=table_rows,
    )
    return Chart(
        key=f"p{number}-trend",
        title=table.caption,
        spec=charts.share_trend(
            rows,
            period_title=_("Cycle"),
            share_title=_("On track or completed (%)"),
            series_title=_("Priority"),
            title=table.caption,
        ),
        table=table,
    )
