"""`/api/v1/`: the OpenAPI document, its browsable docs, and every resource. Each area's module
lists its resources in `ROUTES`; a new resource is one line there (docs/api.md)."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import cycles, indicators, interchange, plans, reference, reports
from api import registers as registers_api
from api import updates as progress_updates  # progress updates

app_name = "api"

ROUTES = [
    ("entities", reference.Entities, "entity"),
    ("missions", reference.Missions, "mission"),
    ("member-states", reference.MemberStates, "member-state"),
    # The plan, its versions and deliverables, the work plans, the reporting cycles.
    ("plans", plans.Plans, "plan"),
    (r"plans/(?P<plan_code>[^/.]+)/deliverables", plans.Deliverables, "plan-deliverable"),
    ("assignments", plans.Assignments, "assignment"),
    ("milestones", plans.Milestones, "milestone"),
    ("cycles", cycles.Cycles, "cycle"),
    # Progress updates and their workflow (api/updates.py)
    ("updates", progress_updates.Updates, "update"),
    # Registers: every registered register's resources and statistics (api/registers.py).
    *registers_api.routes(),
    # Data: indicator values, published reports and their files.
    ("indicator-values", indicators.IndicatorValues, "indicator-value"),
    ("publications", reports.Publications, "publication"),
    ("published-files", reports.PublishedFiles, "published-file"),
]

router = DefaultRouter(trailing_slash=True)
for prefix, viewset, basename in ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]

# Data: the tracking table, the plan as IATI XML, the crimes register's aggregates as HXL.
urlpatterns += [
    path("plans/<str:code>/tracking/", indicators.Tracking.as_view(), name="plan-tracking"),
    path("plans/<str:code>/iati.xml", interchange.PlanIATI.as_view(), name="plan-iati"),
    path("crime-statistics.csv", interchange.CrimeStatistics.as_view(), name="crime-statistics"),
]
