from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from core.middleware import DatabaseUnavailableMiddleware

pytestmark = pytest.mark.django_db


def test_lost_database_gives_a_503_page_not_a_500():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    request = RequestFactory().get("/")
    response = middleware.process_exception(request, OperationalError("connection refused"))
    assert response is not None
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "connection refused" not in response.content.decode()


def test_other_errors_are_left_alone():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("bug")) is None


def test_security_headers_are_set(client):
    response = client.get("/accessibility/")
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_503_page_renders_without_touching_the_database(django_assert_num_queries, make_user):
    request = RequestFactory().get("/")
    request.user = make_user()
    middleware = DatabaseUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    with django_assert_num_queries(0):
        response = middleware.process_exception(request, OperationalError("gone"))
    assert response is not None
    assert "unavailable" in response.content.decode().lower()


def _session_load_raises(make_user: Any, monkeypatch: Any, error: Exception) -> Any:
    """A signed-in client whose session store (the configured engine: the database's, or
    accounts.sessions with Redis) raises `error` while the session loads."""
    from importlib import import_module

    from django.conf import settings
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(make_user())

    def load(self: object) -> dict[str, object]:
        raise error

    store = import_module(settings.SESSION_ENGINE).SessionStore
    monkeypatch.setattr(store, "load", load)
    return client


def test_a_database_error_in_a_middleware_also_gives_the_503_page(make_user, monkeypatch):
    """Loading the session happens in middleware, before any view: process_exception never
    sees that error, so the project's 500 handler answers with the 503 page instead."""
    gone = OperationalError("terminating connection due to administrator command")
    response = _session_load_raises(make_user, monkeypatch, gone).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_other_errors_in_a_middleware_are_still_a_500(monkeypatch, make_user):
    bug = ValueError("a bug, not the database")
    response = _session_load_raises(make_user, monkeypatch, bug).get("/")
    assert response.status_code == 500
