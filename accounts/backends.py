from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from accounts import access, principals
from accounts.access import Permission
from accounts.models import User


class ModelBackend(DjangoModelBackend):
    """Django's backend (sign-in by email and password, the admin); the signed-in user and
    their roles come from the principal cache when it is on (`accounts.principals`)."""

    def get_user(self, user_id: Any) -> User | None:
        return principals.load(user_id, lambda: super(ModelBackend, self).get_user(user_id))


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (its sign-in, sign-up and email flows), with the same cache."""

    def get_user(self, user_id: Any) -> User | None:
        return principals.load(
            user_id, lambda: super(AuthenticationBackend, self).get_user(user_id)
        )


class AdministratorRoleBackend(BaseBackend):
    """Holders of the administrator role may use every Django admin model permission."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return access.can(user_obj, Permission.ADMINISTER)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return access.can(user_obj, Permission.ADMINISTER)
