"""What every dashboard page stands on, and the one gate to it."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.access import require_internal
from accounts.models import User
from core.models import Entity
from dashboards import selectors
from dashboards.charts import Chart
from dashboards.filters import Filters, parse
from dashboards.selectors import PlanTree
from plans.models import Plan
from plans.selectors import plan_for
from reporting.models import Cycle, ProgressUpdate
from reporting.selectors import updates_visible_to


@dataclass(frozen=True)
class Frame:
    """The plan a dashboard page describes, its priorities, results and deliverables, the
    entities that report on it, the filters read from the address, the page's section, and who
    is looking. Only `frame_for` makes one, after the access check, so a page builder given a
    frame checks nothing itself."""

    user: User | AnonymousUser
    plan: Plan
    tree: PlanTree
    entities: tuple[Entity, ...]
    filters: Filters
    section: str

    @property
    def cycle(self) -> Cycle | None:
        return self.filters.cycle

    def updates(self) -> QuerySet[ProgressUpdate]:
        """The progress updates the user may see, narrowed by the filters."""
        return self.filters.narrow(updates_visible_to(self.user))

    def entity(self, code: str) -> Entity | None:
        return next((e for e in self.entities if e.code == code), None)

    def entity_label(self, code: str) -> str:
        entity = self.entity(code)
        return entity.label if entity else code

    def without_priority(self) -> Frame:
        """For a page whose path decides the priority (a priority, result or deliverable)."""
        return replace(self, filters=replace(self.filters, priority=None))

    def for_entity(self, entity: Entity) -> Frame:
        """For a page whose path decides the entity (its scorecard)."""
        return replace(self, filters=replace(self.filters, entity=entity))


def frame_for(request: HttpRequest, plan_code: str, *, section: str) -> Frame:
    """The gate of every dashboard page and download: the plan as the user may see it, for
    internal users only (404 for anyone else), with the filters of the address."""
    user = request.user
    plan = plan_for(user, plan_code)
    require_internal(user)
    tree = selectors.plan_tree(plan)
    cycles = selectors.opened_cycles(plan)
    entities = selectors.reporting_entities(plan)
    filters = parse(
        request.GET,
        plan=plan,
        cycles=cycles,
        priorities=tree.priorities,
        entities=entities,
        markers=tree.markers,
    )
    return Frame(user, plan, tree, tuple(entities), filters, section)


@dataclass(frozen=True, kw_only=True)
class DashboardPage:
    """A page's data: its frame, its charts (each one also a table and a CSV download), and the
    filters its path fixes (left out of its filter form). A page adds its own fields, named as
    its template reads them."""

    frame: Frame
    charts: tuple[Chart, ...] = ()
    fixed: tuple[str, ...] = ()

    def chart(self, chart_id: str) -> Chart | None:
        return next((c for c in self.charts if c.id == chart_id), None)

    def own(self) -> dict[str, object]:
        """The fields the page adds, by name."""
        shared = {f.name for f in fields(DashboardPage)}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in shared}
