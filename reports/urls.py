from django.urls import path

from reports import views

urlpatterns = [
    path("reports/", views.placeholder, name="report-list"),
]
