from django.urls import path

from reporting import views, views_xlsx

urlpatterns = [
    path("work/", views.my_work, name="my-work"),
    path("notifications/", views.notification_list, name="notifications"),
    path("plans/<slug:plan_code>/cycles/", views.cycle_list, name="cycle-list"),
    path("plans/<slug:plan_code>/cycles/<slug:cycle_code>/", views.cycle_board, name="cycle-board"),
    path(
        "plans/<slug:plan_code>/cycles/<slug:cycle_code>/<str:step>/",
        views.cycle_step,
        name="cycle-step",
    ),
    path(
        "plans/<slug:plan_code>/cycles/<slug:cycle_code>/xlsx/<slug:entity_code>/",
        views_xlsx.xlsx_download,
        name="cycle-xlsx-download",
    ),
    path(
        "plans/<slug:plan_code>/cycles/<slug:cycle_code>/xlsx/<slug:entity_code>/upload/",
        views_xlsx.xlsx_upload,
        name="cycle-xlsx-upload",
    ),
    path("plans/<slug:plan_code>/obstacles/", views.obstacles_review, name="obstacles"),
    path("updates/<int:pk>/", views.update_detail, name="update-detail"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update-edit"),
    path("updates/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path(
        "updates/<int:pk>/evidence/<int:evidence>/",
        views.evidence_download,
        name="evidence-download",
    ),
    path(
        "updates/<int:pk>/evidence/<int:evidence>/delete/",
        views.evidence_delete,
        name="evidence-delete",
    ),
    path("updates/<int:pk>/<str:action>/", views.update_action, name="update-action"),
]
