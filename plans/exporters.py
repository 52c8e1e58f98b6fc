"""The plan as a document in the shape `a4p plan load` reads (format 1, docs/plan-model.md)."""

from __future__ import annotations

import json
from decimal import Decimal
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
        "dimensions": [
            {
                "code": d.code,
                "name": d.name,
                "categories": [{"code": c.code, "name": c.name} for c in d.categories.all()],
            }
            for d in plan.dimensions.prefetch_related("categories")
        ],
        "indicators": [
            _indicator(i)
            for i in plan.indicators.select_related(
                "priority", "result", "deliverable"
            ).prefetch_related("dimensions", "targets")
        ],
    }


def plain_number(value: Decimal | int | float) -> int | float:
    """A number as the plainest JSON/YAML number: 15 rather than 15.0000 or 15.0."""
    normal = Decimal(str(value)).normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def _indicator(ind: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"code": ind.code, "name": ind.name}
    if ind.definition:
        item["definition"] = ind.definition
    item["attached_to"] = ind.attached_code
    item["unit"] = ind.unit
    if ind.scale:
        item["scale"] = list(ind.scale)
    item["direction"] = ind.direction
    item["period_aggregation"] = ind.period_rule
    item["entity_aggregation"] = ind.entity_rule
    if ind.baseline is not None:
        item["baseline"] = {"value": plain_number(ind.baseline)}
        if ind.baseline_date:
            item["baseline"]["date"] = ind.baseline_date.isoformat()
    targets = {t.period: plain_number(t.value) for t in ind.targets.all()}
    if targets:
        item["targets"] = targets
    if ind.end_target is not None:
        item["end_target"] = plain_number(ind.end_target)
    dims = [d.code for d in ind.dimensions.all()]
    if dims:
        item["disaggregations"] = dims
    if ind.data_source:
        item["data_source"] = ind.data_source
    if ind.wps:
        item["wps"] = ind.wps
    if ind.computed:
        item["computed"] = ind.computed
    return item


def render(tree: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(tree, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(tree, sort_keys=False, allow_unicode=True, width=100)
    raise ValueError(f"unknown format {fmt!r}")
