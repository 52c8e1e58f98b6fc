from django.urls import path

from indicators import views

urlpatterns = [
    path("plans/<slug:plan_code>/indicators/", views.tracking, name="indicator-tracking"),
    path(
        "plans/<slug:plan_code>/indicators/<str:code>/",
        views.indicator_detail,
        name="indicator-detail",
    ),
]
