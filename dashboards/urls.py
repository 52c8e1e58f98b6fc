from django.urls import path

from dashboards import views

urlpatterns = [
    path("plans/<slug:plan>/dashboard/", views.placeholder, name="dashboard-overview"),
]
