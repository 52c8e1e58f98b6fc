from django.urls import path

from dashboards import views

urlpatterns = [
    path("plans/<slug:plan_code>/dashboard/", views.overview, name="dashboard-overview"),
    path(
        "plans/<slug:plan_code>/dashboard/priorities/<int:number>/",
        views.priority,
        name="dashboard-priority",
    ),
    path(
        "plans/<slug:plan_code>/dashboard/results/<str:code>/",
        views.result,
        name="dashboard-result",
    ),
    path(
        "plans/<slug:plan_code>/dashboard/deliverables/<str:code>/",
        views.deliverable,
        name="dashboard-deliverable",
    ),
    path("plans/<slug:plan_code>/dashboard/entities/", views.entities, name="dashboard-entities"),
    path(
        "plans/<slug:plan_code>/dashboard/entities/<slug:entity_code>/",
        views.scorecard,
        name="dashboard-scorecard",
    ),
    path(
        "plans/<slug:plan_code>/dashboard/indicators/",
        views.indicators,
        name="dashboard-indicators",
    ),
    path("plans/<slug:plan_code>/dashboard/wps/", views.wps, name="dashboard-wps"),
    path(
        "plans/<slug:plan_code>/dashboard/obstacles/", views.obstacles, name="dashboard-obstacles"
    ),
    path(
        "plans/<slug:plan_code>/dashboard/registers/", views.registers, name="dashboard-registers"
    ),
]
