"""Reads the evaluation app's surveys and indicators make (it never queries training models)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any, Literal

from django.db.models import Count, QuerySet

from training.models import Booking, Completion, Session

CompletionGroup = Literal["programme", "organisation", "area", "staff_group"]
_COMPLETION_GROUPS: dict[str, str] = {
    "programme": "course__programme__code",
    "organisation": "learner__organisation_id",
    "area": "learner__organisation__area_id",
    "staff_group": "learner__staff_group",
}


def bookings_upcoming(*, now: datetime) -> QuerySet[Booking]:
    """Booked places on scheduled sessions not yet started, with learner and programme."""
    return Booking.objects.filter(
        status=Booking.Status.BOOKED,
        session__status=Session.Status.SCHEDULED,
        session__starts_at__gt=now,
    ).select_related("learner__organisation", "session__course__programme")


def bookings_attended_ended_between(*, start: datetime, end: datetime) -> QuerySet[Booking]:
    """Attended bookings on sessions that ended in [start, end), with learner and programme."""
    return Booking.objects.filter(
        status=Booking.Status.ATTENDED, session__ends_at__gte=start, session__ends_at__lt=end
    ).select_related("learner__organisation", "session__course__programme")


def booking_of_learner(*, learner: Any, pk: int) -> Booking | None:
    """The learner's own booking (any status), with its session and programme, or None."""
    return (
        Booking.objects.filter(learner=learner, pk=pk)
        .select_related("learner__organisation", "session__course__programme")
        .first()
    )


def _completions(
    *,
    start: date,
    end: date,
    organisation_ids: Collection[int] | None,
    area_ids: Collection[int] | None,
    programme_codes: Collection[str] | None,
    staff_groups: Collection[str] | None,
) -> QuerySet[Completion]:
    rows = Completion.objects.filter(completed_on__range=(start, end))
    if organisation_ids is not None:
        rows = rows.filter(learner__organisation_id__in=organisation_ids)
    if area_ids is not None:
        rows = rows.filter(learner__organisation__area_id__in=area_ids)
    if programme_codes is not None:
        rows = rows.filter(course__programme__code__in=programme_codes)
    if staff_groups is not None:
        rows = rows.filter(learner__staff_group__in=staff_groups)
    return rows


def people_completed(
    *,
    start: date,
    end: date,
    by: CompletionGroup | None = None,
    organisation_ids: Collection[int] | None = None,
    area_ids: Collection[int] | None = None,
    programme_codes: Collection[str] | None = None,
    staff_groups: Collection[str] | None = None,
) -> dict[Any, int]:
    """Distinct people completing a course in [start, end] within the filters, keyed by
    programme code, organisation id, area id or staff group; or {None: total} without `by`."""
    rows = _completions(
        start=start,
        end=end,
        organisation_ids=organisation_ids,
        area_ids=area_ids,
        programme_codes=programme_codes,
        staff_groups=staff_groups,
    )
    if by is None:
        return {None: rows.aggregate(n=Count("learner", distinct=True))["n"]}
    field = _COMPLETION_GROUPS[by]
    grouped = rows.values(field).annotate(n=Count("learner", distinct=True)).order_by(field)
    return {row[field]: row["n"] for row in grouped}


def learners_completed(
    *,
    start: date,
    end: date,
    organisation_ids: Collection[int] | None = None,
    area_ids: Collection[int] | None = None,
    programme_codes: Collection[str] | None = None,
    staff_groups: Collection[str] | None = None,
) -> set[int]:
    """Ids of the people who completed a course in [start, end] within the filters."""
    rows = _completions(
        start=start,
        end=end,
        organisation_ids=organisation_ids,
        area_ids=area_ids,
        programme_codes=programme_codes,
        staff_groups=staff_groups,
    )
    return set(rows.values_list("learner_id", flat=True).distinct())
