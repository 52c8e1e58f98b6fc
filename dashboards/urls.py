from django.urls import path

from dashboards import views

urlpatterns = [
    path("plans/<slug:plan>/dashboard/", views.overview, name="dashboard-overview"),
    path(
        "plans/<slug:plan>/dashboard/priorities/<int:number>/",
        views.priority,
        name="dashboard-priority",
    ),
    path("plans/<slug:plan>/dashboard/results/<str:code>/", views.result, name="dashboard-result"),
    path(
        "plans/<slug:plan>/dashboard/deliverables/<str:code>/",
        views.deliverable,
        name="dashboard-deliverable",
    ),
    path("plans/<slug:plan>/dashboard/entities/", views.entities, name="dashboard-entities"),
    path(
        "plans/<slug:plan>/dashboard/entities/<slug:entity>/",
        views.scorecard,
        name="dashboard-scorecard",
    ),
    path("plans/<slug:plan>/dashboard/indicators/", views.indicators, name="dashboard-indicators"),
    path("plans/<slug:plan>/dashboard/wps/", views.wps, name="dashboard-wps"),
    path("plans/<slug:plan>/dashboard/obstacles/", views.obstacles, name="dashboard-obstacles"),
    path("plans/<slug:plan>/dashboard/registers/", views.registers, name="dashboard-registers"),
]
