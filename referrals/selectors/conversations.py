"""Reads for conversations: the author's own, a training lead's organisation, matching services."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from uuid import UUID

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.access import Permission
from accounts.models import Area
from core.readahead import read_ahead
from referrals.models import Conversation, Referral, Service, Topic

MATCHING_SERVICES_LIMIT = 20
OPEN_SERVICE_STATUSES = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)


def _referrals_of_kind(kind: str) -> Coalesce:
    """How many referrals of `kind` the outer conversation has, as a correlated subquery.

    A JOIN with Count() would group every one of the author's (or organisation's)
    conversations before the page's LIMIT: 0.5 s for one person and 10 s for one organisation
    at 10 million conversations (docs/scaling.md). The subquery runs for the page's rows only.
    """
    counted = (
        Referral.objects.filter(conversation=OuterRef("pk"), kind=kind)
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_related(queryset: QuerySet[Conversation]) -> QuerySet[Conversation]:
    return (
        queryset.select_related("author", "organisation", "area")
        .prefetch_related("topics")
        .annotate(
            signpost_count=_referrals_of_kind(Referral.Kind.SIGNPOST),
            referral_count=_referrals_of_kind(Referral.Kind.REFERRAL),
        )
        .order_by("-occurred_at", "-id")
    )


def conversations_of(*, user: Any) -> QuerySet[Conversation]:
    """The conversations this user logged, newest first."""
    return _with_related(Conversation.objects.filter(author=user))


def conversations_of_organisations(*, user: Any) -> QuerySet[Conversation]:
    """Conversations logged in the organisations a training lead manages."""
    return _with_related(access.scope(Conversation.objects.all(), user, Permission.MANAGE_STAFF))


def conversation_for(*, user: Any, uuid: UUID) -> Conversation:
    """One conversation the user logged or manages the organisation of; otherwise 404."""
    visible = Q(author=user) | Q(
        organisation__in=access.organisations_in_scope(user, Permission.MANAGE_STAFF)
    )
    conversation = (
        _with_related(Conversation.objects.filter(visible, uuid=uuid))
        .prefetch_related("referrals__service__provider")
        .first()
    )
    if conversation is None:
        raise Http404("Not found")
    return conversation


def own_conversation(*, user: Any, uuid: UUID) -> Conversation:
    """One conversation the user logged (to correct it, signpost or refer); otherwise 404."""
    conversation = Conversation.objects.filter(author=user, uuid=uuid).first()
    if conversation is None:
        raise Http404("Not found")
    return conversation


def topics_for_conversations() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True)


def services_matching(*, topics: Sequence[Topic], area: Area | None) -> list[Service]:
    """Open services for any of these topics in the area, urgent-support services first."""
    if not topics:
        return []
    topic_ids = [topic.pk for topic in topics]
    matching = Service.objects.filter(
        status__in=OPEN_SERVICE_STATUSES,
        pk__in=Service.topics.through.objects.filter(topic_id__in=topic_ids).values("service_id"),
    )
    if area is not None:
        served_here = Service.areas_served.through.objects.filter(
            area_id__in=[area.pk, *([area.parent_id] if area.parent_id else [])]
        ).values("service_id")
        serves_anywhere = ~Exists(
            Service.areas_served.through.objects.filter(service_id=OuterRef("pk"))
        )
        matching = matching.filter(Q(pk__in=served_here) | serves_anywhere)
    urgent = Exists(Topic.objects.filter(services=OuterRef("pk"), urgent_support_first=True))
    return list(
        matching.annotate(urgent=urgent)
        .select_related("provider")
        .order_by("-urgent", "name")[:MATCHING_SERVICES_LIMIT]
    )


def service_for_conversation(*, uuid: UUID) -> Service:
    service = (
        Service.objects.filter(uuid=uuid, status__in=OPEN_SERVICE_STATUSES)
        .select_related("provider")
        .first()
    )
    if service is None:
        raise Http404("Not found")
    return service


@dataclass(frozen=True)
class Impact:
    total: int
    by_month: list[tuple[datetime.date, int]]
    by_topic: list[tuple[str, int]]
    signposts: int
    referrals: int
    referrals_by_status: list[tuple[str, int]]


def impact_of(*, user: Any, months: int = 12) -> Impact:
    """A worker's own conversations over time, their topics, signposts and referral outcomes."""
    mine = Conversation.objects.filter(author=user)
    since = timezone.localdate().replace(day=1) - datetime.timedelta(days=31 * (months - 1))
    by_month = [
        (
            row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"],
            row["n"],
        )
        for row in mine.filter(occurred_at__date__gte=since.replace(day=1))
        .annotate(month=TruncMonth("occurred_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ]
    by_topic = [
        (row["name"], row["n"])
        for row in Topic.objects.filter(conversations__author=user)
        .values("name")
        .annotate(n=Count("conversations"))
        .order_by("-n", "name")
    ]
    made = Referral.objects.filter(conversation__author=user)
    counts = dict(made.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    status_counts = dict(
        made.filter(kind=Referral.Kind.REFERRAL)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    by_status = [
        (label, status_counts[value])
        for value, label in Referral.Status.choices
        if value in status_counts
    ]
    return Impact(
        total=mine.count(),
        by_month=by_month,
        by_topic=by_topic,
        signposts=counts.get(Referral.Kind.SIGNPOST, 0),
        referrals=counts.get(Referral.Kind.REFERRAL, 0),
        referrals_by_status=by_status,
    )


EXPORT_CHUNK = 5_000
EXPORT_FIELDS = (
    "pk", "uuid_text", "when", "organisation_id", "area_id", "author__staff_group", "setting",
    "mecc_level", "outcome", "age_band", "sex", "ethnic_group", "postcode_district",
)  # fmt: skip
SIGNPOST, REFERRAL = str(Referral.Kind.SIGNPOST), str(Referral.Kind.REFERRAL)


class _LocalMinuteText(Func):
    """On PostgreSQL, a timestamp as local "YYYY-MM-DD HH:MM" text made by the database (far
    cheaper than a datetime per row in Python); elsewhere the datetime itself."""

    template = "%(expressions)s"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        zone = settings.TIME_ZONE.replace("'", "''")
        return self.as_sql(
            compiler,
            connection,
            template=f"to_char(%(expressions)s AT TIME ZONE '{zone}', 'YYYY-MM-DD HH24:MI')",
            **extra,
        )


class _UuidText(Func):
    """On PostgreSQL, a UUID as text (no UUID object per row); elsewhere the stored value."""

    template = "%(expressions)s"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s)::text", **extra)


class ExportRow(NamedTuple):
    """One conversation as the CSV export writes it (codes; the export labels them)."""

    uuid: UUID | str
    occurred_at: datetime.datetime | str  # local "YYYY-MM-DD HH:MM" text on PostgreSQL
    organisation_id: int
    area_id: int
    staff_group: str
    setting: str
    mecc_level: str
    outcome: str
    age_band: str
    sex: str
    ethnic_group: str
    postcode_district: str
    topic_ids: tuple[int, ...]
    signposts: int
    referrals: int


def conversations_for_export(*, user: Any) -> Iterator[list[ExportRow]]:
    """Every conversation in the organisations a training lead manages, oldest first, in
    chunks: three indexed queries per chunk (the rows by id range, their topics, their
    referral counts), so memory stays flat however many there are. The next chunk is read
    while the caller formats this one (core.readahead: the database and Python overlap)."""
    return read_ahead(lambda: _export_chunks(user))


def _export_chunks(user: Any) -> Iterator[list[ExportRow]]:
    rows = (
        access.scope(Conversation.objects.all(), user, Permission.MANAGE_STAFF)
        .order_by("pk")
        .annotate(uuid_text=_UuidText("uuid"), when=_LocalMinuteText("occurred_at"))
        .values_list(*EXPORT_FIELDS)
    )
    # Fixed windows of ids: every query is an index range scan, whatever the planner thinks.
    top = Conversation.objects.aggregate(top=Max("pk"))["top"] or 0
    for low in range(0, top, EXPORT_CHUNK):
        chunk = list(rows.filter(pk__gt=low, pk__lte=low + EXPORT_CHUNK))
        if chunk:
            yield _export_chunk(chunk)


def _export_chunk(chunk: list[tuple[Any, ...]]) -> list[ExportRow]:
    low, high = chunk[0][0], chunk[-1][0]
    topics: dict[int, list[int]] = defaultdict(list)
    for conversation_id, topic_id in (
        Conversation.topics.through.objects.filter(
            conversation_id__gte=low, conversation_id__lte=high
        )
        .order_by("conversation_id", "topic_id")
        .values_list("conversation_id", "topic_id")
    ):
        topics[conversation_id].append(topic_id)
    made: dict[tuple[int, str], int] = {
        (conversation_id, kind): n
        for conversation_id, kind, n in Referral.objects.filter(
            conversation_id__gte=low, conversation_id__lte=high
        )
        .values_list("conversation_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("conversation_id", "kind", "n")
        .order_by()
    }
    return [
        ExportRow._make(
            (
                *row[1:],
                tuple(topics.get(row[0], ())),
                made.get((row[0], SIGNPOST), 0),
                made.get((row[0], REFERRAL), 0),
            )
        )
        for row in chunk
    ]
