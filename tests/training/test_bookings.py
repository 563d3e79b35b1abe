from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Role
from core.models import AuditEvent, OutboxMessage
from core.services import outbox_deliver
from tests.training.factories import SessionFactory
from training import services
from training.models import Booking
from training.services import TrainingError

pytestmark = pytest.mark.django_db


@pytest.fixture
def learners(make_user, camden_trust):
    return [make_user(Role.FRONTLINE_WORKER, camden_trust) for _ in range(3)]


def book(session, learner):
    return services.booking_create(session=session, learner=learner, actor=learner)


def delivered(key):
    """The outbox message with this key, after the worker has rendered and sent it."""
    message = OutboxMessage.objects.get(idempotency_key=key)
    assert outbox_deliver(message_id=message.pk) is True
    message.refresh_from_db()
    return message


def test_learner_gets_a_place_and_a_confirmation_with_a_calendar_invite(learners):
    session = SessionFactory(capacity=2)
    booking = book(session, learners[0])
    assert booking.status == Booking.Status.BOOKED
    assert booking.waitlist_position is None
    message = delivered(f"training:booking-confirmed:{booking.pk}")
    assert message.recipients == [learners[0].email]
    assert message.subject == f"You have a place: {session.course.title}"
    [attachment] = message.attachments
    assert attachment["mimetype"] == "text/calendar"
    calendar = Calendar.from_ical(attachment["content"])
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == session.course.title
    assert event.decoded("dtstart") == session.starts_at
    assert AuditEvent.objects.filter(action="training.booking_booked").exists()


def test_a_full_session_puts_the_learner_on_the_waiting_list_in_order(learners, make_user):
    session = SessionFactory(capacity=1)
    book(session, learners[0])
    second, third = book(session, learners[1]), book(session, learners[2])
    assert (second.status, second.waitlist_position) == (Booking.Status.WAITLISTED, 1)
    assert (third.status, third.waitlist_position) == (Booking.Status.WAITLISTED, 2)
    assert OutboxMessage.objects.filter(
        idempotency_key=f"training:booking-waitlisted:{second.pk}"
    ).exists()


def test_waitlisted_learner_is_promoted_and_told_when_a_place_frees(learners):
    session = SessionFactory(capacity=1)
    first = book(session, learners[0])
    waiting = book(session, learners[1])
    promoted = services.booking_cancel(booking=first, actor=learners[0])
    assert [b.pk for b in promoted] == [waiting.pk]
    waiting.refresh_from_db()
    first.refresh_from_db()
    assert first.status == Booking.Status.CANCELLED
    assert (waiting.status, waiting.waitlist_position) == (Booking.Status.BOOKED, None)
    confirmation = delivered(f"training:booking-confirmed:{waiting.pk}")
    assert confirmation.recipients == [learners[1].email]
    assert "A place has come up" in confirmation.body_text
    assert confirmation.attachments[0]["filename"].endswith(".ics")


def test_leaving_the_waiting_list_promotes_nobody(learners):
    session = SessionFactory(capacity=1)
    book(session, learners[0])
    waiting = book(session, learners[1])
    assert services.booking_cancel(booking=waiting, actor=learners[1]) == []
    assert Booking.objects.filter(session=session, status=Booking.Status.BOOKED).count() == 1


def test_a_learner_cannot_book_the_same_session_twice(learners):
    session = SessionFactory()
    book(session, learners[0])
    with pytest.raises(TrainingError, match="already has a booking"):
        book(session, learners[0])


def test_a_learner_can_book_again_after_cancelling(learners):
    session = SessionFactory()
    services.booking_cancel(booking=book(session, learners[0]), actor=learners[0])
    assert book(session, learners[0]).status == Booking.Status.BOOKED


def test_cancelled_and_started_sessions_cannot_be_booked(learners):
    started = SessionFactory(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(TrainingError, match="already started"):
        book(started, learners[0])
    cancelled = SessionFactory()
    services.session_cancel(session=cancelled, actor=learners[0], reason="Trainer unwell")
    with pytest.raises(TrainingError, match="cancelled"):
        book(cancelled, learners[0])


def test_cancelling_a_session_tells_everyone_booked_or_waiting(learners, make_user):
    session = SessionFactory(capacity=1)
    bookings = [book(session, learner) for learner in learners[:2]]
    trainer = make_user(Role.TRAINER, session.organisation)
    services.session_cancel(session=session, actor=trainer, reason="Venue flooded")
    session.refresh_from_db()
    assert session.is_cancelled
    for booking in bookings:
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED
        message = OutboxMessage.objects.get(
            idempotency_key=f"training:session-cancelled:{session.pk}:{booking.pk}"
        )
        assert "Venue flooded" in message.body_text
        calendar = Calendar.from_ical(message.attachments[0]["content"])
        assert str(calendar["method"]) == "CANCEL"


def test_more_places_fill_from_the_waiting_list(learners, make_user):
    session = SessionFactory(capacity=1)
    book(session, learners[0])
    waiting = book(session, learners[1])
    trainer = make_user(Role.TRAINER, session.organisation)
    services.session_update(session=session, actor=trainer, trainers=[trainer], capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.BOOKED


def test_capacity_cannot_drop_below_the_places_taken(learners, make_user):
    session = SessionFactory(capacity=2)
    book(session, learners[0])
    book(session, learners[1])
    trainer = make_user(Role.TRAINER, session.organisation)
    with pytest.raises(TrainingError, match="at least 2 places"):
        services.session_update(session=session, actor=trainer, trainers=[], capacity=1)


def test_no_promotion_once_the_session_has_started(learners):
    session = SessionFactory(capacity=1)
    first = book(session, learners[0])
    book(session, learners[1])
    with (
        time_machine.travel(session.starts_at + timedelta(minutes=1)),
        pytest.raises(TrainingError, match="already started"),
    ):
        services.booking_cancel(booking=first, actor=learners[0])


def test_booking_renders_no_email_it_queues_one_the_worker_renders(learners):
    """ADR 0014: the request writes a row naming the renderer; nothing is rendered yet."""
    session = SessionFactory(capacity=1)
    booked, waiting = book(session, learners[0]), book(session, learners[1])
    for booking, template in ((booked, "booking_confirmed"), (waiting, "booking_waitlisted")):
        message = OutboxMessage.objects.get(context__booking=booking.pk)
        assert (message.renderer, message.context) == (
            services.BOOKING_EMAIL,
            {"booking": booking.pk, "template": template},
        )
        assert (message.recipients, message.subject, message.body_text) == ([], "", "")
        assert message.attachments == []


def test_the_emails_show_the_session_as_it_is_when_they_are_sent(learners):
    """The worker renders the email: a change between booking and sending is in it."""
    from training.models import Course, Session

    session = SessionFactory(capacity=1)
    booked = book(session, learners[0])
    waiting = book(session, learners[1])
    later = session.starts_at + timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(
        starts_at=later, ends_at=later + timedelta(hours=2)
    )
    Course.objects.filter(pk=session.course_id).update(title="Renamed course")

    message = delivered(f"training:booking-confirmed:{booked.pk}")
    [event] = Calendar.from_ical(message.attachments[0]["content"]).walk("VEVENT")
    assert event.decoded("dtstart") == later
    assert str(event["summary"]) == "Renamed course"
    assert timezone.localtime(later).strftime("%-d %B %Y") in message.body_text
    [sent] = mail.outbox
    assert sent.subject == "You have a place: Renamed course"
    assert sent.to == [learners[0].email]

    message = delivered(f"training:booking-waitlisted:{waiting.pk}")
    assert message.subject == "You are on the waiting list: Renamed course"
    assert "Renamed course" in message.body_text
    assert message.attachments == []


def test_cancelling_a_booking_emails_the_learner(learners):
    session = SessionFactory(capacity=1)
    booking = book(session, learners[0])
    services.booking_cancel(booking=booking, actor=learners[0])
    message = delivered(f"training:booking-cancelled:{booking.pk}")
    assert message.recipients == [learners[0].email]
    assert message.subject == f"Booking cancelled: {session.course.title}"
    assert f"Your place on {session.course.title}" in message.body_text
