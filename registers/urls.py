from django.urls import path

from registers import portal, views

urlpatterns = [
    path("registers/", views.home, name="register-home"),
    path("registers/crimes/", views.case_list, name="register-cases"),
    path("registers/crimes/export.csv", views.case_list_export, name="register-cases-export"),
    path("registers/crimes/new/", views.case_new, name="register-case-new"),
    path("registers/crimes/statistics/", views.statistics, name="register-statistics"),
    path(
        "registers/crimes/statistics/<slug:table>.csv",
        views.statistics_csv,
        name="register-statistics-csv",
    ),
    path("registers/crimes/<int:pk>/", views.case_detail, name="register-case"),
    path("registers/crimes/<int:pk>/export.csv", views.case_export, name="register-case-export"),
    path("registers/crimes/<int:pk>/edit/", views.case_edit, name="register-case-edit"),
    path("registers/crimes/<int:pk>/<slug:part>/add/", views.case_add, name="register-case-add"),
    path("portal/", portal.portal, name="portal"),
    # The portal's first address, kept for links and bookmarks made before it spanned registers.
    path("registers/portal/", portal.portal, name="register-portal"),
    path("registers/portal/<slug:table>.csv", views.portal_csv, name="register-portal-csv"),
]
