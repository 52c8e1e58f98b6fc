"""Every write to the plan goes through here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.models import Entity
from plans.models import (
    Assignment,
    Deliverable,
    DeliverableEntity,
    Marker,
    Milestone,
    Plan,
    PlanVersion,
    Priority,
    Result,
)
from plans.planfile import DeliverableData, EntityRef, PlanFile

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class LoadSummary:
    plan: Plan
    counts: dict[str, int]

    @property
    def changed(self) -> bool:
        return any(self.counts.get(k) for k in ("created", "updated", "deleted", "retired"))


def row_upsert(
    model: type[M], existing: M | None, values: dict[str, Any], counts: Counter[str]
) -> M:
    if existing is None:
        counts["created"] += 1
        return model._default_manager.create(**values)
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if changed:
        for name in changed:
            setattr(existing, name, values[name])
        existing.save(update_fields=changed)
        counts["updated"] += 1
    return existing


class PlanLoadError(Exception):
    """The file is valid but cannot be applied to what the database holds."""


# The parts of a plan file that apps above plans keep (the indicators app: dimensions,
# indicators and targets). Each registers its sync from its `AppConfig.ready()`; `plan_load`
# runs them, in the loading transaction, after the priorities, results and deliverables.
PlanPartSync = Callable[[Plan, PlanFile, Counter[str], PlanVersion | None], None]
_plan_parts: list[PlanPartSync] = []


def register_plan_part(sync: PlanPartSync) -> PlanPartSync:
    if sync not in _plan_parts:
        _plan_parts.append(sync)
    return sync


def rows_delete(queryset: models.QuerySet[Any], counts: Counter[str]) -> None:
    try:
        deleted, _kinds = queryset.delete()
    except ProtectedError as error:
        names = sorted({str(obj) for obj in queryset})
        raise PlanLoadError(
            _(
                "%(items)s cannot be removed: progress updates or values were reported on them. "
                "Retire them in a plan revision instead."
            )
            % {"items": ", ".join(names)}
        ) from error
    counts["deleted"] += deleted


@transaction.atomic
def plan_load(
    *, plan_file: PlanFile, actor: User | None = None, retire_in: PlanVersion | None = None
) -> LoadSummary:
    """Create or update the plan from a validated file. Loading the same file twice changes
    nothing. Items missing from the file are removed; when publishing a revision
    (`retire_in`), deliverables and indicators missing from it are retired in that version
    instead, keeping their identity and what was reported on them."""
    counts: Counter[str] = Counter()
    plan = row_upsert(
        Plan,
        Plan.objects.filter(code=plan_file.code).first(),
        {
            "code": plan_file.code,
            "title": plan_file.title,
            "short_title": plan_file.short_title,
            "period_start": plan_file.period_start,
            "period_end": plan_file.period_end,
            "source": plan_file.source,
        },
        counts,
    )

    markers = _markers_sync(plan, plan_file, counts)
    _tree_sync(plan, plan_file, markers, counts)
    codes = _tree_prune(plan, plan_file, counts, retire_in)
    for sync in _plan_parts:
        sync(plan, plan_file, counts, retire_in)
    summary = LoadSummary(plan=plan, counts=dict(counts))
    if summary.changed:
        audit.log(
            action="plan.loaded",
            obj=plan,
            actor=actor,
            data={"deliverables": len(codes), **summary.counts},
        )
    return summary


def _markers_sync(plan: Plan, plan_file: PlanFile, counts: Counter[str]) -> dict[str, Marker]:
    markers = {m.code: m for m in plan.markers.all()}
    for position, (code, name) in enumerate(plan_file.markers):
        markers[code] = row_upsert(
            Marker,
            markers.get(code),
            {"plan": plan, "code": code, "name": name, "position": position},
            counts,
        )
    rows_delete(plan.markers.exclude(code__in=[c for c, _ in plan_file.markers]), counts)
    return markers


def _tree_sync(
    plan: Plan, plan_file: PlanFile, markers: dict[str, Marker], counts: Counter[str]
) -> None:
    """Priorities, results and deliverables (with their markers and entities), in file order."""
    entities = {e.code: e for e in Entity.objects.all()}
    priorities = {p.number: p for p in plan.priorities.all()}
    results = {r.code: r for r in plan.results.select_related("priority")}
    deliverables = {
        d.code: d
        for d in plan.deliverables.select_related("result").prefetch_related(
            "markers", "parts__entity"
        )
    }
    position = 0
    for priority_data in plan_file.priorities:
        priority = row_upsert(
            Priority,
            priorities.get(priority_data.number),
            {"plan": plan, "number": priority_data.number, "title": priority_data.title},
            counts,
        )
        for result_data in priority_data.results:
            result = row_upsert(
                Result,
                results.get(result_data.code),
                {
                    "plan": plan,
                    "priority": priority,
                    "code": result_data.code,
                    "number": int(result_data.code.split(".")[1]),
                    "title": result_data.title,
                },
                counts,
            )
            for data in result_data.deliverables:
                position += 1
                is_new = data.code not in deliverables
                deliverable = row_upsert(
                    Deliverable,
                    deliverables.get(data.code),
                    {
                        "plan": plan,
                        "result": result,
                        "code": data.code,
                        "number": int(data.code.split(".")[2]),
                        "position": position,
                        "text": data.text,
                        "retired_in_id": None,
                        "lead_text": data.lead_text,
                        "footnotes": list(data.footnotes),
                    },
                    counts,
                )
                # A new deliverable's markers and entities are part of its creation.
                quiet = Counter[str]() if is_new else counts
                _sync_markers(deliverable, [markers[c] for c in data.markers], quiet)
                _sync_parts(deliverable, data, entities, quiet)


def _tree_prune(
    plan: Plan, plan_file: PlanFile, counts: Counter[str], retire_in: PlanVersion | None
) -> list[str]:
    """Remove what the file no longer has (deliverables are retired instead when publishing a
    revision); returns the file's deliverable codes."""
    codes = [d.code for p in plan_file.priorities for r in p.results for d in r.deliverables]
    missing = plan.deliverables.exclude(code__in=codes)
    if retire_in is None:
        rows_delete(missing, counts)
    else:
        retiring = missing.filter(retired_in__isnull=True)
        Assignment.objects.filter(deliverable__in=retiring).update(active=False)
        counts["retired"] += retiring.update(retired_in=retire_in)
    rows_delete(
        plan.results.exclude(
            code__in=[r.code for p in plan_file.priorities for r in p.results]
        ).exclude(deliverables__isnull=False),
        counts,
    )
    rows_delete(
        plan.priorities.exclude(number__in=[p.number for p in plan_file.priorities]), counts
    )
    return codes


def _sync_markers(deliverable: Deliverable, wanted: list[Marker], counts: Counter[str]) -> None:
    current = {m.pk for m in deliverable.markers.all()}
    if current != {m.pk for m in wanted}:
        deliverable.markers.set(wanted)
        counts["updated"] += 1


def _wanted_parts(data: DeliverableData) -> list[tuple[str, str, str, str]]:
    groups: list[tuple[str, tuple[EntityRef, ...]]] = [
        (DeliverableEntity.Role.LEAD, data.lead_entities),
        (DeliverableEntity.Role.SUPPORT, data.supporting_entities),
        (DeliverableEntity.Role.OVERSIGHT, data.oversight_entities),
    ]
    return [(ref.entity, role, ref.scope, ref.level) for role, refs in groups for ref in refs]


def _sync_parts(
    deliverable: Deliverable,
    data: DeliverableData,
    entities: dict[str, Entity],
    counts: Counter[str],
) -> None:
    wanted = _wanted_parts(data)
    current = [(p.entity.code, p.role, p.scope, p.level) for p in deliverable.parts.all()]
    if current == wanted:
        return
    deliverable.parts.all().delete()
    DeliverableEntity.objects.bulk_create(
        DeliverableEntity(
            deliverable=deliverable,
            entity=entities[code],
            role=role,
            scope=scope,
            level=level,
            position=index,
        )
        for index, (code, role, scope, level) in enumerate(wanted)
    )
    counts["updated"] += 1


# Work plans ---------------------------------------------------------------------------------

ROLE_STRENGTH: dict[str, int] = {
    DeliverableEntity.Role.LEAD: 3,
    DeliverableEntity.Role.SUPPORT: 2,
    DeliverableEntity.Role.OVERSIGHT: 1,
}


class WorkPlanError(Exception):
    """A refused work-plan change; the message is for the user."""


def _expand(
    entity: Entity, members: dict[int, list[Entity]], seen: frozenset[int] = frozenset()
) -> list[Entity]:
    """An entity, or the members of a group, recursively ("All reporting DPO entities" holds the
    group "regional ASGs"). A group without members (the "HQ" placeholder) expands to nothing."""
    if not entity.is_group:
        return [entity]
    out: list[Entity] = []
    for member in members.get(entity.pk, []):
        if member.pk not in seen:
            out.extend(_expand(member, members, seen | {entity.pk}))
    return out


@transaction.atomic
def assignments_generate(*, plan: Plan, actor: User | None = None) -> int:
    """Put every deliverable into the work plans of its lead and supporting entities, groups
    expanded. Existing assignments are kept as they are (the planning unit may have edited
    them), so running it again creates only what is missing. Returns how many were created."""
    members: dict[int, list[Entity]] = {}
    through = Entity.members.through.objects.select_related("to_entity")
    for link in through:
        members.setdefault(link.from_entity_id, []).append(link.to_entity)
    existing = set(
        Assignment.objects.filter(deliverable__plan=plan).values_list("deliverable_id", "entity_id")
    )
    wanted: dict[tuple[int, int], Assignment] = {}
    parts = DeliverableEntity.objects.filter(deliverable__plan=plan).select_related("entity")
    for part in parts:
        via = part.entity if part.entity.is_group else None
        for entity in _expand(part.entity, members):
            key = (part.deliverable_id, entity.pk)
            if key in existing:
                continue
            current = wanted.get(key)
            if current and ROLE_STRENGTH[current.role] >= ROLE_STRENGTH[part.role]:
                continue
            wanted[key] = Assignment(
                deliverable_id=part.deliverable_id,
                entity=entity,
                role=part.role,
                via=via,
                scope=part.scope,
            )
    Assignment.objects.bulk_create(wanted.values())
    if wanted:
        audit.log(action="workplan.generated", obj=plan, actor=actor, data={"created": len(wanted)})
    return len(wanted)


@transaction.atomic
def assignment_add(
    *, deliverable: Deliverable, entity: Entity, role: str, actor: User
) -> Assignment:
    if entity.is_group:
        raise WorkPlanError(_("Assign the members of a group one by one, not the group."))
    assignment, created = Assignment.objects.get_or_create(
        deliverable=deliverable, entity=entity, defaults={"role": role}
    )
    if not created and assignment.active:
        raise WorkPlanError(
            _("%(entity)s already has %(code)s in its work plan.")
            % {"entity": entity.label, "code": deliverable.code}
        )
    if not created:
        assignment.active = True
        assignment.role = role
        assignment.save(update_fields=["active", "role"])
    audit.log(
        action="workplan.assigned",
        obj=assignment,
        actor=actor,
        data={"deliverable": deliverable.code, "entity": entity.code, "role": role},
    )
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, actor: User) -> None:
    """Take a deliverable out of a work plan; its reports are kept."""
    assignment.active = False
    assignment.save(update_fields=["active"])
    audit.log(
        action="workplan.removed",
        obj=assignment,
        actor=actor,
        data={"deliverable": assignment.deliverable.code, "entity": assignment.entity.code},
    )


@transaction.atomic
def assignment_set_focal_points(*, assignment: Assignment, users: list[User], actor: User) -> None:
    assignment.focal_points.set(users)
    audit.log(
        action="workplan.focal_points",
        obj=assignment,
        actor=actor,
        data={"users": sorted(u.username for u in users)},
    )


@transaction.atomic
def milestone_save(
    *,
    assignment: Assignment,
    actor: User,
    title: str,
    due_date: Any,
    status: str,
    completed_on: Any = None,
    milestone: Milestone | None = None,
) -> Milestone:
    if status == Milestone.Status.DONE and completed_on is None:
        raise WorkPlanError(_("A milestone that is done needs its completion date."))
    if status != Milestone.Status.DONE:
        completed_on = None
    values = {"title": title, "due_date": due_date, "status": status, "completed_on": completed_on}
    if milestone is None:
        milestone = Milestone.objects.create(assignment=assignment, **values)
        action = "milestone.added"
    else:
        for name, value in values.items():
            setattr(milestone, name, value)
        milestone.save(update_fields=list(values))
        action = "milestone.changed"
    audit.log(
        action=action,
        obj=milestone,
        actor=actor,
        data={"title": title, "status": status, "due": str(due_date)},
    )
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor: User) -> None:
    audit.log(
        action="milestone.deleted", obj=milestone, actor=actor, data={"title": milestone.title}
    )
    milestone.delete()
