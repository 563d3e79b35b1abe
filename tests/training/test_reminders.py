from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from core.models import OutboxMessage
from tests.training.factories import BookingFactory, CompletionFactory, SessionFactory
from training import services
from training.models import Booking, Session
from training.services.reminders import evaluation_url
from training.tasks import reminders_send_task

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
START = datetime(2027, 3, 10, 10, 0, tzinfo=LONDON)


def keys(prefix: str) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(idempotency_key__startswith=prefix).values_list(
            "idempotency_key", flat=True
        )
    )


def run_at(moment: datetime, times: int = 3) -> None:
    with time_machine.travel(moment, tick=False):
        for _ in range(times):
            reminders_send_task.delay()


@pytest.fixture
def booked(make_user, camden_trust):
    trainer = make_user(Role.TRAINER, camden_trust)
    session = SessionFactory(
        organisation=camden_trust,
        starts_at=START,
        ends_at=START + timedelta(hours=3),
        trainers=[trainer],
    )
    booking = BookingFactory(session=session, confirmed_at=START - timedelta(days=10))
    return booking, trainer


def test_learners_get_each_reminder_once_however_often_the_job_runs(booked):
    booking, _ = booked
    run_at(START - timedelta(days=3))
    assert keys("training:reminder:") == []
    run_at(START - timedelta(hours=47))
    run_at(START - timedelta(hours=30))
    assert keys("training:reminder:") == [f"training:reminder:{booking.pk}:48h"]
    run_at(START - timedelta(hours=1, minutes=59))
    run_at(START - timedelta(minutes=5))
    assert keys("training:reminder:") == [
        f"training:reminder:{booking.pk}:2h",
        f"training:reminder:{booking.pk}:48h",
    ]
    assert OutboxMessage.objects.get(
        idempotency_key=f"training:reminder:{booking.pk}:2h"
    ).recipients == [booking.learner.email]


def test_a_late_booking_gets_no_reminder_for_a_window_it_was_booked_in(booked):
    booking, _ = booked
    Booking.objects.filter(pk=booking.pk).update(confirmed_at=START - timedelta(hours=20))
    run_at(START - timedelta(hours=19))
    run_at(START - timedelta(hours=1))
    assert keys("training:reminder:") == [f"training:reminder:{booking.pk}:2h"]


def test_reminder_offsets_come_from_settings(booked, settings):
    booking, _ = booked
    settings.TRAINING_REMINDER_OFFSET_HOURS = [24]
    run_at(START - timedelta(hours=47))
    assert keys("training:reminder:") == []
    run_at(START - timedelta(hours=23))
    assert keys("training:reminder:") == [f"training:reminder:{booking.pk}:24h"]


def test_cancelled_bookings_get_no_reminders(booked):
    booking, _ = booked
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    run_at(START - timedelta(hours=1))
    assert keys("training:reminder:") == []


def test_cancelled_sessions_send_no_reminders_to_anyone(booked):
    booking, _ = booked
    Session.objects.filter(pk=booking.session_id).update(status=Session.Status.CANCELLED)
    run_at(START - timedelta(hours=1))
    assert keys("training:reminder:") == []
    assert keys("training:trainer-reminder:") == []


def test_the_trainer_gets_the_register_link_once_the_day_before(booked):
    booking, trainer = booked
    run_at(START - timedelta(hours=30))
    assert keys("training:trainer-reminder:") == []
    run_at(START - timedelta(hours=20))
    run_at(START - timedelta(hours=2))
    [key] = keys("training:trainer-reminder:")
    message = OutboxMessage.objects.get(idempotency_key=key)
    assert message.recipients == [trainer.email]
    assert f"/training/sessions/{booking.session_id}/register/" in message.body_text


def test_expiring_certificates_are_noticed_at_60_and_30_days_once_each():
    today = timezone.localdate()
    completion = CompletionFactory(expires_on=today + timedelta(days=90))
    moment = timezone.now()
    run_at(moment)
    assert keys("training:expiry:") == []
    run_at(moment + timedelta(days=31))
    run_at(moment + timedelta(days=45))
    assert keys("training:expiry:") == [f"training:expiry:{completion.pk}:60d"]
    run_at(moment + timedelta(days=61))
    run_at(moment + timedelta(days=80))
    assert keys("training:expiry:") == [
        f"training:expiry:{completion.pk}:30d",
        f"training:expiry:{completion.pk}:60d",
    ]


def test_a_renewed_certificate_is_not_reminded_about():
    today = timezone.localdate()
    old = CompletionFactory(
        expires_on=today + timedelta(days=20), completed_on=today - timedelta(days=1000)
    )
    CompletionFactory(
        learner=old.learner, course=old.course, completed_on=today - timedelta(days=10)
    )
    run_at(timezone.now())
    assert keys("training:expiry:") == []


def test_attendees_are_invited_to_the_post_course_evaluation_once(booked):
    booking, _ = booked
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.ATTENDED)
    run_at(START + timedelta(hours=1))
    assert keys("training:evaluation:") == []
    run_at(START + timedelta(hours=4))
    run_at(START + timedelta(days=2))
    assert keys("training:evaluation:") == [f"training:evaluation:{booking.pk}"]
    message = OutboxMessage.objects.get(idempotency_key=f"training:evaluation:{booking.pk}")
    assert evaluation_url(booking) in message.body_text
    assert "certificate will be ready" in message.body_text


def test_done_evaluations_get_no_invitation(booked):
    booking, _ = booked
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.ATTENDED)
    services.completion_record_evaluation(
        learner_id=booking.learner_id, session_id=booking.session_id
    )
    run_at(START + timedelta(hours=4))
    assert keys("training:evaluation:") == []


def test_evaluation_link_is_the_survey_or_else_the_session_page(booked, monkeypatch):
    booking, _ = booked
    assert evaluation_url(booking).endswith(f"/surveys/after-course/{booking.pk}/")
    monkeypatch.setattr("training.services.reminders.EVALUATION_URL_NAME", "evaluation:missing")
    assert evaluation_url(booking).endswith(f"/training/sessions/{booking.session_id}/")
