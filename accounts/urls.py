from django.urls import path

from accounts import audit_views, views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/me/", views.profile, name="profile"),
    path("audit/", audit_views.audit_trail, name="audit-trail"),
    path("audit/export/", audit_views.audit_trail_export, name="audit-trail-export"),
]
