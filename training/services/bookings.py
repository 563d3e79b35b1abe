"""Booking a place, the waiting list, cancelling, and promotion when a place frees.

Capacity holds under concurrent requests because every change to a session's bookings first
locks the session row (`select_for_update`) inside the transaction, then counts. On SQLite
the settings begin every transaction IMMEDIATE, which serialises writers the same way.

On PostgreSQL a booking is one call to `training_book_places` (migration training 0005,
ADRs 0012 and 0015): the same checks, lock, count and three INSERTs, without a trip back to
Python while the lock is held, and the threads of a process booking the same session at
the same moment share one call, so a hundred people booking one session at once take far
fewer turns at its lock. The emails a booking sends are rendered by the worker when it
delivers them (ADR 0014), so booking reads nothing of the session in Python.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from core.combiner import Combiner
from core.services import (
    RenderedEmail,
    audit_record,
    outbox_enqueue_rendered_later,
    outbox_publish_soon,
    outbox_renderer,
)
from core.warm import WarmConnections
from training.documents import session_location
from training.models import Booking, Session
from training.services._common import (
    Email,
    TrainingError,
    render_email,
    session_url,
)

# The outbox renderer of every email about one booking; its context names the template.
BOOKING_EMAIL = "training.booking"


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


def _cancelled_email(booking: Booking, session: Session) -> Email:
    return render_email(
        to=booking.learner.email,
        subject=f"Booking cancelled: {session.course.title}",
        template="booking_cancelled",
        context=_email_context(booking, session),
    )


# template -> (idempotency key prefix, how it is rendered)
_EMAILS: dict[str, tuple[str, Callable[[Booking, Session], Email]]] = {
    "booking_confirmed": ("training:booking-confirmed", _booked_email),
    "booking_promoted": (
        "training:booking-confirmed",  # a promoted booking had no confirmation before
        partial(_booked_email, promoted=True),
    ),
    "booking_waitlisted": ("training:booking-waitlisted", _waitlisted_email),
    "booking_cancelled": ("training:booking-cancelled", _cancelled_email),
}


@outbox_renderer(BOOKING_EMAIL)
def render_booking_email(context: dict[str, Any]) -> RenderedEmail:
    """The email `_tell` queued, from the booking and session as they are when it is sent."""
    booking = Booking.objects.select_related("learner", "session__course__programme").get(
        pk=context["booking"]
    )
    _, render = _EMAILS[context["template"]]
    return render(booking, booking.session).rendered()


# The email a new booking sends, by the status it was given.
_ON_BOOKING = {
    Booking.Status.BOOKED: "booking_confirmed",
    Booking.Status.WAITLISTED: "booking_waitlisted",
}


def _tell(booking: Booking, template: str) -> None:
    """Queue the learner's email about this booking; the worker renders it (ADR 0014)."""
    prefix, _ = _EMAILS[template]
    outbox_enqueue_rendered_later(
        idempotency_key=f"{prefix}:{booking.pk}",
        renderer=BOOKING_EMAIL,
        context={"booking": booking.pk, "template": template},
    )


def _places_taken(session: Session) -> int:
    return Booking.objects.filter(session=session, status__in=Booking.PLACE_HOLDING).count()


def booking_create(
    *, session: Session, learner: User, actor: User, request: HttpRequest | None = None
) -> Booking:
    """Book the learner a place, or put them on the waiting list when the session is full.

    Only `session.pk` is read: the session is checked (it exists, is not cancelled, has not
    started) under its lock, so a `Session(pk=...)` not yet read will do; a session that
    does not exist raises `Session.DoesNotExist`.
    """
    if connection.vendor == "postgresql":
        return _book_in_database(session=session, learner=learner, actor=actor, request=request)
    return _book_through_orm(session=session, learner=learner, actor=actor, request=request)


_REFUSED = {
    "cancelled": "This session has been cancelled.",
    "started": "This session has already started.",
}


def _refuse(outcome: str, learner: User) -> None:
    if outcome == "missing":
        raise Session.DoesNotExist("Session matching query does not exist.")
    if outcome in _REFUSED:
        raise TrainingError(_REFUSED[outcome])
    if outcome == "duplicate":
        raise TrainingError(f"{learner} already has a booking for this session.")


@dataclass(frozen=True)
class _Request:
    learner: int
    actor: int
    audit: str  # JSON: who asked, from where


_Outcome = tuple[str, int | None, int | None, int | None]  # outcome, booking, position, message


def _book_places(cursor: Any, session_id: int, requests: list[_Request]) -> list[_Outcome]:
    """One call to `training_book_places` (migration training 0005) for these learners, in
    order: one turn at the session's row lock, one commit."""
    cursor.execute(
        "SELECT outcome, booking_id, waitlist_position, message_id "
        "FROM training_book_places(%s::bigint, %s::bigint[], %s::bigint[], "
        "%s::timestamptz, %s::jsonb[], %s::text) WITH ORDINALITY ORDER BY ordinality",
        [
            session_id,
            [request.learner for request in requests],
            [request.actor for request in requests],
            timezone.now(),
            [request.audit for request in requests],
            BOOKING_EMAIL,
        ],
    )
    return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]


# The connections combined bookings are made on, whichever thread leads (core.warm): a
# burst reaches PostgreSQL on one connection per process that has booked before, not on
# each thread's own (each new backend's first booking costs ~4 ms more, some of it under the
# session's row lock).
_warm = WarmConnections()


def _book_places_warm(session_id: int, requests: list[_Request]) -> list[_Outcome]:
    with _warm.cursor() as cursor:
        return _book_places(cursor, session_id, requests)


# One combiner per session being booked in this process (ADR 0015); dropped once unused.
_combiners: weakref.WeakValueDictionary[int, Combiner[_Request, _Outcome]] = (
    weakref.WeakValueDictionary()
)
_combiners_lock = threading.Lock()


def _combiner(session_id: int) -> Combiner[_Request, _Outcome]:
    with _combiners_lock:
        combiner = _combiners.get(session_id)
        if combiner is None:
            combiner = Combiner(partial(_book_places_warm, session_id))
            _combiners[session_id] = combiner
        return combiner


def _book_in_database(
    *, session: Session, learner: User, actor: User, request: HttpRequest | None
) -> Booking:
    """Book through `training_book_places`, with whoever else in this process is booking
    the same session at this moment (ADR 0015); the function also queues the email.

    Combined calls are made on this process's booking connection (`_warm`). Inside a
    transaction the call is made alone, on this thread's connection: the booking must be
    part of that transaction, and another connection's call would not be.
    """
    asked = _Request(
        learner=learner.pk,
        actor=actor.pk,
        audit=json.dumps(
            {
                "actor_email": actor.email,
                "target_type_id": ContentType.objects.get_for_model(Booking).pk,
                "ip_address": (request.META.get("REMOTE_ADDR") or None) if request else None,
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300] if request else "",
            }
        ),
    )
    if connection.in_atomic_block or not connection.get_autocommit():
        with connection.cursor() as cursor:
            [answer] = _book_places(cursor, session.pk, [asked])
    else:
        answer = _combiner(session.pk).call(asked)
    outcome, booking_id, position, message_id = answer
    _refuse(outcome, learner)
    now = timezone.now()
    booking = Booking(session_id=session.pk, learner=learner, booked_by=actor)
    booking.pk = booking_id
    booking.status = outcome
    booking.waitlist_position = position
    booking.confirmed_at = now if outcome == Booking.Status.BOOKED else None
    booking.created_at = booking.updated_at = now
    booking._state.adding = False
    booking._state.db = connection.alias
    if message_id is not None:
        transaction.on_commit(partial(outbox_publish_soon, message_id=message_id))
    return booking


def _book_through_orm(
    *, session: Session, learner: User, actor: User, request: HttpRequest | None
) -> Booking:
    """The same steps as `training_book_places`, for one learner, through the ORM (SQLite)."""
    booking = Booking(learner=learner, booked_by=actor)
    with transaction.atomic():
        try:
            locked = _lock(session)
        except Session.DoesNotExist:
            _refuse("missing", learner)
            raise
        if locked.is_cancelled:
            _refuse("cancelled", learner)
        if locked.starts_at <= timezone.now():
            _refuse("started", learner)
        # One read under the lock: the learner's own booking, places taken, the list's end.
        tally = Booking.objects.filter(session=locked).aggregate(
            mine=Count("pk", filter=Q(learner=learner, status__in=Booking.ACTIVE)),
            taken=Count("pk", filter=Q(status__in=Booking.PLACE_HOLDING)),
            last=Max("waitlist_position"),
        )
        if tally["mine"]:
            _refuse("duplicate", learner)
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
        _tell(booking, _ON_BOOKING[booking.status])
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
        _tell(booking, "booking_promoted")
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
        _tell(booking, "booking_cancelled")
        return _promote_waitlisted(session, actor=actor)


def waitlist_fill(*, session: Session, actor: User | None) -> list[Booking]:
    """Promote from the waiting list into any free places (after capacity grows)."""
    with transaction.atomic():
        return _promote_waitlisted(_lock(session), actor=actor)
