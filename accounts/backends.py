from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from accounts import access
from accounts.access import Permission


class AdministratorRoleBackend(BaseBackend):
    """Holders of the administrator role may use every Django admin model permission."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return access.can(user_obj, Permission.ADMINISTER)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return access.can(user_obj, Permission.ADMINISTER)
