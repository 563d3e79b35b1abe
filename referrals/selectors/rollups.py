"""The read API the evaluation rollups use: bucket keys for the change feed, and each bucket's
conversations, signposts and referrals aggregated from the raw rows.

A bucket is one organisation's conversations in one calendar month (local time), with the
signposts and referrals made in them. Services record the bucket of every conversation or
referral they write with `core.services.change_record(stream=CONVERSATION_STREAM, ...)`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from referrals.models import Conversation, MeccLevel, Outcome, Referral, Topic

CONVERSATION_STREAM = "referrals.conversations"


def bucket_key(*, month: date, organisation_id: int | None) -> str:
    """The change-feed key of one organisation's month: "2026-03:17"."""
    return f"{month:%Y-%m}:{organisation_id if organisation_id is not None else 'none'}"


def conversation_bucket(conversation: Conversation) -> str:
    """The change-feed key of the bucket this conversation (and its referrals) counts in."""
    month = timezone.localtime(conversation.occurred_at).date().replace(day=1)
    return bucket_key(month=month, organisation_id=conversation.organisation_id)


def _in_bucket(
    queryset: QuerySet[Any],
    *,
    prefix: str,
    start: datetime | None,
    end: datetime | None,
    organisation_id: int | None,
) -> QuerySet[Any]:
    if start is not None:
        queryset = queryset.filter(**{f"{prefix}occurred_at__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{prefix}occurred_at__lt": end})
    if organisation_id is not None:
        queryset = queryset.filter(**{f"{prefix}organisation_id": organisation_id})
    return queryset


def _month(value: datetime | date) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _month_of(field_name: str) -> TruncMonth:
    # A date (the first of the month, local time) on every database, so the rows can be
    # inserted into a rollup's DateField straight from SQL.
    return TruncMonth(field_name, output_field=DateField())


def conversation_rollup_query(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    organisation_id: int | None = None,
) -> QuerySet[Any]:
    """Conversations, signposts and referrals per month, organisation, area, staff group of
    the worker, MECC level and outcome, for conversations in [start, end)."""
    signposts = Count("referrals", filter=Q(referrals__kind=Referral.Kind.SIGNPOST), distinct=True)
    referrals = Count("referrals", filter=Q(referrals__kind=Referral.Kind.REFERRAL), distinct=True)
    query: QuerySet[Any] = (
        _in_bucket(
            Conversation.objects.all(),
            prefix="",
            start=start,
            end=end,
            organisation_id=organisation_id,
        )
        .annotate(month=_month_of("occurred_at"))
        .values(
            "month", "organisation_id", "area_id", "author__staff_group", "mecc_level", "outcome"
        )
        .annotate(
            conversations=Count("pk", distinct=True), signposts=signposts, referrals=referrals
        )
        .order_by()
    )
    return query


def conversation_rollup_rows(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    organisation_id: int | None = None,
) -> list[dict[str, Any]]:
    """conversation_rollup_query's rows as rollup field values."""
    rows = conversation_rollup_query(start=start, end=end, organisation_id=organisation_id)
    return [
        {
            "month": _month(row["month"]),
            "organisation_id": row["organisation_id"],
            "area_id": row["area_id"],
            "staff_group": row["author__staff_group"],
            "mecc_level": row["mecc_level"],
            "outcome": row["outcome"],
            "conversations": row["conversations"],
            "signposts": row["signposts"],
            "referrals": row["referrals"],
        }
        for row in rows
    ]


def conversation_topic_rollup_query(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    organisation_id: int | None = None,
) -> QuerySet[Any]:
    """As conversation_rollup_query, split by each topic the conversation raised (a
    conversation about two topics counts once under each)."""
    signposts = Count("referrals", filter=Q(referrals__kind=Referral.Kind.SIGNPOST), distinct=True)
    referrals = Count("referrals", filter=Q(referrals__kind=Referral.Kind.REFERRAL), distinct=True)
    query: QuerySet[Any] = (
        _in_bucket(
            Conversation.objects.filter(topics__isnull=False),
            prefix="",
            start=start,
            end=end,
            organisation_id=organisation_id,
        )
        .annotate(month=_month_of("occurred_at"))
        .values(
            "month",
            "organisation_id",
            "area_id",
            "author__staff_group",
            "topics",
            "mecc_level",
            "outcome",
        )
        .annotate(
            conversations=Count("pk", distinct=True), signposts=signposts, referrals=referrals
        )
        .order_by()
    )
    return query


def conversation_topic_rollup_rows(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    organisation_id: int | None = None,
) -> list[dict[str, Any]]:
    """conversation_topic_rollup_query's rows as rollup field values."""
    rows = conversation_topic_rollup_query(start=start, end=end, organisation_id=organisation_id)
    return [
        {
            "month": _month(row["month"]),
            "organisation_id": row["organisation_id"],
            "area_id": row["area_id"],
            "staff_group": row["author__staff_group"],
            "topic_id": row["topics"],
            "mecc_level": row["mecc_level"],
            "outcome": row["outcome"],
            "conversations": row["conversations"],
            "signposts": row["signposts"],
            "referrals": row["referrals"],
        }
        for row in rows
    ]


def referral_outcome_rollup_query(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    organisation_id: int | None = None,
) -> QuerySet[Any]:
    """Consented referrals by their current status, per month of the conversation,
    organisation, area, staff group of the worker and the topic the referral was for."""
    query: QuerySet[Any] = (
        _in_bucket(
            Referral.objects.filter(kind=Referral.Kind.REFERRAL),
            prefix="conversation__",
            start=start,
            end=end,
            organisation_id=organisation_id,
        )
        .annotate(month=_month_of("conversation__occurred_at"))
        .values(
            "month",
            "conversation__organisation_id",
            "conversation__area_id",
            "conversation__author__staff_group",
            "topic_id",
            "status",
        )
        .annotate(referrals=Count("pk"))
        .order_by()
    )
    return query


def referral_outcome_rollup_rows(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    organisation_id: int | None = None,
) -> list[dict[str, Any]]:
    """referral_outcome_rollup_query's rows as rollup field values."""
    rows = referral_outcome_rollup_query(start=start, end=end, organisation_id=organisation_id)
    return [
        {
            "month": _month(row["month"]),
            "organisation_id": row["conversation__organisation_id"],
            "area_id": row["conversation__area_id"],
            "staff_group": row["conversation__author__staff_group"],
            "topic_id": row["topic_id"],
            "status": row["status"],
            "referrals": row["referrals"],
        }
        for row in rows
    ]


def topics_all() -> QuerySet[Topic]:
    """Every topic, active or not (rollups keep the ids of retired topics)."""
    return Topic.objects.order_by("display_order", "name")


MECC_LEVEL_CHOICES: list[tuple[str, str]] = list(MeccLevel.choices)
OUTCOME_CHOICES: list[tuple[str, str]] = list(Outcome.choices)
REFERRAL_STATUS_CHOICES: list[tuple[str, str]] = [
    (value, label)
    for value, label in Referral.Status.choices
    if value != Referral.Status.SIGNPOSTED
]


# The rollup field each selected name fills, for inserting the query rows straight from SQL.
CONVERSATION_ROLLUP_COLUMNS = {
    "month": "month",
    "organisation_id": "organisation",
    "area_id": "area",
    "author__staff_group": "staff_group",
    "mecc_level": "mecc_level",
    "outcome": "outcome",
    "conversations": "conversations",
    "signposts": "signposts",
    "referrals": "referrals",
}
CONVERSATION_TOPIC_ROLLUP_COLUMNS = {**CONVERSATION_ROLLUP_COLUMNS, "topics": "topic_id"}
REFERRAL_OUTCOME_ROLLUP_COLUMNS = {
    "month": "month",
    "conversation__organisation_id": "organisation",
    "conversation__area_id": "area",
    "conversation__author__staff_group": "staff_group",
    "topic_id": "topic_id",
    "status": "status",
    "referrals": "referrals",
}
