"""`training_book_places` (PostgreSQL) writes what the ORM path writes, and checks the session
as it is when the lock is taken; neither path renders the email (ADR 0014).

The service books through the stored function on PostgreSQL and through the ORM on SQLite
(`make test` runs the booking tests through the ORM, CI's second run through the function).
Here both paths run on PostgreSQL side by side and their rows are compared; the function's
INSERTs are checked against the models' columns, so a column added to a model and not to
the function fails here rather than being left empty.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent, OutboxMessage
from core.services import outbox_deliver
from tests.training.factories import SessionFactory
from training.models import Booking, Session
from training.services import bookings
from training.services._common import TrainingError

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

WRITTEN_BY_THE_DATABASE = {"id"}


@pytest.fixture
def learners(make_user, camden_trust):
    return [make_user(Role.FRONTLINE_WORKER, camden_trust) for _ in range(4)]


def _request() -> Any:
    return RequestFactory().post("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Browser/1.0")


def _shape(booking: Booking) -> dict[str, Any]:
    """Everything the two paths should agree on, without ids or the moment of booking."""
    row = Booking.objects.get(pk=booking.pk)
    audit = AuditEvent.objects.get(target_id=str(booking.pk), action__startswith="training.")
    kind = "confirmed" if row.status == Booking.Status.BOOKED else "waitlisted"
    message = OutboxMessage.objects.get(idempotency_key=f"training:booking-{kind}:{booking.pk}")
    return {
        "booking": {
            "status": row.status,
            "booked_by": row.booked_by_id == row.learner_id,
            "confirmed": row.confirmed_at is not None,
            "cancelled_at": row.cancelled_at,
            "attendance_marked_at": row.attendance_marked_at,
            "evaluated": row.post_course_evaluation_completed_at,
            "stamped": abs((row.updated_at - row.created_at).total_seconds()) < 1,
        },
        "audit": {
            "action": audit.action,
            "actor": audit.actor_id == row.learner_id,
            "actor_email": audit.actor_email == row.learner.email,
            "target_type": audit.target_type.model if audit.target_type else None,
            "ip_address": audit.ip_address,
            "user_agent": audit.user_agent,
            "details": sorted(audit.details) == ["learner", "session"]
            and audit.details["session"] == row.session_id
            and audit.details["learner"] == row.learner_id,
        },
        # Integration tests commit, and Celery runs eagerly here: it is delivered by now.
        "outbox": _outbox(_delivered(message), row),
    }


def _outbox(message: OutboxMessage, booking: Booking) -> dict[str, Any]:
    return {
        "kind": message.kind,
        "status": message.status,
        "renderer": message.renderer,
        "context": {**message.context, "booking": message.context["booking"] == booking.pk},
        "recipients": message.recipients == [booking.learner.email],
        "subject": message.subject,
        "body": bool(message.body_text.strip()),
        "attachments": [(a["filename"][-4:], a["mimetype"]) for a in message.attachments],
        "attempts": message.attempts,
        "last_error": message.last_error,
        "sent": message.sent_at is not None,
        "body_html": message.body_html,
    }


def _delivered(message: OutboxMessage) -> OutboxMessage:
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    return message


def test_the_function_and_the_orm_write_the_same_rows(learners):
    assert connection.vendor == "postgresql"
    session = SessionFactory(capacity=2)
    request = _request()
    shapes = []
    for learner, book in zip(
        learners,
        [bookings._book_in_database, bookings._book_through_orm] * 2,
        strict=True,
    ):
        made = book(
            session=Session(pk=session.pk),  # as the view passes it: nothing read
            learner=learner,
            actor=learner,
            request=request,
        )
        shapes.append(_shape(made))
    function_booked, orm_booked, function_waiting, orm_waiting = shapes
    assert function_booked == orm_booked
    assert function_waiting == orm_waiting
    assert function_booked["booking"]["status"] == "booked"
    assert function_waiting["booking"]["status"] == "waitlisted"
    assert function_booked["outbox"]["renderer"] == bookings.BOOKING_EMAIL
    assert function_booked["outbox"]["recipients"] is True
    assert function_booked["outbox"]["subject"] == f"You have a place: {session.course.title}"
    assert function_booked["outbox"]["attachments"] == [(".ics", "text/calendar")]
    assert function_waiting["outbox"]["context"] == {
        "booking": True,
        "template": "booking_waitlisted",
    }
    positions = list(
        Booking.objects.filter(session=session, status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
    )
    assert sorted(p or 0 for p in positions) == [1, 2]


def test_the_function_writes_every_column_of_the_three_tables():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('training_book_places'::regproc)")
        [source] = cursor.fetchone()
    for model in (Booking, AuditEvent, OutboxMessage):
        block = source.split(f"INSERT INTO {model._meta.db_table} (", 1)[1].split(")", 1)[0]
        written = {column.strip() for column in block.split(",")}
        columns = {field.column for field in model._meta.concrete_fields}
        assert written == columns - WRITTEN_BY_THE_DATABASE, model.__name__


def test_a_session_that_does_not_exist_or_has_started_is_refused(learners):
    missing = Session(pk=987_654_321)
    with pytest.raises(Session.DoesNotExist):
        bookings.booking_create(session=missing, learner=learners[0], actor=learners[0])
    started = SessionFactory(starts_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(TrainingError, match="already started"):
        bookings.booking_create(
            session=Session(pk=started.pk), learner=learners[0], actor=learners[0]
        )
    assert not Booking.objects.filter(learner=learners[0]).exists()


def test_refusals_leave_nothing_behind(learners):
    session = SessionFactory(capacity=1)
    bookings.booking_create(session=session, learner=learners[0], actor=learners[0])
    before = (Booking.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(TrainingError, match="already has a booking"):
        bookings.booking_create(session=session, learner=learners[0], actor=learners[0])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    with pytest.raises(TrainingError, match="cancelled"):
        bookings.booking_create(session=session, learner=learners[1], actor=learners[1])
    after = (Booking.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count())
    assert after == before
