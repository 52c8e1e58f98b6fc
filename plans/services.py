"""Every write to the plan goes through here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction

from core import audit
from core.models import Entity
from plans.models import Deliverable, DeliverableEntity, Marker, Plan, Priority, Result
from plans.planfile import DeliverableData, EntityRef, PlanFile

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class LoadSummary:
    plan: Plan
    counts: dict[str, int]

    @property
    def changed(self) -> bool:
        return any(self.counts.get(k) for k in ("created", "updated", "deleted"))


def _upsert(model: type[M], existing: M | None, values: dict[str, Any], counts: Counter[str]) -> M:
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


def _delete_missing(queryset: models.QuerySet[Any], counts: Counter[str]) -> None:
    deleted, _ = queryset.delete()
    counts["deleted"] += deleted


@transaction.atomic
def plan_load(*, plan_file: PlanFile, actor: Any = None) -> LoadSummary:
    """Create or update the plan from a validated file. Loading the same file twice changes
    nothing; items missing from the file are removed."""
    counts: Counter[str] = Counter()
    plan = _upsert(
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

    markers = {m.code: m for m in plan.markers.all()}
    for position, (code, name) in enumerate(plan_file.markers):
        markers[code] = _upsert(
            Marker,
            markers.get(code),
            {"plan": plan, "code": code, "name": name, "position": position},
            counts,
        )
    _delete_missing(plan.markers.exclude(code__in=[c for c, _ in plan_file.markers]), counts)

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
        priority = _upsert(
            Priority,
            priorities.get(priority_data.number),
            {"plan": plan, "number": priority_data.number, "title": priority_data.title},
            counts,
        )
        for result_data in priority_data.results:
            result = _upsert(
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
                deliverable = _upsert(
                    Deliverable,
                    deliverables.get(data.code),
                    {
                        "plan": plan,
                        "result": result,
                        "code": data.code,
                        "number": int(data.code.split(".")[2]),
                        "position": position,
                        "text": data.text,
                        "lead_text": data.lead_text,
                        "footnotes": list(data.footnotes),
                    },
                    counts,
                )
                # A new deliverable's markers and entities are part of its creation.
                quiet = Counter[str]() if is_new else counts
                _sync_markers(deliverable, [markers[c] for c in data.markers], quiet)
                _sync_parts(deliverable, data, entities, quiet)

    codes = [d.code for p in plan_file.priorities for r in p.results for d in r.deliverables]
    _delete_missing(plan.deliverables.exclude(code__in=codes), counts)
    _delete_missing(
        plan.results.exclude(code__in=[r.code for p in plan_file.priorities for r in p.results]),
        counts,
    )
    _delete_missing(
        plan.priorities.exclude(number__in=[p.number for p in plan_file.priorities]), counts
    )

    summary = LoadSummary(plan=plan, counts=dict(counts))
    if summary.changed:
        audit.log(
            action="plan.loaded",
            obj=plan,
            actor=actor,
            data={"deliverables": len(codes), **summary.counts},
        )
    return summary


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
