"""The indicators part of a plan file: dimensions and their categories, indicators and their
targets, kept in step with the file by `plans.services.plan_load` (registered in `ready()`)."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from indicators.models import Category, Dimension, Indicator, IndicatorValue, Target
from plans.models import Plan, PlanVersion
from plans.planfile import PlanFile
from plans.services import PlanLoadError, row_upsert, rows_delete


def indicators_sync(
    plan: Plan, plan_file: PlanFile, counts: Counter[str], retire_in: PlanVersion | None
) -> None:
    dimensions = {d.code: d for d in plan.dimensions.prefetch_related("categories")}
    for position, data in enumerate(plan_file.dimensions):
        dimension = row_upsert(
            Dimension,
            dimensions.get(data.code),
            {"plan": plan, "code": data.code, "name": data.name, "position": position},
            counts,
        )
        dimensions[data.code] = dimension
        categories = {c.code: c for c in dimension.categories.all()}
        for cat_position, (code, name) in enumerate(data.categories):
            row_upsert(
                Category,
                categories.get(code),
                {"dimension": dimension, "code": code, "name": name, "position": cat_position},
                counts,
            )
        rows_delete(dimension.categories.exclude(code__in=[c for c, _n in data.categories]), counts)

    priorities = {str(p.number): p for p in plan.priorities.all()}
    results = {r.code: r for r in plan.results.all()}
    deliverables = {d.code: d for d in plan.deliverables.all()}
    existing = {i.code: i for i in plan.indicators.prefetch_related("dimensions", "targets")}
    for position, ind in enumerate(plan_file.indicators):
        target = ind.attached_to
        indicator = row_upsert(
            Indicator,
            existing.get(ind.code),
            {
                "plan": plan,
                "code": ind.code,
                "name": ind.name,
                "definition": ind.definition,
                "priority": priorities.get(target),
                "result": results.get(target),
                "deliverable": deliverables.get(target),
                "unit": ind.unit,
                "scale": list(ind.scale),
                "direction": ind.direction,
                "period_rule": ind.period_aggregation,
                "entity_rule": ind.entity_aggregation,
                "baseline": ind.baseline,
                "baseline_date": ind.baseline_date,
                "end_target": ind.end_target,
                "data_source": ind.data_source,
                "wps": ind.wps,
                "computed": ind.computed,
                "retired_in_id": None,
                "position": position,
            },
            counts,
        )
        wanted_dims = [dimensions[c] for c in ind.disaggregations]
        if {d.pk for d in indicator.dimensions.all()} != {d.pk for d in wanted_dims}:
            indicator.dimensions.set(wanted_dims)
            counts["updated"] += 1
        targets = {t.period: t for t in indicator.targets.all()}
        for period, value in ind.targets:
            row_upsert(
                Target,
                targets.get(period),
                {"indicator": indicator, "period": period, "value": value},
                counts,
            )
        rows_delete(indicator.targets.exclude(period__in=[p for p, _v in ind.targets]), counts)
    gone = plan.indicators.exclude(code__in=[i.code for i in plan_file.indicators])
    if retire_in is not None:
        counts["retired"] += gone.filter(retired_in__isnull=True).update(retired_in=retire_in)
        gone = gone.none()
    if IndicatorValue.objects.filter(indicator__in=gone).exists():
        raise PlanLoadError(
            _(
                "Indicators %(codes)s have reported values and cannot be removed; retire them in a "
                "plan revision instead."
            )
            % {"codes": ", ".join(gone.values_list("code", flat=True))}
        )
    rows_delete(gone, counts)
    rows_delete(plan.dimensions.exclude(code__in=[d.code for d in plan_file.dimensions]), counts)
