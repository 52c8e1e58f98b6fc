from django.urls import path

from plans import views

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:plan>/", views.plan_overview, name="plan-overview"),
    path(
        "plans/<slug:plan>/priorities/<int:number>/", views.priority_detail, name="priority-detail"
    ),
    path("plans/<slug:plan>/results/<str:code>/", views.result_detail, name="result-detail"),
    path("plans/<slug:plan>/deliverables/", views.deliverable_list, name="deliverable-list"),
    path(
        "plans/<slug:plan>/deliverables/<str:code>/",
        views.deliverable_detail,
        name="deliverable-detail",
    ),
    path("plans/<slug:plan>/entities/", views.entity_list, name="entity-list"),
]
