from django.urls import path

from registers import views

urlpatterns = [
    path("registers/", views.placeholder, name="register-home"),
]
