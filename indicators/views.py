"""Indicator pages: the tracking table (and its XLSX export) and each indicator with its values."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import require_internal
from accounts.http import AuthenticatedRequest
from core.numbers import plain_int
from core.selectors import entity_by_code
from indicators import exports, selectors, services
from indicators.aggregation import STATUS_LABELS
from indicators.forms import ValueForm
from plans.selectors import plan_for
from reporting.selectors import open_cycle


@login_required
def tracking(request: AuthenticatedRequest, plan_code: str) -> HttpResponse:
    plan = plan_for(request.user, plan_code)
    require_internal(request.user)
    cycles = selectors.reported_cycles(plan)
    priority = request.GET.get("priority", "")
    entity_code = request.GET.get("entity", "")
    entity = entity_by_code(entity_code)
    wps = request.GET.get("wps") == "1"
    rows = selectors.tracking_table(
        plan,
        cycles=cycles,
        priority=plain_int(priority),
        entity_id=entity.pk if entity else None,
        wps_only=wps,
    )
    if request.GET.get("format") == "xlsx":
        return exports.tracking_xlsx(plan.code, cycles, rows, entity)
    return render(
        request,
        "indicators/tracking.html",
        {
            "plan": plan,
            "cycles": cycles,
            "rows": rows,
            "nav": "indicators",
            "priorities": plan.priorities.all(),
            "filters": {"priority": priority, "entity": entity_code if entity else "", "wps": wps},
            "entities": selectors.tracking_entities(plan),
            "unknown_entity": bool(entity_code and entity is None),
            "query": request.GET.urlencode(),
            "status_labels": STATUS_LABELS,
        },
    )


@login_required
def indicator_detail(request: AuthenticatedRequest, plan_code: str, code: str) -> HttpResponse:
    plan = plan_for(request.user, plan_code)
    require_internal(request.user)
    indicator = selectors.indicator_for(plan, code)
    cycles = selectors.reported_cycles(plan)
    cycle = open_cycle(plan)
    reporting = services.reporting_entity_ids(indicator)
    enterable = selectors.enterable_entities(request.user, reporting)
    form = None
    categories = services.categories_of(indicator)
    if cycle is not None and not indicator.computed and enterable.exists():
        form = ValueForm(
            request.POST or None, indicator=indicator, entities=enterable, categories=categories
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.value_save(
                    indicator=indicator,
                    cycle=cycle,
                    entity=form.cleaned_data["entity"],
                    actor=request.user,
                    data=form.to_input(),
                )
            except ValidationError as error:
                form.add_service_errors(error.message_dict)
            except services.IndicatorError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Value saved."))
                return redirect("indicator-detail", plan_code=plan.code, code=indicator.code)
    values = selectors.indicator_values(request.user, indicator, cycles)
    [row] = selectors.tracking_table(plan, cycles=cycles, indicator_id=indicator.pk)
    return render(
        request,
        "indicators/detail.html",
        {
            "plan": plan,
            "indicator": indicator,
            "cycle": cycle,
            "form": form,
            "values": values,
            "row": row,
            "nav": "indicators",
            "status_labels": STATUS_LABELS,
            "reporting_count": len(reporting),
        },
    )
