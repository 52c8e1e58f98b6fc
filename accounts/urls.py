from allauth.account import views as allauth_views
from django.urls import include, path

from accounts import audit_views, views

urlpatterns = [
    # The names `login` and `logout` stay (LOGIN_URL, templates); allauth's views serve them.
    path("accounts/login/", allauth_views.login, name="login"),
    path("accounts/logout/", allauth_views.logout, name="logout"),
    path("accounts/me/", views.profile, name="profile"),
    path("audit/", audit_views.audit_trail, name="audit-trail"),
    path("audit/export/", audit_views.audit_trail_export, name="audit-trail-export"),
    path("accounts/me/sign-ins/", views.sign_in_history, name="sign-in-history"),
    path("accounts/tokens/", views.token_list, name="token-list"),
    path("accounts/tokens/new/", views.token_new, name="token-new"),
    path("accounts/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("accounts/", include("allauth.urls")),
]
