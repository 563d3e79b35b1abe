from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from accounts import access
from accounts.access import Permission
from accounts.models import User

View = Callable[..., HttpResponseBase]


def needs(*permissions: Permission) -> Callable[[View], View]:
    """Signed in and holding one of the permissions somewhere; anyone else gets a 404 (the
    page is as invisible to them as an object outside their scope)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not any(access.can(request.user, permission) for permission in permissions):
                raise Http404("Not found")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of a view behind `needs` (typed for the services it calls)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404("Not found")
    return user
