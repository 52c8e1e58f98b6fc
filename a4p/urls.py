from django.contrib import admin
from django.urls import include, path

# A 404 under /api/ is a problem document (docs/api.md); elsewhere, the 404 page.
handler404 = "api.conventions.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("api.urls", namespace="api")),
    path("", include("accounts.urls")),
    path("", include("plans.urls")),
    # Before reporting: its cycle-step pattern would take /cycles/<cycle>/report/ for a step.
    path("", include("reports.urls")),
    path("", include("reporting.urls")),
    path("", include("indicators.urls")),
    path("", include("registers.urls")),
    path("", include("dashboards.urls")),
]
