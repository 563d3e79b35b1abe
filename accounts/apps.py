from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts"


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, behind the portal's own sign-in and administrator role."""

    default = False
    default_site = "accounts.admin_site.PortalAdminSite"
