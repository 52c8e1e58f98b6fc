from django.urls import path

from plans import views, views_versions, views_workplans

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:plan_code>/", views.plan_overview, name="plan-overview"),
    path(
        "plans/<slug:plan_code>/priorities/<int:number>/",
        views.priority_detail,
        name="priority-detail",
    ),
    path("plans/<slug:plan_code>/results/<str:code>/", views.result_detail, name="result-detail"),
    path("plans/<slug:plan_code>/deliverables/", views.deliverable_list, name="deliverable-list"),
    path(
        "plans/<slug:plan_code>/deliverables/<str:code>/",
        views.deliverable_detail,
        name="deliverable-detail",
    ),
    path("plans/<slug:plan_code>/entities/", views.entity_list, name="entity-list"),
    path("plans/<slug:plan_code>/versions/", views_versions.version_list, name="plan-versions"),
    path("plans/<slug:plan_code>/versions/diff/", views_versions.version_diff, name="plan-diff"),
    path("plans/<slug:plan_code>/revision/", views_versions.revision, name="plan-revision"),
    path("plans/<slug:plan_code>/workplans/", views_workplans.coverage, name="workplan-coverage"),
    path(
        "plans/<slug:plan_code>/workplans/<slug:entity_code>/",
        views_workplans.entity_workplan,
        name="entity-workplan",
    ),
    path(
        "plans/<slug:plan_code>/workplans/<slug:entity_code>/add/",
        views_workplans.assignment_add,
        name="assignment-add",
    ),
    path(
        "plans/<slug:plan_code>/workplans/<slug:entity_code>/assignments/<int:pk>/<str:action>/",
        views_workplans.assignment_change,
        name="assignment-change",
    ),
    path(
        "plans/<slug:plan_code>/workplans/<slug:entity_code>/assignments/<int:pk>/milestones/"
        "<int:milestone>/",
        views_workplans.milestone_change,
        name="milestone-change",
    ),
]
