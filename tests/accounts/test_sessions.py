"""Session limits (30 minutes idle, 12 hours in all), the sessions page, login throttling."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import Role, User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, user) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_session_ends_after_30_minutes_idle(client, make_user, camden_trust):
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, user)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200  # activity renews the idle timer
    # 40 seconds later: too soon to store "last used" again, but it still counts as activity.
    last_request = start + timedelta(minutes=29, seconds=40)
    with time_machine.travel(last_request, tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(last_request + timedelta(minutes=30, seconds=-1), tick=False):
        assert client.get("/").status_code == 200  # 29:59 without a request: not yet
    with time_machine.travel(last_request + timedelta(minutes=61), tick=False):
        response = client.get("/", follow=True)
        assert response.redirect_chain[0][0].startswith("/accounts/login/")
        assert "had not used the portal for 30 minutes" in response.content.decode()


def test_idle_sign_out_is_never_more_than_a_minute_late(client, make_user, camden_trust):
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, user)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert client.get("/").status_code == 200  # not stored: within a minute
    with time_machine.travel(start + timedelta(seconds=59, minutes=31, microseconds=1), tick=False):
        assert client.get("/").status_code == 302


def test_reading_pages_does_not_rewrite_the_session_every_request(client, make_user, camden_trust):
    """The session is saved when "last used" is a minute old, not on every request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes() -> list[str]:
        return [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
        ]

    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, user)
        assert client.get("/").status_code == 200
    for seconds in (10, 30, 50):
        with (
            time_machine.travel(start + timedelta(seconds=seconds), tick=False),
            CaptureQueriesContext(connection) as captured,
        ):
            assert client.get("/").status_code == 200
        assert session_writes() == [], seconds
    with (
        time_machine.travel(start + timedelta(seconds=70), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        assert client.get("/").status_code == 200
    assert len(session_writes()) == 1


def test_session_ends_after_12_hours_even_when_active(client, make_user, camden_trust):
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, user)
    # Active every 20 minutes for just under 12 hours: still signed in.
    minute = 20
    while minute < 12 * 60:
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            assert client.get("/").status_code == 200, minute
        minute += 20
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        response = client.get("/", follow=True)
        assert response.redirect_chain[0][0].startswith("/accounts/login/")
        assert "signed in for 12 hours" in response.content.decode()


def test_sessions_page_lists_sessions_and_ends_the_others(client, make_user, camden_trust):
    from django.test import Client

    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    other_device = Client(HTTP_USER_AGENT="Other device")
    _sign_in(other_device, user)
    _sign_in(client, user)
    response = client.get("/accounts/sessions/")
    assert response.status_code == 200
    from allauth.usersessions.models import UserSession

    assert UserSession.objects.filter(user=user).count() == 2
    response = client.post("/accounts/sessions/", {"action": "end"})
    assert response.status_code == 302
    assert UserSession.objects.filter(user=user).count() == 1
    assert other_device.get("/").status_code == 302  # the other device is signed out
    assert client.get("/").status_code == 200


def test_repeated_failed_logins_are_throttled(client, make_user, camden_trust):
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    # Even the right password is refused while throttled, with a clear message.
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/").status_code == 302


def test_device_tracking_writes_at_most_once_a_minute(client, make_user, camden_trust):
    """The sessions page's "last seen" is refreshed once a minute, not on every request."""
    from allauth.usersessions.models import UserSession
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, user)
        assert client.get("/").status_code == 200
    device = UserSession.objects.get(user=user)
    assert device.last_seen_at == start
    with (
        time_machine.travel(start + timedelta(seconds=30), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        assert client.get("/").status_code == 200
    assert not [q for q in captured.captured_queries if "usersessions_usersession" in q["sql"]]
    device.refresh_from_db()
    assert device.last_seen_at == start
    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.last_seen_at == start + timedelta(seconds=90)
    # Another browser on the same session is recorded at once, not a minute later.
    with time_machine.travel(start + timedelta(seconds=100), tick=False):
        assert client.get("/", HTTP_USER_AGENT="Another browser").status_code == 200
    device.refresh_from_db()
    assert device.user_agent == "Another browser"


def test_a_request_reads_the_user_itself_not_the_lazy_proxy(client, make_user, camden_trust):
    """Loaded once at the top of the stack; every later read is a plain attribute."""
    assert type(client.get("/").wsgi_request.user) is AnonymousUser
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    client.force_login(user)
    request = client.get("/").wsgi_request
    assert type(request.user) is User
    assert request.user.pk == user.pk
    client.post("/accounts/logout/")
    assert type(client.get("/").wsgi_request.user) is AnonymousUser
