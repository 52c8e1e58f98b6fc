from django.urls import path

from plans import views, views_versions, views_workplans

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
    path("plans/<slug:plan>/versions/", views_versions.version_list, name="plan-versions"),
    path("plans/<slug:plan>/versions/diff/", views_versions.version_diff, name="plan-diff"),
    path("plans/<slug:plan>/revision/", views_versions.revision, name="plan-revision"),
    path("plans/<slug:plan>/workplans/", views_workplans.coverage, name="workplan-coverage"),
    path(
        "plans/<slug:plan>/workplans/<slug:entity>/",
        views_workplans.entity_workplan,
        name="entity-workplan",
    ),
    path(
        "plans/<slug:plan>/workplans/<slug:entity>/add/",
        views_workplans.assignment_add,
        name="assignment-add",
    ),
    path(
        "plans/<slug:plan>/workplans/<slug:entity>/assignments/<int:pk>/<str:action>/",
        views_workplans.assignment_change,
        name="assignment-change",
    ),
    path(
        "plans/<slug:plan>/workplans/<slug:entity>/assignments/<int:pk>/milestones/"
        "<int:milestone>/",
        views_workplans.milestone_change,
        name="milestone-change",
    ),
]
