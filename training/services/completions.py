"""The register, completions with certificates, and the post-course evaluation hook."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from core.services import audit_record, change_record
from training.models import Booking, Completion, Course, Session
from training.selectors.rollups import (
    COMPLETION_STREAM,
    SESSION_STREAM,
    completion_bucket,
    session_bucket,
)
from training.services._common import TrainingError, add_months

# The register opens this long before a session starts (trainers arrive early).
REGISTER_OPENS_BEFORE = timedelta(hours=1)
MARKABLE = (Booking.Status.BOOKED, Booking.Status.ATTENDED, Booking.Status.NO_SHOW)


def certificate_number_new(course: Course, completed_on: date) -> str:
    return f"{course.programme.code.upper()}-{completed_on.year}-{secrets.token_hex(4).upper()}"


def verification_code_new() -> str:
    return secrets.token_urlsafe(16)


def expiry_for(course: Course, completed_on: date) -> date | None:
    months = course.programme.certificate_validity_months
    return None if months is None else add_months(completed_on, months)


def _issue(booking: Booking, session: Session) -> Completion:
    completed_on = timezone.localdate(session.starts_at)
    return Completion.objects.create(
        learner=booking.learner,
        course=session.course,
        booking=booking,
        completed_on=completed_on,
        certificate_number=certificate_number_new(session.course, completed_on),
        verification_code=verification_code_new(),
        issued_on=timezone.localdate(),
        expires_on=expiry_for(session.course, completed_on),
        source=Completion.Source.REGISTER,
    )


def register_is_open(session: Session, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return not session.is_cancelled and session.starts_at - REGISTER_OPENS_BEFORE <= now


def register_record(
    *,
    session: Session,
    actor: User,
    attendance: Mapping[int, str],
    request: HttpRequest | None = None,
) -> int:
    """Mark bookings attended or no-show (by booking id); attendance issues a certificate.

    Marking someone a no-show after all withdraws the certificate the register issued.
    Returns how many bookings changed.
    """
    allowed = {Booking.Status.ATTENDED.value, Booking.Status.NO_SHOW.value}
    if not set(attendance.values()) <= allowed:
        raise TrainingError("Choose attended or did not attend for each person.")
    with transaction.atomic():
        locked = (
            Session.objects.select_for_update()
            .select_related("course__programme")
            .get(pk=session.pk)
        )
        if not register_is_open(locked):
            raise TrainingError("The register opens an hour before the session starts.")
        bookings = (
            Booking.objects.filter(session=locked, pk__in=list(attendance), status__in=MARKABLE)
            .select_related("learner", "completion")
            .order_by("pk")
        )
        changed = 0
        completions_changed: list[str] = []
        for booking in bookings:
            status = attendance[booking.pk]
            if booking.status == status:
                continue
            booking.status = status
            booking.attendance_marked_at = timezone.now()
            booking.save(update_fields=["status", "attendance_marked_at", "updated_at"])
            existing = getattr(booking, "completion", None)
            if status == Booking.Status.ATTENDED and existing is None:
                _issue(booking, locked)
            elif status == Booking.Status.NO_SHOW and existing is not None:
                existing.delete()
            completions_changed.append(
                completion_bucket(
                    completed_on=existing.completed_on
                    if existing is not None
                    else timezone.localdate(locked.starts_at),
                    organisation_id=booking.learner.organisation_id,
                )
            )
            changed += 1
        if changed:
            change_record(stream=COMPLETION_STREAM, keys=completions_changed)
            change_record(stream=SESSION_STREAM, keys=[session_bucket(locked)])
        audit_record(
            actor=actor,
            action="training.register_taken",
            target=locked,
            request=request,
            details={"changed": changed},
        )
    return changed


def completion_record_evaluation(
    *, learner_id: int, session_id: int, completed_at: datetime | None = None
) -> Booking | None:
    """Note that the learner finished the session's post-course evaluation (the evaluation
    app calls this); it releases a certificate held back for it. None if no such booking."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .filter(learner_id=learner_id, session_id=session_id, status__in=Booking.ACTIVE)
            .first()
        )
        if booking is None:
            return None
        if booking.post_course_evaluation_completed_at is None:
            booking.post_course_evaluation_completed_at = completed_at or timezone.now()
            booking.save(update_fields=["post_course_evaluation_completed_at", "updated_at"])
            audit_record(actor=None, action="training.evaluation_completed", target=booking)
    return booking


def certificate_for_download(*, completion: Completion) -> Completion:
    """The completion, if its certificate may be downloaded now; TrainingError if held back."""
    if not completion.certificate_released:
        raise TrainingError("Complete the post-course evaluation to get your certificate.")
    return completion
