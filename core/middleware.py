"""Response headers Django's SecurityMiddleware does not set, and a 503 for a lost database."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def is_database_unavailable(exception: BaseException | None) -> bool:
    """The database cannot be reached (stopped, restarting, connection cut)."""
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable_response(exception: BaseException) -> HttpResponse:
    logger.error("database unavailable: %s", type(exception).__name__)
    # No request context: context processors would query the database that just failed.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """Answer a clear 503 page, not a 500, while the database cannot be reached.

    This covers errors raised in views. An error raised in a middleware (loading the session
    or the user) never reaches `process_exception`: `core.views.server_error`, the project's
    500 handler, gives the same 503 page for those.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        return database_unavailable_response(exception)
