"""Sensitivity and the fields shared with Member States: what a concerned State's delegate reads
of a record, against UN staff's full view. The same rule serves the page, the CSV exports and the
API of every register."""

from __future__ import annotations

from dataclasses import dataclass

from reporting.models import Sensitivity


@dataclass(frozen=True)
class SharedFields:
    """A register's fields by who reads them. Fields named nowhere are always shared."""

    # The narrative (descriptions, sources, coordinates…): withheld when the record is
    # confidential.
    unless_confidential: frozenset[str]
    # Never shown to a State (internal notes, the sensitivity itself…).
    staff_only: frozenset[str]


@dataclass(frozen=True)
class Reading:
    """How one reader reads one record."""

    full: bool  # UN staff's full view
    narrative: bool  # the fields shared unless confidential

    def shows(self, shared: SharedFields, name: str) -> bool:
        if name in shared.staff_only:
            return self.full
        if name in shared.unless_confidential:
            return self.narrative
        return True


def reading(*, full: bool, sensitivity: str) -> Reading:
    """A concerned State reads the narrative unless the record is confidential; UN staff with
    the full view read everything."""
    return Reading(full=full, narrative=full or sensitivity != Sensitivity.CONFIDENTIAL)
