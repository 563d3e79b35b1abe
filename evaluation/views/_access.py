from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from accounts.access import Permission
from accounts.decorators import permission_required
from accounts.models import User

View = Callable[..., HttpResponseBase]


def needs(*permissions: Permission) -> Callable[[View], View]:
    """Signed in and holding one of the permissions somewhere; anyone else gets a 404 (the
    page is as invisible to them as an object outside their scope)."""
    return permission_required(*permissions, hidden=True)


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of a view behind `needs` (typed for the services it calls)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404("Not found")
    return user
