from django.urls import path

from indicators import views

urlpatterns = [
    path("plans/<slug:plan>/indicators/", views.tracking, name="indicator-tracking"),
    path(
        "plans/<slug:plan>/indicators/<str:code>/", views.indicator_detail, name="indicator-detail"
    ),
]
