from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from accounts.decorators import permission_required
from accounts.models import User

View = Callable[..., HttpResponseBase]

# Signed in and holding the permission somewhere (403 otherwise); scope is checked per object.
needs = permission_required


def user_of(request: HttpRequest) -> User:
    """The signed-in user (views behind `needs` are never anonymous)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user
