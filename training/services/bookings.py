"""Booking a place, the waiting list, cancelling, and promotion when a place frees.

Capacity holds under concurrent requests because every change to a session's bookings first
locks the session row (`select_for_update`) inside the transaction, then counts. On SQLite
the settings begin every transaction IMMEDIATE, which serialises writers the same way.

On PostgreSQL a booking is one call to `training_book_place` (migration training 0003, ADR
0012): the same lock, count and three INSERTs, without a trip back to Python while the lock
is held, so a hundred people booking one session at once are not queued behind each
other's round trips.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from core.services import audit_record, outbox_publish
from training.documents import session_location
from training.models import Booking, Session
from training.selectors.sessions import session_to_book
from training.services._common import (
    Email,
    TrainingError,
    render_email,
    send_email,
    session_url,
)


def _lock(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("course__programme")
        .get(pk=session.pk)
    )


def _email_context(booking: Booking, session: Session) -> dict[str, Any]:
    return {
        "booking": booking,
        "session": session,
        "learner": booking.learner,
        "location": session_location(session),
        "url": session_url(session),
    }


def _booked_email(booking: Booking, session: Session, *, promoted: bool = False) -> Email:
    return render_email(
        to=booking.learner.email,
        subject=f"You have a place: {session.course.title}",
        template="booking_promoted" if promoted else "booking_confirmed",
        context=_email_context(booking, session),
        invite_for=session,
    )


def _waitlisted_email(booking: Booking, session: Session) -> Email:
    return render_email(
        to=booking.learner.email,
        subject=f"You are on the waiting list: {session.course.title}",
        template="booking_waitlisted",
        context=_email_context(booking, session),
    )


def _tell_booked(booking: Booking, session: Session, *, promoted: bool = False) -> None:
    _booked_email(booking, session, promoted=promoted).queue(
        key=f"training:booking-confirmed:{booking.pk}"
    )


def _as_shown(session: Session) -> tuple[Any, ...]:
    """Everything of a session, its course and programme an email could show."""
    course = session.course
    return tuple(
        getattr(instance, field.attname)
        for instance in (session, course, course.programme)
        for field in type(instance)._meta.concrete_fields
    )


def _places_taken(session: Session) -> int:
    return Booking.objects.filter(session=session, status__in=Booking.PLACE_HOLDING).count()


def booking_create(
    *, session: Session, learner: User, actor: User, request: HttpRequest | None = None
) -> Booking:
    """Book the learner a place, or put them on the waiting list when the session is full."""
    if connection.vendor == "postgresql":
        return _book_in_database(session=session, learner=learner, actor=actor, request=request)
    return _book_through_orm(session=session, learner=learner, actor=actor, request=request)


_REFUSED = {
    "cancelled": "This session has been cancelled.",
    "started": "This session has already started.",
}


def _drafts(booking: Booking, session: Session) -> dict[str, str]:
    """Both emails as JSON for the function, which queues the one its count calls for:
    rendering both is cheaper than a count before the lock, out of date by then anyway."""
    return {
        status: _email_json(email)
        for status, email in (
            (Booking.Status.BOOKED, _booked_email(booking, session)),
            (Booking.Status.WAITLISTED, _waitlisted_email(booking, session)),
        )
    }


def _email_json(email: Email) -> str:
    return json.dumps(
        {
            "recipients": [email.to],
            "subject": email.subject[:255],
            "body_text": email.body,
            "attachments": list(email.attachments),
        }
    )


def _book_in_database(
    *, session: Session, learner: User, actor: User, request: HttpRequest | None
) -> Booking:
    """One call to `training_book_place`; the emails are rendered before it, as below."""
    booking = Booking(session=session, learner=learner, booked_by=actor)
    if getattr(session, "fingerprint", None) is None:
        session = session_to_book(pk=session.pk)
    drafts = _drafts(booking, session)
    audit = json.dumps(
        {
            "actor_email": actor.email,
            "target_type_id": ContentType.objects.get_for_model(Booking).pk,
            "ip_address": (request.META.get("REMOTE_ADDR") or None) if request else None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300] if request else "",
        }
    )
    for _ in range(5):
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT outcome, booking_id, waitlist_position, message_id "
                "FROM training_book_place(%s::bigint, %s::bigint, %s::bigint, "
                "%s::timestamptz, %s::text, %s::jsonb, %s::jsonb, %s::jsonb)",
                [
                    session.pk,
                    learner.pk,
                    actor.pk,
                    now,
                    session.fingerprint,  # type: ignore[attr-defined]
                    audit,
                    drafts[Booking.Status.BOOKED],
                    drafts[Booking.Status.WAITLISTED],
                ],
            )
            outcome, booking_id, position, message_id = cursor.fetchone()
        if outcome == "missing":
            raise Session.DoesNotExist("Session matching query does not exist.")
        if outcome in _REFUSED:
            raise TrainingError(_REFUSED[outcome])
        if outcome == "duplicate":
            raise TrainingError(f"{learner} already has a booking for this session.")
        if outcome == "changed":  # the session changed since its emails were rendered
            session = session_to_book(pk=session.pk)
            booking.session = session
            drafts = _drafts(booking, session)
            continue
        booking.pk = booking_id
        booking.status = outcome
        booking.waitlist_position = position
        booking.confirmed_at = now if outcome == Booking.Status.BOOKED else None
        booking.created_at = booking.updated_at = now
        booking._state.adding = False
        booking._state.db = connection.alias
        if message_id is not None:
            transaction.on_commit(partial(outbox_publish, message_id=message_id))
        return booking
    raise TrainingError("This session is being changed. Try booking again in a moment.")


def _book_through_orm(
    *, session: Session, learner: User, actor: User, request: HttpRequest | None
) -> Booking:
    """Book the learner a place, or put them on the waiting list when the session is full.

    The emails are rendered before the session row is locked, so concurrent bookings of one
    session queue behind a few INSERTs, not behind template and calendar rendering; should
    the session change before the lock is taken, the email is rendered again inside it.
    """
    booking = Booking(session=session, learner=learner, booked_by=actor)
    shown = _as_shown(session)
    drafts: dict[str, Email] = {
        Booking.Status.WAITLISTED: _waitlisted_email(booking, session),
    }
    taken = getattr(session, "places_taken", None)  # counted by the selector, if it did
    if (_places_taken(session) if taken is None else taken) < session.capacity:
        drafts[Booking.Status.BOOKED] = _booked_email(booking, session)
    with transaction.atomic():
        locked = _lock(session)
        if locked.is_cancelled:
            raise TrainingError("This session has been cancelled.")
        if locked.starts_at <= timezone.now():
            raise TrainingError("This session has already started.")
        # One read under the lock: the learner's own booking, places taken, the list's end.
        tally = Booking.objects.filter(session=locked).aggregate(
            mine=Count("pk", filter=Q(learner=learner, status__in=Booking.ACTIVE)),
            taken=Count("pk", filter=Q(status__in=Booking.PLACE_HOLDING)),
            last=Max("waitlist_position"),
        )
        if tally["mine"]:
            raise TrainingError(f"{learner} already has a booking for this session.")
        now = timezone.now()
        booking.session = locked
        if tally["taken"] < locked.capacity:
            booking.status = Booking.Status.BOOKED
            booking.confirmed_at = now
        else:
            booking.status = Booking.Status.WAITLISTED
            booking.waitlist_position = (tally["last"] or 0) + 1
        booking.save()
        audit_record(
            actor=actor,
            action=f"training.booking_{booking.status}",
            target=booking,
            request=request,
            details={"session": locked.pk, "learner": learner.pk},
        )
        email = drafts.get(booking.status) if _as_shown(locked) == shown else None
        if booking.status == Booking.Status.BOOKED:
            (email or _booked_email(booking, locked)).queue(
                key=f"training:booking-confirmed:{booking.pk}"
            )
        else:
            (email or _waitlisted_email(booking, locked)).queue(
                key=f"training:booking-waitlisted:{booking.pk}"
            )
    return booking


def _promote_waitlisted(session: Session, *, actor: User | None) -> list[Booking]:
    """Fill free places from the front of the waiting list (the session row is locked)."""
    free = session.capacity - _places_taken(session)
    if free <= 0 or session.is_cancelled or session.starts_at <= timezone.now():
        return []
    promoted = list(
        Booking.objects.filter(session=session, status=Booking.Status.WAITLISTED)
        .select_related("learner")
        .order_by("waitlist_position")[:free]
    )
    for booking in promoted:
        booking.status = Booking.Status.BOOKED
        booking.waitlist_position = None
        booking.confirmed_at = timezone.now()
        booking.save(update_fields=["status", "waitlist_position", "confirmed_at", "updated_at"])
        audit_record(actor=actor, action="training.booking_promoted", target=booking)
        _tell_booked(booking, session, promoted=True)
    return promoted


def booking_cancel(
    *, booking: Booking, actor: User, request: HttpRequest | None = None
) -> list[Booking]:
    """Cancel a place or a waiting-list entry; returns the bookings promoted into the place."""
    with transaction.atomic():
        session = _lock(booking.session)
        booking = Booking.objects.select_related("learner").get(pk=booking.pk)
        if booking.status not in (Booking.Status.BOOKED, Booking.Status.WAITLISTED):
            raise TrainingError("This booking cannot be cancelled now.")
        if session.starts_at <= timezone.now():
            raise TrainingError("This session has already started.")
        booking.status = Booking.Status.CANCELLED
        booking.waitlist_position = None
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "waitlist_position", "cancelled_at", "updated_at"])
        audit_record(
            actor=actor, action="training.booking_cancelled", target=booking, request=request
        )
        send_email(
            key=f"training:booking-cancelled:{booking.pk}",
            to=booking.learner.email,
            subject=f"Booking cancelled: {session.course.title}",
            template="booking_cancelled",
            context=_email_context(booking, session),
        )
        return _promote_waitlisted(session, actor=actor)


def waitlist_fill(*, session: Session, actor: User | None) -> list[Booking]:
    """Promote from the waiting list into any free places (after capacity grows)."""
    with transaction.atomic():
        return _promote_waitlisted(_lock(session), actor=actor)
