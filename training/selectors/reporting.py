"""The read API the evaluation app uses (it must not query training models directly)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet

from training.models import Booking, Completion, Session

# --- Read API for the evaluation app ------------------------------------------------------

GroupBy = Literal["programme", "organisation", "area", "staff_group"]
_GROUP_FIELDS: dict[str, str] = {
    "programme": "course__programme__name",
    "organisation": "learner__organisation__name",
    "area": "learner__organisation__area__name",
    "staff_group": "learner__staff_group",
}


def completions_between(*, start: date, end: date) -> QuerySet[Completion]:
    """Completions with completed_on in [start, end], with learner organisation and area."""
    return Completion.objects.filter(completed_on__range=(start, end)).select_related(
        "course__programme", "learner__organisation__area"
    )


def people_trained(*, start: date, end: date, by: GroupBy) -> list[dict[str, Any]]:
    """Distinct people trained in [start, end] per programme/organisation/area/staff group."""
    field = _GROUP_FIELDS[by]
    rows = (
        completions_between(start=start, end=end)
        .values(field)
        .annotate(people=Count("learner", distinct=True))
        .order_by(field)
    )
    return [{"group": row[field], "people": row["people"]} for row in rows]


def session_costs(*, start: datetime, end: datetime) -> QuerySet[Session]:
    """Sessions held in [start, end) with their costs and `attended` counts."""
    return (
        Session.objects.filter(
            status=Session.Status.SCHEDULED, starts_at__gte=start, starts_at__lt=end
        )
        .annotate(attended=Count("bookings", filter=Q(bookings__status=Booking.Status.ATTENDED)))
        .select_related("course__programme", "organisation__area")
    )
