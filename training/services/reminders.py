"""Reminders run by Celery beat. Each one has its own outbox idempotency key, so running the
job again (or twice at once) never sends a reminder twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from training.documents import absolute_url, session_location
from training.models import Booking, Completion, Session
from training.services._common import send_email, session_url

DEFAULT_OFFSET_HOURS = (48, 2)
EXPIRY_NOTICE_DAYS = (60, 30)
# Evaluation invitations are not sent for sessions that ended longer ago than this.
EVALUATION_INVITE_WINDOW = timedelta(days=14)
# The evaluation app's post-course survey, when it exists (it takes the booking id).
EVALUATION_URL_NAME = "evaluation:post_course_survey"


def reminder_offsets() -> list[timedelta]:
    """TRAINING_REMINDER_OFFSET_HOURS (default 48 and 2), largest first."""
    hours = getattr(settings, "TRAINING_REMINDER_OFFSET_HOURS", DEFAULT_OFFSET_HOURS)
    return sorted((timedelta(hours=h) for h in set(hours)), reverse=True)


def evaluation_url(booking: Booking) -> str:
    """The post-course evaluation for this booking, or, until the evaluation app provides
    `evaluation:post_course_survey`, the session page (a documented placeholder)."""
    try:
        path = reverse(EVALUATION_URL_NAME, kwargs={"booking_id": booking.pk})
    except NoReverseMatch:
        path = reverse("training:session_detail", args=[booking.session_id])
    return absolute_url(path)


def _session_reminders(now: datetime) -> int:
    offsets = reminder_offsets()
    sent = 0
    for index, offset in enumerate(offsets):
        # Only the nearest reminder due is sent: a late booking does not get every one.
        later = offsets[index + 1] if index + 1 < len(offsets) else timedelta(0)
        label = f"{int(offset.total_seconds() // 3600)}h"
        bookings = Booking.objects.filter(
            status=Booking.Status.BOOKED,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gt=now + later,
            session__starts_at__lte=now + offset,
        ).select_related("learner", "session__course")
        for booking in bookings:
            session = booking.session
            if booking.confirmed_at and booking.confirmed_at > session.starts_at - offset:
                continue  # the confirmation was sent inside this window already
            send_email(
                key=f"training:reminder:{booking.pk}:{label}",
                to=booking.learner.email,
                subject=f"Reminder: {session.course.title}",
                template="session_reminder",
                context={
                    "session": session,
                    "learner": booking.learner,
                    "location": session_location(session),
                    "url": session_url(session),
                },
            )
            sent += 1
    return sent


def _trainer_reminders(now: datetime) -> int:
    hours = settings.TRAINING_TRAINER_REMINDER_HOURS
    sessions = (
        Session.objects.filter(
            status=Session.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=hours),
        )
        .select_related("course")
        .prefetch_related("trainers")
    )
    sent = 0
    for session in sessions:
        register = absolute_url(reverse("training:session_register", args=[session.pk]))
        for trainer in session.trainers.all():
            send_email(
                key=f"training:trainer-reminder:{session.pk}:{trainer.pk}",
                to=trainer.email,
                subject=f"Your session and register: {session.course.title}",
                template="trainer_reminder",
                context={
                    "session": session,
                    "trainer": trainer,
                    "location": session_location(session),
                    "register_url": register,
                },
            )
            sent += 1
    return sent


def _expiry_reminders(now: datetime) -> int:
    today = timezone.localdate(now)
    renewed = Completion.objects.filter(
        learner=OuterRef("learner"),
        course__programme=OuterRef("course__programme"),
        completed_on__gt=OuterRef("completed_on"),
    )
    sent = 0
    days_list = sorted(EXPIRY_NOTICE_DAYS, reverse=True)
    for index, days in enumerate(days_list):
        nearer = days_list[index + 1] if index + 1 < len(days_list) else 0
        completions = (
            Completion.objects.filter(
                expires_on__gt=today + timedelta(days=nearer),
                expires_on__lte=today + timedelta(days=days),
            )
            .exclude(Exists(renewed))
            .select_related("learner", "course__programme")
        )
        for completion in completions:
            send_email(
                key=f"training:expiry:{completion.pk}:{days}d",
                to=completion.learner.email,
                subject=f"Your {completion.course.programme.name} certificate expires soon",
                template="certificate_expiring",
                context={
                    "completion": completion,
                    "learner": completion.learner,
                    "catalogue_url": absolute_url(reverse("training:catalogue")),
                },
            )
            sent += 1
    return sent


def _evaluation_invitations(now: datetime) -> int:
    bookings = Booking.objects.filter(
        status=Booking.Status.ATTENDED,
        post_course_evaluation_completed_at__isnull=True,
        session__ends_at__lte=now,
        session__ends_at__gt=now - EVALUATION_INVITE_WINDOW,
    ).select_related("learner", "session__course__programme")
    sent = 0
    for booking in bookings:
        programme = booking.session.course.programme
        send_email(
            key=f"training:evaluation:{booking.pk}",
            to=booking.learner.email,
            subject=f"Tell us about your training: {booking.session.course.title}",
            template="evaluation_invitation",
            context={
                "session": booking.session,
                "learner": booking.learner,
                "url": evaluation_url(booking),
                "certificate_held": programme.requires_post_course_evaluation,
            },
        )
        sent += 1
    return sent


def reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Queue every reminder that is due now (each at most once, ever)."""
    now = now or timezone.now()
    return {
        "session": _session_reminders(now),
        "trainer": _trainer_reminders(now),
        "expiry": _expiry_reminders(now),
        "evaluation": _evaluation_invitations(now),
    }
