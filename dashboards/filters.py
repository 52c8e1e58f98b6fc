"""The filters every dashboard reads from its URL (cycle, priority, entity, marker), so that any
view can be shared by copying its address."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from core.models import Entity
from core.numbers import plain_int
from plans.models import Marker, Plan, Priority
from reporting.models import Cycle, ProgressUpdate

NAMES = ("cycle", "priority", "entity", "marker")


@dataclass(frozen=True)
class Filters:
    """A page that fixes a filter by its path (a priority, an entity) replaces it in a copy
    (`dataclasses.replace`), so that its links and its counts agree."""

    plan: Plan
    cycles: tuple[Cycle, ...]  # every cycle that has opened, oldest first
    cycle: Cycle | None  # the cycle the page describes
    priority: int | None = None
    entity: Entity | None = None
    marker: Marker | None = None
    notices: tuple[str, ...] = ()

    @property
    def trend_cycles(self) -> list[Cycle]:
        """The cycles a trend shows: up to and including the selected one."""
        if self.cycle is None:
            return []
        return [c for c in self.cycles if c.period_start <= self.cycle.period_start]

    @property
    def previous(self) -> Cycle | None:
        trend = self.trend_cycles
        return trend[-2] if len(trend) > 1 else None

    def values(self) -> dict[str, str]:
        out = {
            "cycle": self.cycle.code if self.cycle else "",
            "priority": str(self.priority or ""),
            "entity": self.entity.code if self.entity else "",
            "marker": self.marker.code if self.marker else "",
        }
        return {k: v for k, v in out.items() if v}

    def query(self, **overrides: Any) -> str:
        """The filters as a query string (without "?"), some replaced or dropped (None)."""
        values: dict[str, Any] = self.values()
        values.update(overrides)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def narrow(self, updates: QuerySet[ProgressUpdate]) -> QuerySet[ProgressUpdate]:
        """Progress updates restricted to the priority, entity and marker chosen."""
        if self.priority is not None:
            updates = updates.filter(
                assignment__deliverable__result__priority__number=self.priority
            )
        if self.entity is not None:
            updates = updates.filter(assignment__entity_id=self.entity.pk)
        if self.marker is not None:
            updates = updates.filter(assignment__deliverable__markers=self.marker.pk)
        return updates


def default_cycle(cycles: Sequence[Cycle]) -> Cycle | None:
    """The latest cycle whose reporting is over (closed or published): its validated ratings are
    the plan's last complete picture. Before the first one closes, the latest cycle."""
    done = [c for c in cycles if c.state in (Cycle.State.CLOSED, Cycle.State.PUBLISHED)]
    if done:
        return done[-1]
    return cycles[-1] if cycles else None


def parse(
    params: QueryDict,
    *,
    plan: Plan,
    cycles: Sequence[Cycle],
    priorities: Sequence[Priority],
    entities: Sequence[Entity],
    markers: Sequence[Marker],
) -> Filters:
    """Read the filters; an unknown value is ignored with a notice, never an error page, so an
    old shared link still opens."""
    notices: list[str] = []
    cycle = default_cycle(cycles)
    code = params.get("cycle", "")
    if code:
        chosen = next((c for c in cycles if c.code == code), None)
        if chosen is None:
            notices.append(_("There is no reporting cycle %(code)s.") % {"code": code})
        else:
            cycle = chosen
    priority = None
    number = params.get("priority", "")
    if number:
        if plain_int(number) in {p.number for p in priorities}:
            priority = plain_int(number)
        else:
            notices.append(_("There is no priority %(n)s.") % {"n": number})
    entity = None
    entity_code = params.get("entity", "")
    if entity_code:
        entity = next((e for e in entities if e.code == entity_code), None)
        if entity is None:
            notices.append(_("No entity %(code)s reports on this plan.") % {"code": entity_code})
    marker = None
    marker_code = params.get("marker", "")
    if marker_code:
        marker = next((m for m in markers if m.code == marker_code), None)
        if marker is None:
            notices.append(_("There is no marker %(code)s.") % {"code": marker_code})
    return Filters(
        plan=plan,
        cycles=tuple(cycles),
        cycle=cycle,
        priority=priority,
        entity=entity,
        marker=marker,
        notices=tuple(notices),
    )
