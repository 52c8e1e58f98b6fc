"""The registry of registers. Each register is a `Register` registration, made by
`register(...)` in its app's `ready()`: what it records and how its records concern Member
States, and what it contributes to the rest of the application (a section of the Member State
portal, of the consolidated report and of the dashboards, computed indicators, API resources).
Pages that span registers (the portal; later the report and the dashboards) iterate
`registers()`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import QueryDict
from django.utils.functional import Promise

from accounts.models import User
from indicators.computed import Computation, register_computed
from registers.access import RegisterAccess
from registers.kernel.concern import Concern
from registers.kernel.log import AccessEntry
from registers.kernel.selectors import Gate
from registers.kernel.sharing import SharedFields


@dataclass(frozen=True)
class PortalSection:
    """What a register shows a delegate on the Member State portal: a template and its context
    (the template reads it as `section`)."""

    template: str
    context: dict[str, Any]


class PortalBuilder(Protocol):
    def __call__(self, user: User, params: QueryDict) -> PortalSection | None: ...


class ReportSection(Protocol):
    """A section of the consolidated report: aggregates only, None when the period has none."""

    def __call__(
        self, *, period_start: dt.date, period_end: dt.date, public: bool
    ) -> dict[str, Any] | None: ...


class DashboardSection(Protocol):
    """The aggregates of a dashboard section over the years chosen (of one mission, if given);
    None for a user the register gives nothing."""

    def __call__(
        self,
        *,
        user: User | AnonymousUser,
        first_year: int,
        last_year: int,
        mission_id: int | None = None,
    ) -> dict[str, Any] | None: ...


def _as_is(records: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return records


@dataclass(frozen=True)
class ApiWrite:
    """How the API records a new record: `form(reader, data)` binds the form that validates the
    request's data (its errors name the fields), `save(actor=..., **cleaned_data)` is the
    service the page's create view calls; `refused` are the service's domain errors."""

    form: Callable[[RegisterAccess, Mapping[str, Any]], Any]
    save: Callable[..., Any]
    refused: tuple[type[Exception], ...] = ()


@dataclass(frozen=True)
class ApiResource:
    """A collection the API serves over the register's gate (`/api/v1/registers/<code>/<name>/`):
    `item` renders a record in a list (read from `prepare_list`'s query), `detail` a record read
    alone (from `prepare_detail`'s), each for the reader's access; every read is logged.
    `filterset` is a django-filter FilterSet over the gate's records, `ordering` the default
    order, `write` how a record is created (None: read only)."""

    name: str
    gate: Gate[Any]
    item: Callable[[Any, RegisterAccess], dict[str, Any]]
    detail: Callable[[Any, RegisterAccess], dict[str, Any]]
    prepare_list: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] = _as_is
    prepare_detail: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] = _as_is
    filterset: type[Any] | None = None
    ordering: tuple[str, ...] = ("-pk",)
    ordering_fields: tuple[str, ...] = ("pk",)
    write: ApiWrite | None = None


@dataclass(frozen=True)
class Register:
    code: str
    name: str | Promise
    gate: Gate[Any]
    shared: SharedFields
    access_log: type[AccessEntry]
    portal_section: PortalBuilder | None
    report_section: ReportSection | None
    dashboard_section: DashboardSection | None
    computed: Mapping[str, Computation] = field(default_factory=dict)
    api_resources: tuple[ApiResource, ...] = ()
    # The aggregates the API serves at /api/v1/registers/<code>/statistics/ over the records
    # whose aggregates the reader may see (`gate.aggregates_for`); None: no statistics.
    api_statistics: Callable[[models.QuerySet[Any]], dict[str, Any]] | None = None
    # Counts under this are withheld from the register's statistics (0: none is).
    small_cells: int = 0

    @property
    def model(self) -> type[models.Model]:
        return self.gate.model

    @property
    def concern(self) -> Concern:
        return self.gate.concern


_REGISTERS: dict[str, Register] = {}


def register(entry: Register) -> None:
    """Add a register, and its computed indicators to the indicators' registry."""
    known = _REGISTERS.get(entry.code)
    if known is not None and known is not entry:
        raise ImproperlyConfigured(f"register {entry.code!r} is registered twice")
    _REGISTERS[entry.code] = entry
    for key, calculation in entry.computed.items():
        register_computed(key, calculation)


def registers() -> list[Register]:
    """The registers, in the order they were registered."""
    return list(_REGISTERS.values())
