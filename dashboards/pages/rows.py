"""The rows of the dashboards' tables: a group's tally in the cycle and its change, and one
progress update."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from core.models import Entity
from dashboards.charts import Group
from dashboards.filters import Filters
from dashboards.selectors import Tally
from plans.models import Deliverable, DeliverableEntity
from reporting.models import Cycle, ProgressUpdate


@dataclass(frozen=True)
class Row:
    """Read by attribute, and by key too: the pages have always given their rows to their
    templates and tests as mappings (`row["tally"]`)."""

    def __getitem__(self, key: str) -> object:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, key)


@dataclass(frozen=True)
class SummaryRow(Row):
    """A priority, result, deliverable or entity: its tally in the selected cycle, and the change
    of its share since the previous cycle, in percentage points."""

    group: Group
    tally: Tally
    change: float | None


def share_change(now: Tally, before: Tally | None) -> float | None:
    if now.share is None or before is None or before.share is None:
        return None
    return now.share - before.share


def standing(
    key: Any, tallies: Mapping[tuple[Any, int], Tally], filters: Filters
) -> tuple[Tally, float | None]:
    """The group's tally in the selected cycle (empty if it has none) and its change."""
    now = tallies.get((key, filters.cycle.pk)) if filters.cycle else None
    before = tallies.get((key, filters.previous.pk)) if filters.previous else None
    tally = now or Tally()
    return tally, share_change(tally, before)


def summary_rows(
    groups: Iterable[Group], tallies: Mapping[tuple[Any, int], Tally], filters: Filters
) -> tuple[SummaryRow, ...]:
    return tuple(SummaryRow(group, *standing(group.key, tallies, filters)) for group in groups)


def total_of(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


def in_cycle(tallies: Mapping[tuple[Any, int], Tally], cycle: Cycle | None) -> dict[Any, Tally]:
    """{group key: tally} of one cycle."""
    if cycle is None:
        return {}
    return {key: tally for (key, cycle_id), tally in tallies.items() if cycle_id == cycle.pk}


@dataclass(frozen=True)
class UpdateRow(Row):
    """One progress update as the deliverable's and the scorecard's tables show it: its entity
    and deliverable by code (with the objects where the plan has them), state, rating, lateness
    and obstacle count."""

    pk: int
    cycle_id: int
    entity: str
    deliverable: str
    role: str
    state: str
    rating: str
    late: bool
    obstacle_count: int
    role_label: str | Promise
    state_label: str | Promise
    rating_label: str | Promise
    entity_obj: Entity | None = None
    deliverable_obj: Deliverable | None = None


def update_rows(
    cells: Sequence[Mapping[str, Any]],
    *,
    entities: Mapping[str, Entity] | None = None,
    deliverables: Mapping[str, Deliverable] | None = None,
) -> tuple[UpdateRow, ...]:
    """Rows of `selectors.update_cells`, with their labels, and their entity or deliverable
    objects from these mappings by code."""
    return tuple(
        UpdateRow(
            pk=cell["pk"],
            cycle_id=cell["cycle_id"],
            entity=cell["entity"],
            deliverable=cell["deliverable"],
            role=cell["role"],
            state=cell["state"],
            rating=cell["rating"],
            late=cell["late"],
            obstacle_count=cell["obstacle_count"],
            role_label=DeliverableEntity.Role(cell["role"]).label,
            state_label=ProgressUpdate.State(cell["state"]).label,
            rating_label=ProgressUpdate.Rating(cell["rating"]).label if cell["rating"] else "",
            entity_obj=entities.get(cell["entity"]) if entities else None,
            deliverable_obj=deliverables.get(cell["deliverable"]) if deliverables else None,
        )
        for cell in cells
    )
