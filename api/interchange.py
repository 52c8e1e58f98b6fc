"""Open interchange formats: HXL-tagged CSV (the Humanitarian Exchange Language: a row of
hashtags right under the header row) of indicator values and of the crimes register's aggregates,
and the plan as IATI activity XML 2.03 with its results, indicators, periods, targets and actuals.

Every CSV goes through core/export.py's writer (no cell can run as a formula)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from lxml import etree
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.conventions import PROBLEM_CONTENT_TYPE, NeverStored
from api.openapi import ProblemSerializer
from core.export import csv_text
from core.models import MemberState, Mission
from indicators import selectors as indicator_selectors
from indicators.models import Indicator
from plans.models import Plan
from plans.selectors import plan_for
from registers.access import register_access_for
from registers.kernel.statistics import suppressed
from registers.models import Case, Victim
from registers.selectors import cases_for_statistics
from registers.stats import INJURED, KILLED
from reports.models import Edition, Publication

# The problem documents (api.conventions.problem_handler) an endpoint of this area may answer.
PROBLEM = ProblemSerializer
PROBLEMS: dict[Any, Any] = {
    (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(PROBLEM, description=description)
    for status, description in (
        (400, "A parameter is not valid: each is named in `errors`."),
        (401, "No credentials, or a token that is unknown, revoked or expired."),
        (404, "No such object, or not one the reader may see."),
        (429, "Too many requests: `retry_after` seconds to wait."),
    )
}


# HXL -------------------------------------------------------------------------------------------


def hxl_data(columns: Sequence[tuple[str, str, str]], rows: Iterable[Mapping[str, Any]]) -> dict:
    """What the HXL renderers write: `columns` are (header, hashtag, key of a row)."""
    return {
        "header": [c[0] for c in columns],
        "hashtags": [c[1] for c in columns],
        "rows": [["" if row.get(c[2]) is None else row.get(c[2]) for c in columns] for row in rows],
    }


class _TextRenderer(BaseRenderer):
    """Writes its own documents; anything else (a problem document) as JSON."""

    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, default=str, ensure_ascii=False).encode("utf-8")


class HXLRenderer(_TextRenderer):
    """An HXL-tagged CSV: the header row, the hashtag row, then the rows."""

    media_type = "text/csv"
    format = "csv"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, dict) and "hashtags" in data:
            return csv_text(data["header"], [data["hashtags"], *data["rows"]]).encode("utf-8")
        return super().render(data, accepted_media_type, renderer_context)


class HXLAliasRenderer(HXLRenderer):
    """The same CSV, asked for as `?format=hxl`."""

    format = "hxl"


class XMLRenderer(_TextRenderer):
    media_type = "application/xml"
    format = "xml"


# The crimes register's aggregates ----------------------------------------------------------------

# Cases by year, mission and victims' nationality are finer than the statistics page's tables: a
# reader who gets aggregates only (the planning unit, which reads no case) gets counts under this
# threshold withheld, so that a small count cannot single out a person. Readers of the cases get
# the exact counts of the cases they may read.
SMALL_CELLS_AGGREGATES_ONLY = 5

CRIME_COLUMNS: list[tuple[str, str, str]] = [
    ("year", "#date+year", "year"),
    ("mission_code", "#org+code", "mission_code"),
    ("mission", "#org+name", "mission"),
    ("nationality", "#country+code+nationality", "nationality"),
    ("cases", "#value+cases", "cases"),
    ("victims", "#affected+victims", "victims"),
    ("killed", "#affected+killed", "killed"),
    ("injured", "#affected+injured", "injured"),
]
CRIME_COUNTS = ("cases", "victims", "killed", "injured")


def crime_aggregates(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """Victims of these cases by year of the incident, mission and nationality, with the
    number of cases they were victims in. Three queries whatever the number of cases."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in Victim.objects.filter(case__in=cases.values("pk"))
        .order_by()
        .values("nationality_id", year=F("case__incident_year"), mission_id=F("case__mission_id"))
        .annotate(
            cases=Count("case", distinct=True),
            victims=Count("pk"),
            killed=Count("pk", filter=KILLED),
            injured=Count("pk", filter=INJURED),
        )
    ]
    missions = {
        pk: (code, acronym)
        for pk, code, acronym in Mission.objects.filter(
            pk__in={r["mission_id"] for r in rows}
        ).values_list("pk", "entity__code", "entity__acronym")
    }
    states = dict(
        MemberState.objects.filter(
            pk__in={r["nationality_id"] for r in rows if r["nationality_id"]}
        ).values_list("pk", "iso3")
    )
    out = [
        {
            "year": row["year"],
            "mission_code": missions.get(row["mission_id"], ("", ""))[0],
            "mission": missions.get(row["mission_id"], ("", ""))[1],
            "nationality": states.get(row["nationality_id"], ""),
            **{key: row[key] for key in CRIME_COUNTS},
        }
        for row in rows
    ]
    out.sort(key=lambda r: (r["year"] or 0, r["mission_code"], r["nationality"]))
    return out


class CrimeStatistics(NeverStored, APIView):
    """Cases against peacekeepers and their victims by year, mission and victims' nationality."""

    renderer_classes = [HXLRenderer]

    @extend_schema(
        operation_id="crime_statistics_hxl",
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="HXL-tagged CSV (hashtag row under the header)"
            ),
            **PROBLEMS,
        },
    )
    def get(self, request: Request) -> Response:
        cases = cases_for_statistics(request.user)
        if cases is None:
            raise Http404
        reader = register_access_for(request.user)
        aggregates_only = reader.aggregates and not reader.missions and not reader.all_cases
        rows = suppressed(
            crime_aggregates(cases),
            CRIME_COUNTS,
            below=SMALL_CELLS_AGGREGATES_ONLY if aggregates_only else 0,
        )
        return Response(
            hxl_data(CRIME_COLUMNS, rows),
            headers={"Content-Disposition": 'attachment; filename="a4p-crimes-statistics.csv"'},
        )


# IATI ------------------------------------------------------------------------------------------

IATI_VERSION = "2.03"
# The publisher's organisation identifier (iatistandard.org organisation identifiers); an
# installation that publishes to the IATI Registry sets A4P_IATI_ORGANISATION to its own.
IATI_DEFAULT_ORGANISATION = "XI-A4P"
# IATI codelists: IndicatorMeasure, ActivityStatus, ActivityDateType, OrganisationType,
# OrganisationRole, ResultType.
MEASURES = {
    Indicator.Unit.NUMBER: "1",
    Indicator.Unit.PERCENT: "2",
    Indicator.Unit.YESNO: "3",
    Indicator.Unit.ORDINAL: "4",
}
STATUS_IMPLEMENTATION, STATUS_CLOSED = "2", "4"
DATE_PLANNED_START, DATE_PLANNED_END = "1", "3"
ORG_MULTILATERAL = "40"
ROLE_ACCOUNTABLE = "2"
RESULT_OUTCOME = "2"


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _narrative(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attrs)
    etree.SubElement(element, "narrative").text = text
    return element


def public_cycle_ids(plan: Plan) -> set[int]:
    """The cycles of the plan whose public edition is published."""
    return set(
        Publication.objects.filter(cycle__plan=plan, edition=Edition.PUBLIC).values_list(
            "cycle_id", flat=True
        )
    )


def iati_activities(plan: Plan, *, today: dt.date | None = None) -> bytes:
    """The plan as one IATI activity: one result per priority, holding the priority's indicators
    in force, each with its baseline and, for every cycle whose public edition is published, the
    target and the actual that edition shows (all entities combined)."""
    today = today or timezone.localdate()
    organisation = getattr(settings, "A4P_IATI_ORGANISATION", IATI_DEFAULT_ORGANISATION)
    cycles = indicator_selectors.reported_cycles(plan)
    public = public_cycle_ids(plan)
    rows = [
        row
        for row in indicator_selectors.tracking_table(plan, cycles=cycles)
        if row.indicator.retired_in_id is None
    ]
    root = etree.Element(
        "iati-activities",
        version=IATI_VERSION,
        **{"generated-datetime": timezone.now().replace(microsecond=0).isoformat()},
    )
    activity = etree.SubElement(
        root,
        "iati-activity",
        {
            "{http://www.w3.org/XML/1998/namespace}lang": "en",
            "last-updated-datetime": plan.loaded_at.replace(microsecond=0).isoformat(),
        },
    )
    etree.SubElement(activity, "iati-identifier").text = f"{organisation}-{plan.code}"
    _narrative(
        activity,
        "reporting-org",
        _("Department of Peace Operations, United Nations"),
        ref=organisation,
        type=ORG_MULTILATERAL,
    )
    _narrative(activity, "title", plan.title)
    _narrative(
        activity,
        "description",
        _(
            "The plan's priorities and indicators of progress, with the numbers of its public "
            "reports."
        ),
        type="1",
    )
    _narrative(
        activity,
        "participating-org",
        _("Department of Peace Operations, United Nations"),
        ref=organisation,
        role=ROLE_ACCOUNTABLE,
        type=ORG_MULTILATERAL,
    )
    etree.SubElement(
        activity,
        "activity-status",
        code=STATUS_IMPLEMENTATION if today <= plan.period_end else STATUS_CLOSED,
    )
    etree.SubElement(
        activity, "activity-date", type=DATE_PLANNED_START, **{"iso-date": str(plan.period_start)}
    )
    etree.SubElement(
        activity, "activity-date", type=DATE_PLANNED_END, **{"iso-date": str(plan.period_end)}
    )
    priorities = {p.number: p for p in plan.priorities.all()}
    for number in sorted({row.priority_number for row in rows}):
        result = etree.SubElement(activity, "result", type=RESULT_OUTCOME)
        priority = priorities.get(number)
        _narrative(result, "title", priority.title if priority else str(number))
        for row in (r for r in rows if r.priority_number == number):
            _indicator(result, row, plan, public)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _indicator(
    result: etree._Element, row: indicator_selectors.Row, plan: Plan, public: set[int]
) -> None:
    source = row.indicator
    indicator = etree.SubElement(
        result,
        "indicator",
        measure=MEASURES.get(Indicator.Unit(source.unit), "1"),
        ascending="1" if source.increase else "0",
    )
    _narrative(indicator, "title", f"{source.code} {source.name}")
    if source.definition:
        _narrative(indicator, "description", source.definition)
    if source.baseline is not None:
        day = source.baseline_date or plan.period_start
        etree.SubElement(
            indicator,
            "baseline",
            {"year": str(day.year), "iso-date": str(day), "value": _number(source.baseline)},
        )
    for cell in row.cells:
        if cell.cycle.pk not in public:
            continue
        period = etree.SubElement(indicator, "period")
        etree.SubElement(period, "period-start", {"iso-date": str(cell.cycle.period_start)})
        etree.SubElement(period, "period-end", {"iso-date": str(cell.cycle.period_end)})
        if cell.target is not None:
            etree.SubElement(period, "target", value=_number(cell.target))
        if cell.actual is not None:
            etree.SubElement(period, "actual", value=_number(cell.actual))


class PlanIATI(NeverStored, APIView):
    """The plan as IATI activity XML 2.03 (public data only: see docs/api/data.md)."""

    renderer_classes = [XMLRenderer]

    @extend_schema(
        operation_id="plans_iati",
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR, description="An iati-activities document, version 2.03"
            ),
            **PROBLEMS,
        },
    )
    def get(self, request: Request, code: str) -> Response:
        plan = plan_for(request.user, code)
        with translation.override("en"):  # the activity's narratives are declared English
            document = iati_activities(plan)
        return Response(
            document,
            headers={"Content-Disposition": f'inline; filename="{plan.code}-iati.xml"'},
        )
