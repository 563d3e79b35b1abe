from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts import access
from accounts.access import Permission


class PortalAdminSite(admin.AdminSite):
    site_header = "MECC Portal administration"
    site_title = "MECC Portal administration"
    index_title = "Organisations, people and settings"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and access.can(request.user, Permission.ADMINISTER))

    def login(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        # One sign-in for the whole portal, so MFA and rate limits apply to the admin too.
        from django.contrib.auth.views import redirect_to_login

        if request.user.is_authenticated:
            raise PermissionDenied("The administrator role is needed for this page.")
        return redirect_to_login(request.GET.get("next", request.get_full_path()))
