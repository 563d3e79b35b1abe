"""Creating, changing and cancelling sessions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Area, Organisation, User
from core.services import audit_record, change_record
from training.documents import session_location
from training.models import Booking, Course, Session
from training.selectors.rollups import SESSION_STREAM, session_bucket
from training.services._common import TrainingError, send_email, session_url
from training.services.bookings import waitlist_fill


def session_create(
    *,
    actor: User,
    course: Course,
    organisation: Organisation,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    trainers: Iterable[User],
    venue_name: str = "",
    venue_address: str = "",
    area: Area | None = None,
    joining_url: str = "",
    trainer_cost_pence: int = 0,
    venue_cost_pence: int = 0,
    materials_cost_pence: int = 0,
    request: HttpRequest | None = None,
) -> Session:
    """Schedule a session of a course run by the organisation."""
    with transaction.atomic():
        session = Session.objects.create(
            course=course,
            organisation=organisation,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            venue_name=venue_name,
            venue_address=venue_address,
            area=area,
            joining_url=joining_url,
            trainer_cost_pence=trainer_cost_pence,
            venue_cost_pence=venue_cost_pence,
            materials_cost_pence=materials_cost_pence,
        )
        session.trainers.set(list(trainers))
        change_record(stream=SESSION_STREAM, keys=[session_bucket(session)])
        audit_record(
            actor=actor, action="training.session_created", target=session, request=request
        )
    return session


SESSION_FIELDS = (
    "starts_at",
    "ends_at",
    "capacity",
    "venue_name",
    "venue_address",
    "area",
    "joining_url",
    "trainer_cost_pence",
    "venue_cost_pence",
    "materials_cost_pence",
)


def session_update(
    *,
    session: Session,
    actor: User,
    trainers: Iterable[User],
    request: HttpRequest | None = None,
    **changes: object,
) -> Session:
    """Change a session's details; a larger capacity fills places from the waiting list."""
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"session_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.is_cancelled:
            raise TrainingError("A cancelled session cannot be changed.")
        taken = Booking.objects.filter(session=locked, status__in=Booking.PLACE_HOLDING).count()
        capacity = changes.get("capacity", locked.capacity)
        if isinstance(capacity, int) and capacity < taken:
            raise TrainingError(
                f"{taken} people have places, so the session needs at least {taken} places."
            )
        old_bucket = session_bucket(locked)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save()
        change_record(stream=SESSION_STREAM, keys=[old_bucket, session_bucket(locked)])
        locked.trainers.set(list(trainers))
        audit_record(
            actor=actor,
            action="training.session_updated",
            target=locked,
            request=request,
            details={"fields": sorted(changes)},
        )
        waitlist_fill(session=locked, actor=actor)
    return locked


def session_cancel(
    *, session: Session, actor: User, reason: str, request: HttpRequest | None = None
) -> Session:
    """Cancel the session and tell everyone booked or waiting, with a calendar cancellation."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
        if locked.is_cancelled:
            raise TrainingError("This session is already cancelled.")
        if locked.starts_at <= timezone.now():
            raise TrainingError("A session that has started cannot be cancelled.")
        locked.status = Session.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancellation_reason = reason
        locked.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
        change_record(stream=SESSION_STREAM, keys=[session_bucket(locked)])
        affected = list(
            Booking.objects.filter(
                session=locked, status__in=(Booking.Status.BOOKED, Booking.Status.WAITLISTED)
            ).select_related("learner")
        )
        Booking.objects.filter(pk__in=[b.pk for b in affected]).update(
            status=Booking.Status.CANCELLED,
            waitlist_position=None,
            cancelled_at=locked.cancelled_at,
            updated_at=locked.cancelled_at,
        )
        for booking in affected:
            send_email(
                key=f"training:session-cancelled:{locked.pk}:{booking.pk}",
                to=booking.learner.email,
                subject=f"Session cancelled: {locked.course.title}",
                template="session_cancelled",
                context={
                    "session": locked,
                    "learner": booking.learner,
                    "reason": reason,
                    "location": session_location(locked),
                    "url": session_url(locked),
                },
                invite_for=locked,
                cancelled=True,
            )
        audit_record(
            actor=actor,
            action="training.session_cancelled",
            target=locked,
            request=request,
            details={"bookings_cancelled": len(affected)},
        )
    return locked
