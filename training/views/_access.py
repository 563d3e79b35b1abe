from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from accounts import access
from accounts.access import Permission
from accounts.models import User

View = Callable[..., HttpResponseBase]


def needs(permission: Permission) -> Callable[[View], View]:
    """Signed in and holding the permission somewhere (scope is checked per object)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not access.can(request.user, permission):
                raise PermissionDenied("Your role does not include this.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def user_of(request: HttpRequest) -> User:
    """The signed-in user (views behind `needs` are never anonymous)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user
