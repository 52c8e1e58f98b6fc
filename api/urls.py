"""`/api/v1/`: the OpenAPI document, its browsable docs, and every resource. Each area's module
lists its resources in `ROUTES`; a new resource is one line there (docs/api.md)."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import reference
from api import registers as registers_api

app_name = "api"

ROUTES = [
    ("entities", reference.Entities, "entity"),
    ("missions", reference.Missions, "mission"),
    ("member-states", reference.MemberStates, "member-state"),
    # Registers: every registered register's resources and statistics (api/registers.py).
    *registers_api.routes(),
]

router = DefaultRouter(trailing_slash=True)
for prefix, viewset, basename in ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
