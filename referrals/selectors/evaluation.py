"""Counts the evaluation app's indicators read (it never queries referrals models directly).

Conversations count where they were logged (organisation and area) and when they happened;
signposts and referrals count with the conversation they came from.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet

from referrals.models import Conversation, Referral, ReferralStatusChange


def _conversations(
    *,
    start: datetime,
    end: datetime,
    organisation_ids: Collection[int] | None,
    area_ids: Collection[int] | None,
    author_ids: Collection[int] | None,
    topic_slugs: Collection[str] | None,
    staff_groups: Collection[str] | None,
) -> QuerySet[Conversation]:
    rows = Conversation.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    if area_ids is not None:
        rows = rows.filter(area_id__in=area_ids)
    if author_ids is not None:
        rows = rows.filter(author_id__in=author_ids)
    if staff_groups is not None:
        rows = rows.filter(author__staff_group__in=staff_groups)
    if topic_slugs is not None:
        rows = rows.filter(
            pk__in=Conversation.topics.through.objects.filter(topic__slug__in=topic_slugs).values(
                "conversation_id"
            )
        )
    return rows


@dataclass(frozen=True)
class ConversationCounts:
    total: int
    by_topic: dict[str, int]
    by_level: dict[str, int]


def conversation_counts(
    *,
    start: datetime,
    end: datetime,
    organisation_ids: Collection[int] | None = None,
    area_ids: Collection[int] | None = None,
    author_ids: Collection[int] | None = None,
    topic_slugs: Collection[str] | None = None,
    staff_groups: Collection[str] | None = None,
) -> ConversationCounts:
    """Conversations in [start, end): the total, per topic slug and per MECC level."""
    rows = _conversations(
        start=start,
        end=end,
        organisation_ids=organisation_ids,
        area_ids=area_ids,
        author_ids=author_ids,
        topic_slugs=topic_slugs,
        staff_groups=staff_groups,
    )
    by_level = {
        row["mecc_level"]: row["n"]
        for row in rows.values("mecc_level").annotate(n=Count("pk")).order_by("mecc_level")
    }
    topics = Conversation.topics.through.objects.filter(conversation__in=rows)
    if topic_slugs is not None:
        topics = topics.filter(topic__slug__in=topic_slugs)
    by_topic = {
        row["topic__slug"]: row["n"]
        for row in topics.values("topic__slug").annotate(n=Count("pk")).order_by("topic__slug")
    }
    return ConversationCounts(total=sum(by_level.values()), by_topic=by_topic, by_level=by_level)


@dataclass(frozen=True)
class ReferralCounts:
    signposts: int
    referrals: int
    # Referrals that ever reached each status (a completed referral was accepted first).
    reached: dict[str, int]


def referral_counts(
    *,
    start: datetime,
    end: datetime,
    organisation_ids: Collection[int] | None = None,
    area_ids: Collection[int] | None = None,
    author_ids: Collection[int] | None = None,
    topic_slugs: Collection[str] | None = None,
    staff_groups: Collection[str] | None = None,
) -> ReferralCounts:
    """Signposts and referrals made from conversations in [start, end), and outcomes reached."""
    conversations = _conversations(
        start=start,
        end=end,
        organisation_ids=organisation_ids,
        area_ids=area_ids,
        author_ids=author_ids,
        topic_slugs=None,
        staff_groups=staff_groups,
    )
    made = Referral.objects.filter(conversation__in=conversations)
    if topic_slugs is not None:
        made = made.filter(topic__slug__in=topic_slugs)
    kinds = {
        row["kind"]: row["n"] for row in made.values("kind").annotate(n=Count("pk")).order_by()
    }
    reached = {
        row["status"]: row["n"]
        for row in ReferralStatusChange.objects.filter(
            referral__in=made.filter(kind=Referral.Kind.REFERRAL)
        )
        .values("status")
        .annotate(n=Count("referral", distinct=True))
        .order_by("status")
    }
    return ReferralCounts(
        signposts=kinds.get(Referral.Kind.SIGNPOST, 0),
        referrals=kinds.get(Referral.Kind.REFERRAL, 0),
        reached=reached,
    )
