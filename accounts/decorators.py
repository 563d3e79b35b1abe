"""The view decorator every app uses to require a permission (scope is checked per object)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from accounts import access
from accounts.access import Permission

View = Callable[..., HttpResponseBase]


def permission_required(*permissions: Permission, hidden: bool = False) -> Callable[[View], View]:
    """Signed in and holding one of the permissions somewhere; otherwise 403, or 404 when
    `hidden` (the page is then as invisible as an object outside the user's scope)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not any(access.can(request.user, p) for p in permissions):
                if hidden:
                    raise Http404("Not found")
                raise PermissionDenied("Your role does not include this.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
