"""The plan as a document in the shape `a4p plan load` reads (format 1, docs/plan-model.md)."""

from __future__ import annotations

import json
from typing import Any

import yaml

from plans.models import DeliverableEntity, Plan

ROLE_KEYS = {
    DeliverableEntity.Role.LEAD: "lead_entities",
    DeliverableEntity.Role.SUPPORT: "supporting_entities",
    DeliverableEntity.Role.OVERSIGHT: "oversight_entities",
}


def _entity_ref(part: DeliverableEntity) -> dict[str, str]:
    ref = {"entity": part.entity.code}
    if part.scope:
        ref["scope"] = part.scope
    if part.level:
        ref["level"] = part.level
    return ref


def plan_tree(plan: Plan) -> dict[str, Any]:
    """The whole plan in five queries, whatever its size."""
    priorities = list(plan.priorities.all())
    results = list(plan.results.all())
    deliverables = list(
        plan.deliverables.prefetch_related("markers", "parts__entity").order_by("position")
    )
    by_result: dict[int, list[dict[str, Any]]] = {}
    for d in deliverables:
        item: dict[str, Any] = {"code": d.code, "text": d.text, "lead_text": d.lead_text}
        for key in ROLE_KEYS.values():
            item[key] = []
        for part in d.parts.all():
            item[ROLE_KEYS[DeliverableEntity.Role(part.role)]].append(_entity_ref(part))
        item["markers"] = [m.code for m in d.markers.all()]
        item["footnotes"] = list(d.footnotes)
        by_result.setdefault(d.result_id, []).append(item)
    by_priority: dict[int, list[dict[str, Any]]] = {}
    for r in results:
        by_priority.setdefault(r.priority_id, []).append(
            {"code": r.code, "title": r.title, "deliverables": by_result.get(r.pk, [])}
        )
    plan_info: dict[str, Any] = {"code": plan.code, "title": plan.title}
    if plan.short_title:
        plan_info["short_title"] = plan.short_title
    plan_info["period_start"] = plan.period_start.isoformat()
    plan_info["period_end"] = plan.period_end.isoformat()
    if plan.source:
        plan_info["source"] = plan.source
    return {
        "format": 1,
        "plan": plan_info,
        "markers": [{"code": m.code, "name": m.name} for m in plan.markers.all()],
        "priorities": [
            {"number": p.number, "title": p.title, "results": by_priority.get(p.pk, [])}
            for p in priorities
        ],
    }


def render(tree: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(tree, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(tree, sort_keys=False, allow_unicode=True, width=100)
    raise ValueError(f"unknown format {fmt!r}")
