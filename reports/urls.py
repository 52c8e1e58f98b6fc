from django.urls import path

from reports import views

urlpatterns = [
    path("reports/", views.report_list, name="report-list"),
    path("reports/files/<int:pk>/<str:filename>", views.published_file, name="report-file"),
    path("reports/jobs/<str:job>/", views.report_job, name="report-job"),
    path("reports/jobs/<str:job>/file/", views.report_job_file, name="report-job-file"),
    path("reports/jobs/<str:job>/retry/", views.report_job_retry, name="report-job-retry"),
    path(
        "plans/<slug:plan_code>/cycles/<slug:cycle_code>/report/",
        views.report_prepare,
        name="report-prepare",
    ),
    path(
        "plans/<slug:plan_code>/cycles/<slug:cycle_code>/report/preview/",
        views.report_preview,
        name="report-preview",
    ),
    path(
        "plans/<slug:plan_code>/cycles/<slug:cycle_code>/report/build/",
        views.report_build,
        name="report-build",
    ),
    path(
        "plans/<slug:plan_code>/cycles/<slug:cycle_code>/report/publish/",
        views.report_publish,
        name="report-publish",
    ),
]
