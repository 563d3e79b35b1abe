"""core.reference: topics and boroughs a conversation is checked against, cached between
requests, and every change to them seen on the next one.

The cache is the configured one: the database cache in `make test`, Redis in CI's second run.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import Area
from core import reference
from referrals.forms.conversations import ConversationForm
from referrals.models import Topic
from tests.referrals.factories import TopicFactory

pytestmark = pytest.mark.django_db

CACHED = override_settings(REFERENCE_CACHE_SECONDS=300)
UNREACHABLE_REDIS: dict[str, object] = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def _data(topics: list[Topic], area: Area) -> dict[str, Any]:
    return {
        "topics": [str(t.pk) for t in topics],
        "area": str(area.pk),
        "mecc_level": "very_brief_advice",
        "outcome": "information_given",
        "setting": "outpatients",
    }


def _reference_reads(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if '"referrals_topic"' in q["sql"] or '"accounts_area"' in q["sql"]
    ]


@pytest.fixture
def smoking(db: None) -> Topic:
    topic: Topic = TopicFactory(name="Reference test: smoking", is_active=True)
    return topic


@CACHED
def test_a_second_conversation_is_checked_without_reading_topics_or_boroughs(smoking, camden):
    first = ConversationForm(_data([smoking], camden))
    assert first.is_valid(), first.errors
    with CaptureQueriesContext(connection) as captured:
        second = ConversationForm(_data([smoking], camden))
        assert second.is_valid(), second.errors
    assert _reference_reads(captured) == []
    assert second.cleaned_data["topics"] == [smoking]
    assert second.cleaned_data["area"] == camden


def test_without_the_setting_each_check_reads_them(smoking, camden, settings):
    settings.REFERENCE_CACHE_SECONDS = 0
    assert ConversationForm(_data([smoking], camden)).is_valid()
    with CaptureQueriesContext(connection) as captured:
        assert ConversationForm(_data([smoking], camden)).is_valid()
    assert len(_reference_reads(captured)) == 2


@CACHED
def test_a_topic_retired_is_refused_on_the_next_check(smoking, camden):
    assert ConversationForm(_data([smoking], camden)).is_valid()
    smoking.is_active = False
    smoking.save()
    form = ConversationForm(_data([smoking], camden))
    assert not form.is_valid()
    assert "topics" in form.errors


@CACHED
def test_a_topic_added_is_accepted_at_once(smoking, camden):
    assert ConversationForm(_data([smoking], camden)).is_valid()
    alcohol: Topic = TopicFactory(name="Reference test: alcohol", is_active=True)
    form = ConversationForm(_data([smoking, alcohol], camden))
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["topics"]) == {smoking, alcohol}


@CACHED
def test_an_unknown_or_inactive_id_is_still_refused(smoking, camden):
    assert ConversationForm(_data([smoking], camden)).is_valid()
    retired: Topic = TopicFactory(name="Reference test: retired", is_active=False)
    form = ConversationForm({**_data([smoking], camden), "topics": [str(retired.pk)]})
    assert not form.is_valid()
    form = ConversationForm({**_data([smoking], camden), "area": "999999"})
    assert not form.is_valid()
    assert "area" in form.errors


@CACHED
def test_a_borough_that_stops_being_one_is_refused_on_the_next_check(smoking, camden):
    assert ConversationForm(_data([smoking], camden)).is_valid()
    camden.kind = Area.Kind.PARTNERSHIP
    camden.save()
    form = ConversationForm(_data([smoking], camden))
    assert not form.is_valid()
    assert "area" in form.errors


@CACHED
def test_a_form_that_narrows_its_choices_is_not_answered_from_the_cache(smoking, camden):
    alcohol: Topic = TopicFactory(name="Reference test: alcohol", is_active=True)
    assert ConversationForm(_data([smoking, alcohol], camden)).is_valid()  # both cached
    form = ConversationForm(_data([alcohol], camden))
    form.fields["topics"].queryset = Topic.objects.filter(pk=smoking.pk)
    assert not form.is_valid()
    assert "topics" in form.errors


@CACHED
def test_a_copy_cached_before_the_commit_is_dropped_after_it(
    smoking, camden, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        smoking.is_active = False
        smoking.save()
        # Another request, still seeing the topic active, caches the list before the commit.
        form = ConversationForm(_data([smoking], camden))
        form.fields["topics"].queryset = Topic.objects.all()  # as the old snapshot saw it
        form.fields["topics"].cache_key = ConversationForm.base_fields["topics"].cache_key
        assert form.is_valid()
    form = ConversationForm(_data([smoking], camden))
    assert not form.is_valid()


@CACHED
@override_settings(CACHES=UNREACHABLE_REDIS)
def test_with_redis_unreachable_the_database_answers(smoking, camden, caplog):
    with caplog.at_level(logging.WARNING, logger="core.reference"):
        form = ConversationForm(_data([smoking], camden))
        assert form.is_valid(), form.errors
    assert list(form.cleaned_data["topics"]) == [smoking]
    assert "reference cache unavailable" in caplog.text


class _CountingCache:
    """The configured cache, counting reads: the process's own copy should spare them."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.reads = inner, 0

    def get(self, key: str, default: Any = None) -> Any:
        self.reads += 1
        return self.inner.get(key, default)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture
def counting_cache(monkeypatch: pytest.MonkeyPatch) -> _CountingCache:
    counting = _CountingCache(reference.shared_cache)
    monkeypatch.setattr(reference, "shared_cache", counting)
    return counting


@CACHED
def test_within_the_local_window_the_process_asks_the_shared_cache_nothing(
    smoking, camden, counting_cache
):
    assert ConversationForm(_data([smoking], camden)).is_valid()
    first = counting_cache.reads
    assert first == 2  # topics and boroughs, once each
    with CaptureQueriesContext(connection) as captured:
        for _ in range(3):
            assert ConversationForm(_data([smoking], camden)).is_valid()
    assert counting_cache.reads == first
    assert _reference_reads(captured) == []


@CACHED
@override_settings(REFERENCE_LOCAL_SECONDS=0)
def test_without_the_local_window_every_check_asks_the_shared_cache(
    smoking, camden, counting_cache
):
    assert ConversationForm(_data([smoking], camden)).is_valid()
    assert ConversationForm(_data([smoking], camden)).is_valid()
    assert counting_cache.reads == 4


@CACHED
def test_another_process_sees_a_change_once_its_local_copy_goes_stale(smoking, camden, monkeypatch):
    assert ConversationForm(_data([smoking], camden)).is_valid()
    # Another process retires the topic: the shared copy is forgotten, not this process's.
    Topic.objects.filter(pk=smoking.pk).update(is_active=False)
    reference.shared_cache.delete_many(sorted(reference._KEYS[Topic]))
    assert ConversationForm(_data([smoking], camden)).is_valid()  # the local copy, still fresh
    later = time.monotonic() + 6
    monkeypatch.setattr(reference.time, "monotonic", lambda: later)
    form = ConversationForm(_data([smoking], camden))
    assert not form.is_valid()
    assert "topics" in form.errors
