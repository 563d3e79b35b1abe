"""The incremental refresh: change records, bounded recomputation, watermarks, rebuild."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, Role, StaffGroup
from core.models import ChangeEvent
from evaluation.models import ConversationRollup, SessionRollup, TrainingRollup, Watermark
from evaluation.selectors.dashboard import data_refreshed_at
from evaluation.services.rollups import (
    GRACE,
    bucket_parse,
    change_events_trim,
    rollups_rebuild,
    rollups_refresh,
)
from evaluation.tasks import change_events_trim_task, rollups_refresh_task
from referrals.selectors.rollups import CONVERSATION_STREAM
from referrals.services.conversations import conversation_create
from tests.factories import UserFactory
from tests.referrals.activity_factories import ActivityTopicFactory, ConversationFactory
from tests.training.factories import BookingFactory, CourseFactory, SessionFactory, programme
from training.selectors.rollups import COMPLETION_STREAM, SESSION_STREAM
from training.services import register_record
from training.services.imports import completion_import_apply, completion_import_upload

pytestmark = pytest.mark.django_db

MARCH = timezone.make_aware(datetime.datetime(2026, 3, 10, 10, 0))


def _log(author, *, when=MARCH, topics=None):
    return conversation_create(
        author=author,
        organisation=author.organisation,
        area=author.organisation.area,
        setting="outpatients",
        mecc_level="brief_advice",
        outcome="signposted",
        topics=topics or [ActivityTopicFactory()],
        occurred_at=when,
    )


def test_bucket_keys_parse_to_a_month_and_an_organisation():
    assert bucket_parse("2026-03:17").month == datetime.date(2026, 3, 1)
    assert bucket_parse("2026-03:17").organisation_id == 17
    assert bucket_parse("2025-11:none").organisation_id is None


def test_logging_a_conversation_records_its_bucket_in_the_change_feed(camden_trust):
    worker = UserFactory(organisation=camden_trust)
    _log(worker)
    event = ChangeEvent.objects.get(stream=CONVERSATION_STREAM)
    assert event.key == f"2026-03:{camden_trust.pk}"


def test_a_conversation_just_after_midnight_on_the_1st_counts_in_that_month_london_time(
    camden_trust,
):
    worker = UserFactory(organisation=camden_trust)
    # 00:30 on 1 April in London is 23:30 on 31 March in UTC (summer time).
    _log(worker, when=timezone.make_aware(datetime.datetime(2026, 4, 1, 0, 30)))
    rollups_refresh()
    assert ConversationRollup.objects.get().month == datetime.date(2026, 4, 1)


def test_refresh_counts_new_conversations_by_staff_group_level_and_outcome(camden_trust):
    nurse = UserFactory(organisation=camden_trust, staff_group=StaffGroup.NURSING)
    _log(nurse)
    _log(nurse)
    counts = rollups_refresh()
    assert counts[CONVERSATION_STREAM] == 1
    row = ConversationRollup.objects.get()
    assert (row.staff_group, row.mecc_level, row.outcome, row.conversations) == (
        "nursing",
        "brief_advice",
        "signposted",
        2,
    )
    assert row.area_id == camden_trust.area_id


def test_refresh_recomputes_only_the_buckets_that_changed(camden_trust, haringey_council):
    camden_worker = UserFactory(organisation=camden_trust)
    haringey_worker = UserFactory(organisation=haringey_council)
    _log(camden_worker)
    _log(haringey_worker)
    with time_machine.travel(timezone.now() + GRACE * 2):
        rollups_refresh()  # the changes have settled: the watermark moves past them
        # Tamper with Haringey's row: a refresh that recomputed everything would mend it.
        ConversationRollup.objects.filter(organisation=haringey_council).update(conversations=99)
        _log(camden_worker)
        rollups_refresh()
    assert ConversationRollup.objects.get(organisation=camden_trust).conversations == 2
    assert ConversationRollup.objects.get(organisation=haringey_council).conversations == 99


def test_the_watermark_stays_behind_changes_younger_than_the_grace_period(camden_trust):
    _log(UserFactory(organisation=camden_trust))
    rollups_refresh()
    assert Watermark.objects.get(stream=CONVERSATION_STREAM).last_change_id == 0
    with time_machine.travel(timezone.now() + GRACE * 2):
        rollups_refresh()
    last = ChangeEvent.objects.get(stream=CONVERSATION_STREAM).pk
    assert Watermark.objects.get(stream=CONVERSATION_STREAM).last_change_id == last


def test_trimming_deletes_only_the_changes_every_rollup_has_read(camden_trust):
    worker = UserFactory(organisation=camden_trust)
    for _ in range(5):
        _log(worker)
    other_streams = ChangeEvent.objects.exclude(stream=CONVERSATION_STREAM).count()
    assert change_events_trim() == 0  # no stream refreshed yet: nothing has been read
    later = timezone.now() + GRACE * 2
    with time_machine.travel(later):
        rollups_refresh()
    read = ChangeEvent.objects.filter(stream=CONVERSATION_STREAM).count()
    _log(worker, when=MARCH + datetime.timedelta(days=1))  # after the watermark: not read yet
    unread = ChangeEvent.objects.filter(stream=CONVERSATION_STREAM).latest("pk").pk

    assert change_events_trim(batch_size=2) == read  # 5 rows in batches of 2, 2 and 1
    left = ChangeEvent.objects.filter(stream=CONVERSATION_STREAM)
    assert list(left.values_list("pk", flat=True)) == [unread]
    assert ChangeEvent.objects.exclude(stream=CONVERSATION_STREAM).count() == (other_streams)
    assert change_events_trim_task.delay().get() == 0  # twice deletes nothing more

    # What was trimmed is not needed: the next refresh still counts every conversation.
    with time_machine.travel(later + GRACE * 2):
        rollups_refresh()
    assert sum(ConversationRollup.objects.values_list("conversations", flat=True)) == 6


def test_refresh_cost_does_not_grow_with_the_conversations_in_other_buckets(
    camden_trust, haringey_council
):
    def queries_for_one_change(other_rows: int) -> int:
        ConversationFactory.create_batch(
            other_rows, author=UserFactory(organisation=haringey_council)
        )
        rollups_rebuild(now=timezone.now() + GRACE * 2)
        _log(UserFactory(organisation=camden_trust))
        with CaptureQueriesContext(connection) as queries:
            rollups_refresh(now=timezone.now() + GRACE * 2)
        return len(queries)

    assert queries_for_one_change(1) == queries_for_one_change(50)


def test_register_records_completion_and_session_buckets(camden_trust):
    learner: Any = UserFactory(organisation=camden_trust, staff_group=StaffGroup.MEDICAL)
    session = SessionFactory(starts_at=MARCH, organisation=camden_trust)
    booking = BookingFactory(session=session, learner=learner)
    register_record(session=session, actor=learner, attendance={booking.pk: "attended"})
    assert ChangeEvent.objects.get(stream=COMPLETION_STREAM).key == f"2026-03:{camden_trust.pk}"
    assert ChangeEvent.objects.get(stream=SESSION_STREAM).key == f"2026-03:{camden_trust.pk}"
    rollups_refresh()
    assert TrainingRollup.objects.get().completions == 1
    assert SessionRollup.objects.get().attended == 1


def test_rebuild_command_recomputes_everything_and_sets_the_watermarks(camden_trust):
    ConversationFactory.create_batch(3, author=UserFactory(organisation=camden_trust))
    out = StringIO()
    call_command("rollups_rebuild", stdout=out)
    assert "Rollups rebuilt." in out.getvalue()
    assert ConversationRollup.objects.get().conversations == 3
    assert Watermark.objects.count() == 3


def test_freshness_is_unknown_until_every_stream_has_been_refreshed(camden_trust):
    assert data_refreshed_at() is None
    rollups_refresh_task.delay()
    assert data_refreshed_at() is not None


def test_refresh_task_is_safe_to_run_twice(camden_trust):
    _log(UserFactory(organisation=camden_trust))
    rollups_refresh_task.delay()
    rollups_refresh_task.delay()
    assert ConversationRollup.objects.get().conversations == 1
    assert Organisation.objects.count() >= 1


def test_importing_historic_completions_records_their_buckets(make_user, camden_trust):
    lead = make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)
    learner = make_user(Role.FRONTLINE_WORKER, camden_trust)
    CourseFactory(title="MHFA two-day course", programme=programme("mhfa"), level=None)
    batch = completion_import_upload(
        actor=lead,
        organisation=camden_trust,
        filename="export.csv",
        content=f"Email,Course,Completed_on\n{learner.email},MHFA two-day course,2024-03-27\n",
    )
    completion_import_apply(batch=batch, actor=lead)
    assert ChangeEvent.objects.get(stream=COMPLETION_STREAM).key == f"2024-03:{camden_trust.pk}"
    rollups_refresh()
    assert TrainingRollup.objects.get().month == datetime.date(2024, 3, 1)
