"""Reads every register shares: the gate of its records, built from the user's register access
(`registers.access.register_access_for`), the access log of the records that concern some
States, and the delegates of those States."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise

from accounts.models import Role, User
from accounts.selectors import users_holding
from core.models import MemberState
from registers.access import register_access_for
from registers.kernel.concern import Concern, StateIds
from registers.kernel.log import AccessEntry

M = TypeVar("M", bound=models.Model)


def _as_is(records: QuerySet[M]) -> QuerySet[M]:
    return records


@dataclass(frozen=True)
class Gate(Generic[M]):
    """The one gate of a register's records: `visible_to(user)` and `record_for(user, pk)`."""

    model: type[M]
    concern: Concern
    # The record's mission: UN staff attached to a mission read its records.
    mission_field: str
    # The 404 message, the same for a missing record and a forbidden one.
    missing: str | Promise

    def visible_to(self, user: User | AnonymousUser) -> QuerySet[M]:
        """Every record for UN staff who read them all; a mission's records for users attached
        to it; the records that concern a delegate's State. None for anyone else."""
        reader = register_access_for(user)
        records = self.model._default_manager.all()
        if reader.all_cases:
            return records
        visible = Q()
        if reader.missions:
            visible |= Q(**{f"{self.mission_field}_id__in": reader.missions})
        if reader.states:
            visible |= self.concern.filter(reader.states)
        if not visible:
            return records.none()
        return records.filter(visible)

    def record_for(
        self,
        user: User | AnonymousUser,
        pk: object,
        *,
        prepare: Callable[[QuerySet[M]], QuerySet[M]] = _as_is,
    ) -> M:
        """The record (with what `prepare` adds to its query), or 404: missing and forbidden
        alike, so that ids leak nothing."""
        try:
            number = int(pk)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise Http404(self.missing) from None
        record = prepare(self.visible_to(user).filter(pk=number)).first()
        if record is None:
            raise Http404(self.missing)
        return record

    def aggregates_for(self, user: User | AnonymousUser) -> QuerySet[M] | None:
        """The records whose aggregates the user may see (statistics, dashboards), or None. The
        planning unit sees aggregates of every record (it consolidates the report) though it
        reads none; anyone else the aggregates of the records it may read."""
        reader = register_access_for(user)
        if not reader.any:
            return None
        if reader.aggregates and not reader.missions and not reader.all_cases:
            return self.model._default_manager.all()
        return self.visible_to(user)

    def concerning(self, states: StateIds) -> QuerySet[M]:
        """The records that concern these Member States, whoever asks (the portal asks for the
        delegate's own States)."""
        return self.model._default_manager.filter(self.concern.filter(states))


def accesses_concerning(
    *, gate: Gate[Any], log: type[AccessEntry], states: StateIds
) -> QuerySet[Any]:
    """The reads of the records that concern these Member States (unordered)."""
    concerned = gate.concerning(states).values("pk")
    return log._default_manager.filter(**{f"{log.RECORD}_id__in": concerned})


def member_states(ids: StateIds) -> list[MemberState]:
    """The Member States of these ids (a delegate's), by name."""
    return list(MemberState.objects.filter(pk__in=ids))


def delegates_of(states: StateIds) -> QuerySet[User]:
    """The active delegates of these Member States."""
    return users_holding(Role.MEMBER_STATE_DELEGATE, state_ids=states)
