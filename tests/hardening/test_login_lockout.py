"""After 5 wrong passwords for one email address in 15 minutes, sign-in is locked for that
address until the window passes; the page says so in an NHS.UK error summary."""

from __future__ import annotations

import datetime
import math

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from accounts.models import Role
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_five_failures_lock_the_account_with_a_clear_message(client, make_user, camden_trust):
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            response = _sign_in(client, user.email, "wrong-password")
            assert response.status_code == 200
            assert "Too many failed login attempts" not in response.content.decode()
        response = _sign_in(client, user.email, TEST_PASSWORD)
        page = response.content.decode()
        assert response.status_code == 200
        assert "nhsuk-error-summary" in page
        assert "Too many failed login attempts for this email address" in page
        assert "Wait 15 minutes, then try again" in page
        assert "reset it with the link below" in page
        assert 'href="/accounts/password/reset/"' in page
        assert client.get("/").status_code == 302  # not signed in, even with the right password

    # Another address from the same place is not locked out by these failures.
    other = make_user(Role.FRONTLINE_WORKER, camden_trust)
    with time_machine.travel(start, tick=False):
        assert _sign_in(client, other.email, TEST_PASSWORD).status_code == 302
    client.logout()

    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        response = _sign_in(client, user.email, TEST_PASSWORD)
        assert response.status_code == 302
        assert client.get("/").status_code == 200


def test_the_lock_covers_the_whole_window(client, make_user, camden_trust):
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _sign_in(client, user.email, "wrong-password")
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        response = _sign_in(client, user.email, TEST_PASSWORD)
        assert "Wait 15 minutes" in response.content.decode()
        assert client.get("/").status_code == 302


def test_throttling_by_address_stops_password_spraying(client, make_user, camden_trust):
    """LOGIN_FAILURES_PER_IP failures from one IP address in 15 minutes lock sign-in from it
    for every account; fewer do not."""
    limit = settings.LOGIN_FAILURES_PER_IP
    assert limit >= 50  # a shared NHS address must survive a busy morning of typos
    users = [make_user(Role.FRONTLINE_WORKER, camden_trust) for _ in range(math.ceil(limit / 4))]
    attempts = [user for user in users for _ in range(4)][:limit]
    for user in attempts[:-1]:
        _sign_in(client, user.email, "wrong-password")
    fresh = make_user(Role.FRONTLINE_WORKER, camden_trust)
    assert _sign_in(client, fresh.email, TEST_PASSWORD).status_code == 302
    client.logout()
    _sign_in(client, attempts[-1].email, "wrong-password")
    response = _sign_in(client, fresh.email, TEST_PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/").status_code == 302
