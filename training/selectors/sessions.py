"""Reads for the catalogue, sessions, bookings and a learner's own training."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import access
from accounts.access import Permission
from accounts.models import Role, User
from training.models import (
    Booking,
    Completion,
    Course,
    Programme,
    Session,
)

PLACES_TAKEN = Count("bookings", filter=Q(bookings__status__in=Booking.PLACE_HOLDING))
WAITLISTED = Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED))


def sessions_with_places() -> QuerySet[Session]:
    """Sessions with `places_taken` and `waitlisted` counted in the same query."""
    return Session.objects.annotate(places_taken=PLACES_TAKEN, waitlisted=WAITLISTED)


def catalogue_courses(
    *,
    programme: Programme | None = None,
    mode: str = "",
    area_id: int | None = None,
    on_or_after: date | None = None,
    free_only: bool = False,
) -> QuerySet[Course]:
    """Active courses, free and cheapest first, each with its upcoming sessions prefetched
    as `upcoming`; borough and date filters keep courses with a matching session."""
    sessions = sessions_with_places().filter(
        status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
    )
    if area_id is not None:
        sessions = sessions.filter(area_id=area_id)
    if on_or_after is not None:
        sessions = sessions.filter(starts_at__date__gte=on_or_after)
    courses = Course.objects.filter(is_active=True).select_related("programme", "provider")
    if programme is not None:
        courses = courses.filter(programme=programme)
    if mode:
        courses = courses.filter(delivery_mode=mode)
    if free_only:
        courses = courses.filter(cost_pence=0)
    if area_id is not None or on_or_after is not None:
        courses = courses.filter(pk__in=sessions.values("course_id"))
    return courses.order_by("cost_pence", "title").prefetch_related(
        Prefetch(
            "sessions",
            queryset=sessions.select_related("area").order_by("starts_at"),
            to_attr="upcoming",
        )
    )


def course_get(*, pk: int) -> Course:
    return Course.objects.select_related("programme", "provider").get(pk=pk, is_active=True)


def session_get(*, pk: int) -> Session:
    """Any session (the catalogue is open to the whole partnership), with its counts."""
    return (
        sessions_with_places()
        .select_related("course__programme", "course__provider", "area", "organisation")
        .prefetch_related("trainers")
        .get(pk=pk)
    )


def booking_of(*, session: Session, learner: Any) -> Booking | None:
    """The learner's current booking for the session, if any."""
    return (
        Booking.objects.filter(session=session, learner=learner, status__in=Booking.ACTIVE)
        .order_by("-created_at")
        .first()
    )


def waitlist_place(*, booking: Booking) -> int:
    """1 for the front of the waiting list."""
    return (
        Booking.objects.filter(
            session_id=booking.session_id,
            status=Booking.Status.WAITLISTED,
            waitlist_position__lt=booking.waitlist_position,
        ).count()
        + 1
    )


def sessions_manageable(user: Any) -> QuerySet[Session]:
    """Sessions the user may run: their organisations' (RUN_SESSIONS) and those they teach."""
    orgs = access.organisations_in_scope(user, Permission.RUN_SESSIONS)
    if not access.can(user, Permission.RUN_SESSIONS):
        return Session.objects.none()
    ids = Session.objects.filter(Q(organisation__in=orgs) | Q(trainers=user)).values("pk")
    return (
        sessions_with_places()
        .filter(pk__in=ids)
        .select_related("course__programme", "area", "organisation")
    )


def session_manageable_get(user: Any, *, pk: int) -> Session:
    """One session the user may run, or 404 (out of scope looks the same as absent)."""
    session = sessions_manageable(user).prefetch_related("trainers").filter(pk=pk).first()
    if session is None:
        raise Http404("Not found")
    return session


def register_bookings(*, session: Session) -> QuerySet[Booking]:
    """People with a place on the session, for the register, by name."""
    return (
        Booking.objects.filter(session=session, status__in=Booking.PLACE_HOLDING)
        .select_related("learner")
        .order_by("learner__full_name", "learner__email")
    )


def session_bookings(*, session: Session) -> QuerySet[Booking]:
    """Everyone booked or waiting, places first then the waiting list in order."""
    return (
        Booking.objects.filter(session=session, status__in=Booking.ACTIVE)
        .select_related("learner__organisation")
        .order_by("waitlist_position", "created_at")
    )


def trainers_for(user: Any) -> QuerySet[User]:
    """People who may be named as a session's trainers by this user."""
    orgs = access.organisations_in_scope(user, Permission.RUN_SESSIONS)
    return (
        User.objects.filter(
            Q(pk=getattr(user, "pk", None))
            | Q(
                role_memberships__organisation__in=orgs,
                role_memberships__role__in=[Role.TRAINER, Role.TRAINING_LEAD],
            ),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def staff_bookable_by(user: Any) -> QuerySet[User]:
    """Staff a training lead may book onto training (MANAGE_STAFF scope)."""
    return access.scope(
        User.objects.filter(is_active=True), user, Permission.MANAGE_STAFF
    ).order_by("full_name", "email")


# --- The learner's own training -----------------------------------------------------------


def learner_bookings(*, learner: Any) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(learner=learner)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("session__course__programme", "session__area")
        .order_by("-session__starts_at")
    )


def learner_completions(*, learner: Any) -> QuerySet[Completion]:
    return Completion.objects.filter(learner=learner).select_related("course__programme", "booking")


def completion_of_learner(*, learner: Any, pk: int) -> Completion:
    """The learner's own completion, or 404."""
    return get_object_or_404(learner_completions(learner=learner), pk=pk)


def completion_by_code(*, code: str) -> Completion | None:
    return (
        Completion.objects.filter(verification_code=code)
        .select_related("learner", "course__programme")
        .first()
    )
