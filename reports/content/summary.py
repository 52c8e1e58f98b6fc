"""The summary: deliverables by consolidated rating per priority (chart and table), and the
deliverables on track or completed against the previous cycle. The executive summary beside them
is the planning unit's own text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import charts
from reports.content.document import GOOD, Chart, PrioritySection, Table
from reports.content.sources import Sources


@dataclass
class Summary:
    table: Table
    chart: Chart
    changes: Table
    totals: dict[str, int]


def summary_part(sections: list[PrioritySection], sources: Sources) -> Summary:
    totals: Counter[str] = Counter()
    for section in sections:
        totals.update(section.counts)
    table = _ratings_table(sections, sources)
    return Summary(
        table=table,
        chart=_ratings_chart(sections, sources, table),
        changes=_changes(sections, sources),
        totals=dict(totals),
    )


def _label(section: PrioritySection) -> str:
    return f"{section.number}. {section.title}"


def _ratings_table(sections: list[PrioritySection], sources: Sources) -> Table:
    codes = sources.rating_codes
    return Table(
        caption=_("Deliverables by consolidated rating and priority, %(cycle)s")
        % {"cycle": sources.cycle.code},
        columns=[
            _("Priority"),
            *[sources.rating_labels[c] for c in codes],
            _("Not reported"),
            _("Total"),
        ],
        rows=[
            [
                _label(section),
                *[section.counts.get(c, 0) for c in codes],
                section.counts.get("none", 0),
                len(section.deliverables),
            ]
            for section in sections
        ],
    )


def _ratings_chart(sections: list[PrioritySection], sources: Sources, table: Table) -> Chart:
    rows = [
        {"group": str(s.number), "order": s.number, "rating": code, "count": s.counts[code]}
        for s in sections
        for code in sources.rating_codes
        if s.counts.get(code)
    ]
    return Chart(
        key="summary",
        title=table.caption,
        spec=charts.ratings_stacked(
            rows,
            group_title=_("Priority"),
            count_title=_("Deliverables"),
            rating_labels=sources.rating_labels,
            title=table.caption,
        ),
        table=table,
    )


def _changes(sections: list[PrioritySection], sources: Sources) -> Table:
    """Deliverables on track or completed per priority, against the previous cycle."""
    cycle, previous_cycle = sources.cycle, sources.previous_cycle
    current, previous = sources.current, sources.previous
    rows: list[list[Any]] = []
    for section in sections:
        codes = [line.code for line in section.deliverables]
        good_now = sum(1 for c in codes if current.get(c) in GOOD)
        good_before = sum(1 for c in codes if previous.get(c) in GOOD)
        rows.append(
            [
                _label(section),
                good_before if previous_cycle else "—",
                good_now,
                _signed(good_now - good_before) if previous_cycle else "—",
            ]
        )
    return Table(
        caption=_("Deliverables on track or completed: %(cycle)s against %(previous)s")
        % {"cycle": cycle.code, "previous": previous_cycle.code if previous_cycle else "—"},
        columns=[
            _("Priority"),
            previous_cycle.code if previous_cycle else _("Previous cycle"),
            cycle.code,
            pgettext("difference", "Change"),
        ],
        rows=rows,
    )


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else ("\u00b10" if n == 0 else f"\u2212{-n}")
