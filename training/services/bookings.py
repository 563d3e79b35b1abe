"""Booking a place, the waiting list, cancelling, and promotion when a place frees.

Capacity holds under concurrent requests because every change to a session's bookings first
locks the session row (`select_for_update`) inside the transaction, then counts. On SQLite
the settings begin every transaction IMMEDIATE, which serialises writers the same way.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from core.services import audit_record
from training.documents import session_location
from training.models import Booking, Session
from training.services._common import TrainingError, send_email, session_url


def _lock(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("course").get(pk=session.pk)


def _email_context(booking: Booking, session: Session) -> dict[str, Any]:
    return {
        "booking": booking,
        "session": session,
        "learner": booking.learner,
        "location": session_location(session),
        "url": session_url(session),
    }


def _tell_booked(booking: Booking, session: Session, *, promoted: bool = False) -> None:
    send_email(
        key=f"training:booking-confirmed:{booking.pk}",
        to=booking.learner.email,
        subject=f"You have a place: {session.course.title}",
        template="booking_promoted" if promoted else "booking_confirmed",
        context=_email_context(booking, session),
        invite_for=session,
    )


def _places_taken(session: Session) -> int:
    return Booking.objects.filter(session=session, status__in=Booking.PLACE_HOLDING).count()


def booking_create(
    *, session: Session, learner: User, actor: User, request: HttpRequest | None = None
) -> Booking:
    """Book the learner a place, or put them on the waiting list when the session is full."""
    with transaction.atomic():
        locked = _lock(session)
        if locked.is_cancelled:
            raise TrainingError("This session has been cancelled.")
        if locked.starts_at <= timezone.now():
            raise TrainingError("This session has already started.")
        active = Booking.objects.filter(session=locked, learner=learner, status__in=Booking.ACTIVE)
        if active.exists():
            raise TrainingError(f"{learner} already has a booking for this session.")
        now = timezone.now()
        booking = Booking(session=locked, learner=learner, booked_by=actor)
        if _places_taken(locked) < locked.capacity:
            booking.status = Booking.Status.BOOKED
            booking.confirmed_at = now
        else:
            last = Booking.objects.filter(session=locked).aggregate(last=Max("waitlist_position"))
            booking.status = Booking.Status.WAITLISTED
            booking.waitlist_position = (last["last"] or 0) + 1
        booking.save()
        audit_record(
            actor=actor,
            action=f"training.booking_{booking.status}",
            target=booking,
            request=request,
            details={"session": locked.pk, "learner": learner.pk},
        )
        if booking.status == Booking.Status.BOOKED:
            _tell_booked(booking, locked)
        else:
            send_email(
                key=f"training:booking-waitlisted:{booking.pk}",
                to=learner.email,
                subject=f"You are on the waiting list: {locked.course.title}",
                template="booking_waitlisted",
                context=_email_context(booking, locked),
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
