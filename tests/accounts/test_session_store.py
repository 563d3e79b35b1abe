"""accounts.sessions: sessions read from the cache, kept in the database, and still working
when the cache (Redis) cannot be reached."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db

# A real Redis client pointed at a port nothing listens on: every call is refused.
UNREACHABLE_REDIS: dict[str, object] = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:9/0",
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}
LOCAL: dict[str, object] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "sessions",
}


def _caches(sessions: dict[str, object]) -> dict[str, object]:
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": sessions,
    }


def _session_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]


@override_settings(CACHES=_caches(LOCAL), SESSION_CACHE_ALIAS="sessions")
def test_a_saved_session_is_read_from_the_cache_and_kept_in_the_database():
    store = SessionStore()
    store["portal"] = "value"
    store.create()
    assert Session.objects.filter(session_key=store.session_key).exists()
    with CaptureQueriesContext(connection) as captured:
        assert SessionStore(store.session_key)["portal"] == "value"
    assert _session_queries(captured) == []


@override_settings(CACHES=_caches(LOCAL), SESSION_CACHE_ALIAS="sessions", SESSION_CACHE_SECONDS=120)
def test_the_cached_copy_expires_after_session_cache_seconds():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        store = SessionStore()
        store["portal"] = "value"
        store.create()
    with (
        time_machine.travel(start + timedelta(seconds=119), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        assert SessionStore(store.session_key)["portal"] == "value"
    assert _session_queries(captured) == []
    with (
        time_machine.travel(start + timedelta(seconds=121), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        assert SessionStore(store.session_key)["portal"] == "value"
    assert len(_session_queries(captured)) == 1  # read again from the database


@override_settings(CACHES=_caches(UNREACHABLE_REDIS), SESSION_CACHE_ALIAS="sessions")
def test_sessions_work_from_the_database_while_redis_is_unreachable(caplog):
    caplog.set_level(logging.WARNING, logger="accounts.sessions")
    store = SessionStore()
    store["portal"] = "value"
    store.create()  # exists() and save() both meet the refused connection
    key = store.session_key
    assert key and Session.objects.filter(session_key=key).exists()
    loaded = SessionStore(key)
    assert loaded["portal"] == "value"
    loaded["portal"] = "changed"
    loaded.save()
    assert SessionStore(key)["portal"] == "changed"
    SessionStore(key).delete()
    assert not Session.objects.filter(session_key=key).exists()
    assert SessionStore(key).load() == {}
    assert "session cache unavailable" in caplog.text
    assert "value" not in caplog.text  # session contents are never logged


@override_settings(CACHES=_caches(LOCAL), SESSION_CACHE_ALIAS="sessions")
def test_deleting_a_session_removes_the_cached_copy_too():
    store = SessionStore()
    store["portal"] = "value"
    store.create()
    SessionStore(store.session_key).delete()
    assert SessionStore(store.session_key).load() == {}
