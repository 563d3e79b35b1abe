"""accounts.principals: the signed-in user and their roles cached between requests, and every
change to them seen on the next request.

The cache is the configured one: the database cache in `make test`, Redis in CI's second run.
"""

from __future__ import annotations

import logging

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts import access, principals
from accounts.models import Role, RoleMembership, User

pytestmark = pytest.mark.django_db

CACHED = override_settings(PRINCIPAL_CACHE_SECONDS=60)
UNREACHABLE_REDIS: dict[str, object] = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
LOG_PAGE = "referrals:conversation_log"


def _principal_reads(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if '"accounts_user"' in q["sql"] or '"accounts_rolemembership"' in q["sql"]
    ]


@pytest.fixture
def worker(make_user, camden_trust) -> User:
    person: User = make_user(Role.FRONTLINE_WORKER, camden_trust)
    return person


@CACHED
def test_a_signed_in_request_after_the_first_reads_neither_user_nor_roles(client, worker):
    client.force_login(worker)
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse(LOG_PAGE)).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(reverse(LOG_PAGE)).status_code == 200
    assert len(_principal_reads(first)) == 2  # the user, then their role memberships
    assert _principal_reads(second) == []


def test_without_the_setting_every_request_reads_them(client, worker, settings):
    settings.PRINCIPAL_CACHE_SECONDS = 0
    client.force_login(worker)
    client.get(reverse(LOG_PAGE))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(LOG_PAGE)).status_code == 200
    assert len(_principal_reads(captured)) == 2


@CACHED
def test_a_role_taken_away_is_gone_on_the_next_request(client, worker):
    client.force_login(worker)
    assert client.get(reverse(LOG_PAGE)).status_code == 200
    RoleMembership.objects.filter(user=worker).delete()
    assert client.get(reverse(LOG_PAGE)).status_code == 403


@CACHED
def test_a_role_given_is_there_on_the_next_request(client, make_user, camden_trust):
    person = make_user(None, camden_trust)
    client.force_login(person)
    assert client.get(reverse(LOG_PAGE)).status_code == 403
    RoleMembership.objects.create(
        user=person, role=Role.FRONTLINE_WORKER, organisation=camden_trust
    )
    assert client.get(reverse(LOG_PAGE)).status_code == 200


@CACHED
def test_a_deactivated_user_is_signed_out_on_the_next_request(client, worker):
    client.force_login(worker)
    assert client.get(reverse(LOG_PAGE)).status_code == 200
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    response = client.get(reverse(LOG_PAGE))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@CACHED
def test_a_changed_password_is_not_checked_against_the_old_copy(worker):
    """Django compares each session with the user's password hash: a cached user with the
    old hash would keep the sessions a password change must end."""
    read = lambda: User.objects.get(pk=worker.pk)  # noqa: E731
    before = principals.load(worker.pk, read)
    assert before is not None
    worker.set_password("a new and different passphrase 42")
    worker.save()
    after = principals.load(worker.pk, read)
    assert after is not None
    assert after.get_session_auth_hash() != before.get_session_auth_hash()


@CACHED
def test_an_organisation_moved_to_another_borough_is_seen_at_once(worker, camden_trust, haringey):
    read = lambda: User.objects.get(pk=worker.pk)  # noqa: E731
    first = principals.load(worker.pk, read)
    assert first is not None
    assert access.memberships(first)[0].organisation.area_id == camden_trust.area_id
    camden_trust.area = haringey
    camden_trust.save()
    again = principals.load(worker.pk, read)
    assert again is not None
    assert access.memberships(again)[0].organisation.area_id == haringey.pk


@CACHED
def test_a_copy_cached_before_the_commit_is_dropped_after_it(
    worker, django_capture_on_commit_callbacks
):
    """A request that read the roles just before a change committed cannot leave them behind."""
    stale = User.objects.get(pk=worker.pk)
    access.memberships(stale)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        RoleMembership.objects.filter(user=worker).delete()
        # Another request, still seeing the old rows, caches them before the commit.
        principals.load(worker.pk, lambda: stale)
    fresh = principals.load(worker.pk, lambda: User.objects.get(pk=worker.pk))
    assert fresh is not None
    assert access.memberships(fresh) == []


@CACHED
@override_settings(CACHES=UNREACHABLE_REDIS)
def test_with_redis_unreachable_the_user_is_read_from_the_database(client, worker, caplog):
    client.force_login(worker)
    with caplog.at_level(logging.WARNING, logger="accounts.principals"):
        assert client.get(reverse(LOG_PAGE)).status_code == 200
    assert "principal cache unavailable" in caplog.text


def test_the_key_changes_with_the_columns_it_caches(monkeypatch):
    """After a deploy that changes a cached model, old copies are not read back."""
    key = principals.cache_key(7)
    assert key.endswith(":7")
    principals._schema.cache_clear()
    monkeypatch.setattr(User._meta.get_field("full_name"), "attname", "display_name")
    try:
        assert principals.cache_key(7) != key
    finally:
        monkeypatch.undo()
        principals._schema.cache_clear()
    assert principals.cache_key(7) == key
