"""The read API the evaluation rollups use: bucket keys for the change feed, and each bucket's
completions and sessions aggregated from the raw rows.

A bucket is one organisation's month: completions count in the learner's organisation and the
month the course was completed; sessions in the running organisation and the month they start.
Services record changed buckets with core.services.change_record in the same transaction as
the write.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, DateField, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from training.models import Booking, Completion, Programme, Session

COMPLETION_STREAM = "training.completions"
SESSION_STREAM = "training.sessions"


def training_bucket_key(*, month: date, organisation_id: int | None) -> str:
    """The change-feed key of one organisation's month: "2026-03:17"."""
    return f"{month:%Y-%m}:{organisation_id if organisation_id is not None else 'none'}"


def completion_bucket(*, completed_on: date, organisation_id: int | None) -> str:
    return training_bucket_key(month=completed_on.replace(day=1), organisation_id=organisation_id)


def session_bucket(session: Session) -> str:
    month = timezone.localtime(session.starts_at).date().replace(day=1)
    return training_bucket_key(month=month, organisation_id=session.organisation_id)


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def completion_rollup_query(
    *,
    start: date | None = None,
    end: date | None = None,
    organisation_id: int | None = None,
    without_organisation: bool = False,
) -> QuerySet[Any]:
    """Completions per month, learner's organisation and area, programme and staff group,
    for completions in [start, end) (of learners with no organisation, if asked)."""
    completions = Completion.objects.all()
    if start is not None:
        completions = completions.filter(completed_on__gte=start)
    if end is not None:
        completions = completions.filter(completed_on__lt=end)
    if organisation_id is not None:
        completions = completions.filter(learner__organisation_id=organisation_id)
    if without_organisation:
        completions = completions.filter(learner__organisation__isnull=True)
    return (
        completions.annotate(month=TruncMonth("completed_on"))
        .values(
            "month",
            "learner__organisation_id",
            "learner__organisation__area_id",
            "course__programme_id",
            "learner__staff_group",
        )
        .annotate(completions=Count("pk"))
        .order_by()
    )


def completion_rollup_rows(
    *,
    start: date | None = None,
    end: date | None = None,
    organisation_id: int | None = None,
    without_organisation: bool = False,
) -> list[dict[str, Any]]:
    """completion_rollup_query's rows as rollup field values."""
    rows = completion_rollup_query(
        start=start,
        end=end,
        organisation_id=organisation_id,
        without_organisation=without_organisation,
    )
    return [
        {
            "month": _as_date(row["month"]),
            "organisation_id": row["learner__organisation_id"],
            "area_id": row["learner__organisation__area_id"],
            "programme_id": row["course__programme_id"],
            "staff_group": row["learner__staff_group"],
            "completions": row["completions"],
        }
        for row in rows
    ]


def session_rollup_query(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    organisation_id: int | None = None,
) -> QuerySet[Any]:
    """Sessions held (not cancelled), people who attended and cost in pence, per month,
    running organisation, area (the venue's, else the organisation's) and programme."""
    sessions = Session.objects.filter(status=Session.Status.SCHEDULED)
    if start is not None:
        sessions = sessions.filter(starts_at__gte=start)
    if end is not None:
        sessions = sessions.filter(starts_at__lt=end)
    if organisation_id is not None:
        sessions = sessions.filter(organisation_id=organisation_id)
    return (
        sessions.annotate(
            month=TruncMonth("starts_at", output_field=DateField()),
            where=Coalesce("area_id", "organisation__area_id"),
            attended_count=Subquery(
                Booking.objects.filter(session=OuterRef("pk"), status=Booking.Status.ATTENDED)
                .values("session")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .values("month", "organisation_id", "where", "course__programme_id")
        .annotate(
            sessions=Count("pk"),
            attended=Sum(Coalesce("attended_count", 0)),
            cost_pence=Sum(
                F("trainer_cost_pence") + F("venue_cost_pence") + F("materials_cost_pence")
            ),
        )
        .order_by()
    )


def session_rollup_rows(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    organisation_id: int | None = None,
) -> list[dict[str, Any]]:
    """session_rollup_query's rows as rollup field values."""
    rows = session_rollup_query(start=start, end=end, organisation_id=organisation_id)
    return [
        {
            "month": _as_date(row["month"]),
            "organisation_id": row["organisation_id"],
            "area_id": row["where"],
            "programme_id": row["course__programme_id"],
            "sessions": row["sessions"],
            "attended": row["attended"] or 0,
            "cost_pence": row["cost_pence"] or 0,
        }
        for row in rows
    ]


def programmes_all() -> QuerySet[Programme]:
    return Programme.objects.order_by("name")


# The rollup field each selected name fills, for inserting the query rows straight from SQL.
COMPLETION_ROLLUP_COLUMNS = {
    "month": "month",
    "learner__organisation_id": "organisation",
    "learner__organisation__area_id": "area",
    "course__programme_id": "programme_id",
    "learner__staff_group": "staff_group",
    "completions": "completions",
}
SESSION_ROLLUP_COLUMNS = {
    "month": "month",
    "organisation_id": "organisation",
    "where": "area",
    "course__programme_id": "programme_id",
    "sessions": "sessions",
    "attended": "attended",
    "cost_pence": "cost_pence",
}
