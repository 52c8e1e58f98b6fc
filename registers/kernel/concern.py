"""The Member State *concern* relation: a register's record concerns a State through its
nationals (victims, personnel of that nationality), the personnel it contributed, or its
territory. A register declares one `Ground` per way, and the kernel turns them into the
delegate's filter (`Concern.filter`) and into the States one record concerns (`Concern.states_of`,
for notifications)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

# Member State ids, as a collection or as a subquery of their pks.
StateIds = Collection[int] | QuerySet[Any]


class Basis(StrEnum):
    NATIONALS = "nationals"
    PERSONNEL = "personnel"
    TERRITORY = "territory"


@dataclass(frozen=True)
class Ground:
    """One way a record concerns a State.

    `records(states)` is the pks of the records that concern any of these States on this
    ground, as a `values()` queryset the database can read from one index; `states(record)` is
    the States one record concerns on this ground."""

    basis: Basis
    records: Callable[[StateIds], QuerySet[Any]]
    states: Callable[[Any], Iterable[int]]


@dataclass(frozen=True)
class Concern:
    grounds: tuple[Ground, ...]

    def filter(self, states: StateIds) -> Q:
        """The records that concern any of these States: one uncorrelated subquery, the union of
        the grounds, so that the database finds the States' records first and reads only those
        (rather than testing every record)."""
        states = states if isinstance(states, QuerySet) else list(states)
        first, *others = (ground.records(states) for ground in self.grounds)
        return Q(pk__in=first.union(*others))

    def states_of(self, record: Any) -> set[int]:
        """The Member States one record concerns, on every ground."""
        return {state for ground in self.grounds for state in ground.states(record)}
