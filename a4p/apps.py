from django.contrib.admin.apps import AdminConfig as BaseAdminConfig


class AdminConfig(BaseAdminConfig):
    """django.contrib.admin whose site keeps the sign-in rules (`a4p.admin_site`)."""

    default_site = "a4p.admin_site.AdminSite"
