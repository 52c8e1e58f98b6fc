"""One section per register that has data in the cycle's period. The registers provide their own
aggregates; a public edition gets aggregates only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core import charts
from registers.kernel.registry import registers
from reporting.models import Cycle
from reports.content.document import Chart, RegisterSection, Table

Provider = Callable[..., dict[str, Any] | None]


def register_providers() -> list[Provider]:
    """The registers' report sections, in the order the registers were registered."""
    return [r.report_section for r in registers() if r.report_section is not None]


def register_sections(cycle: Cycle, *, public: bool) -> list[RegisterSection]:
    sections = []
    for n, provider in enumerate(register_providers(), start=1):
        data = provider(period_start=cycle.period_start, period_end=cycle.period_end, public=public)
        if data:
            sections.append(_section(n, data))
    return sections


def _section(n: int, data: dict[str, Any]) -> RegisterSection:
    tables = [
        Table(caption=t["caption"], columns=list(t["columns"]), rows=list(t["rows"]))
        for t in data.get("tables", [])
    ]
    chart = _first_table_chart(n, tables[0]) if tables else None
    return RegisterSection(
        title=data["title"],
        summary=data.get("summary", ""),
        facts=list(data.get("facts", [])),
        tables=tables[1:] if chart else tables,
        chart=chart,
    )


def _first_table_chart(n: int, first: Table) -> Chart | None:
    """The register's first table (a label and a count per row) drawn as bars."""
    if len(first.columns) < 2 or not first.rows:
        return None
    return Chart(
        key=f"register-{n}",
        title=first.caption,
        spec=charts.counts_bar(
            [{"label": str(row[0]), "count": row[1]} for row in first.rows],
            label_title=first.columns[0],
            count_title=first.columns[1],
            title=first.caption,
        ),
        table=first,
    )
