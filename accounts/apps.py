from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import principals  # noqa: F401 - connects its receivers
        from accounts.access import Permission
        from accounts.navigation import Entry, register_action, register_nav

        register_nav(Entry("Audit log", "accounts:audit_log", Permission.VIEW_AUDIT_LOG))
        register_action(
            Entry(
                "Search the audit log",
                "accounts:audit_log",
                Permission.VIEW_AUDIT_LOG,
                "See who looked at residents' contact details, who changed referrals and "
                "what else people and the system did.",
            )
        )


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, behind the portal's own sign-in and administrator role."""

    default = False
    default_site = "accounts.admin_site.PortalAdminSite"
