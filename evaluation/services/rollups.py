"""Keep the rollup tables equal to the raw data: an incremental refresh from the change feed
(recomputing only the buckets that changed) and a full rebuild.

A bucket is one organisation's month. Refreshing one deletes its rows and inserts them again
from a bounded aggregate of the raw rows, so refreshing twice is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils import timezone

from core.bulk import insert_select
from core.models import ChangeEvent
from core.services import changes_since
from evaluation.models import (
    ConversationRollup,
    ConversationTopicRollup,
    ReferralOutcomeRollup,
    SessionRollup,
    TrainingRollup,
    Watermark,
)
from referrals.selectors import rollups as referral_rollups
from training.selectors import rollups as training_rollups

logger = logging.getLogger(__name__)

# Change events newer than this are read again on the next run: a transaction that took a
# change id earlier but committed later is still picked up.
GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class Bucket:
    month: date
    organisation_id: int | None

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime(self.month.year, self.month.month, 1))

    @property
    def end(self) -> datetime:
        following = next_month(self.month)
        return timezone.make_aware(datetime(following.year, following.month, 1))


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def bucket_parse(key: str) -> Bucket:
    """ "2026-03:17" -> Bucket(2026-03-01, 17); "2026-03:none" has no organisation."""
    month_text, _, org_text = key.partition(":")
    year, month = (int(part) for part in month_text.split("-"))
    return Bucket(date(year, month, 1), None if org_text == "none" else int(org_text))


def _replace(
    model: type[Model], bucket: Bucket, query: QuerySet[Any], columns: dict[str, str]
) -> None:
    model._default_manager.filter(
        month=bucket.month, organisation_id=bucket.organisation_id
    ).delete()
    insert_select(model, query, columns)


def _conversation_bucket_refresh(bucket: Bucket) -> None:
    start, end, org = bucket.start, bucket.end, bucket.organisation_id
    for model, query, columns in (
        (
            ConversationRollup,
            referral_rollups.conversation_rollup_query,
            referral_rollups.CONVERSATION_ROLLUP_COLUMNS,
        ),
        (
            ConversationTopicRollup,
            referral_rollups.conversation_topic_rollup_query,
            referral_rollups.CONVERSATION_TOPIC_ROLLUP_COLUMNS,
        ),
        (
            ReferralOutcomeRollup,
            referral_rollups.referral_outcome_rollup_query,
            referral_rollups.REFERRAL_OUTCOME_ROLLUP_COLUMNS,
        ),
    ):
        _replace(model, bucket, query(start=start, end=end, organisation_id=org), columns)


def _completion_bucket_refresh(bucket: Bucket) -> None:
    query = training_rollups.completion_rollup_query(
        start=bucket.month,
        end=next_month(bucket.month),
        organisation_id=bucket.organisation_id,
        without_organisation=bucket.organisation_id is None,
    )
    _replace(TrainingRollup, bucket, query, training_rollups.COMPLETION_ROLLUP_COLUMNS)


def _session_bucket_refresh(bucket: Bucket) -> None:
    query = training_rollups.session_rollup_query(
        start=bucket.start, end=bucket.end, organisation_id=bucket.organisation_id
    )
    _replace(SessionRollup, bucket, query, training_rollups.SESSION_ROLLUP_COLUMNS)


STREAMS: dict[str, Callable[[Bucket], None]] = {
    referral_rollups.CONVERSATION_STREAM: _conversation_bucket_refresh,
    training_rollups.COMPLETION_STREAM: _completion_bucket_refresh,
    training_rollups.SESSION_STREAM: _session_bucket_refresh,
}


def _safe_watermark(*, stream: str, after_id: int, last_id: int, now: datetime) -> int:
    """The highest id read that is older than GRACE: later ones are read again next time."""
    settled = ChangeEvent.objects.filter(
        stream=stream, pk__gt=after_id, pk__lte=last_id, occurred_at__lte=now - GRACE
    ).aggregate(top=Max("pk"))["top"]
    return int(settled) if settled is not None else after_id


def rollup_stream_refresh(*, stream: str, now: datetime | None = None) -> int:
    """Recompute the buckets of one stream changed since its watermark; how many."""
    now = now or timezone.now()
    refresh = STREAMS[stream]
    with transaction.atomic():
        watermark, _ = Watermark.objects.get_or_create(stream=stream)
        watermark = Watermark.objects.select_for_update().get(pk=watermark.pk)
        keys, last_id = changes_since(stream=stream, after_id=watermark.last_change_id)
        for key in sorted(keys):
            refresh(bucket_parse(key))
        watermark.last_change_id = _safe_watermark(
            stream=stream, after_id=watermark.last_change_id, last_id=last_id, now=now
        )
        watermark.refreshed_at = now
        watermark.save(update_fields=["last_change_id", "refreshed_at"])
    return len(keys)


def rollups_refresh(*, now: datetime | None = None) -> dict[str, int]:
    """Bring every rollup table up to date with the changes recorded since the last run."""
    return {stream: rollup_stream_refresh(stream=stream, now=now) for stream in STREAMS}


def change_events_trim(*, batch_size: int = 10_000) -> int:
    """Delete the change feed's rows the rollups have read for good; how many.

    Each stream has one reader, its watermark: rows at or below it are never read again
    (`changes_since` reads above it, and a rebuild starts it from the newest settled row). A
    stream never refreshed keeps every row. Rows go in batches of `batch_size`, each its own
    statement, so a long backlog never holds a big transaction or locks out writers.
    """
    deleted = 0
    watermarks = Watermark.objects.filter(stream__in=list(STREAMS)).order_by("stream")
    for stream, last_id in watermarks.values_list("stream", "last_change_id"):
        read = ChangeEvent.objects.filter(stream=stream, pk__lte=last_id)
        while True:
            # The batch's last id, or none when fewer than batch_size rows are left.
            nth = list(
                read.order_by("pk").values_list("pk", flat=True)[batch_size - 1 : batch_size]
            )
            count, _ = read.filter(pk__lte=nth[0] if nth else last_id).delete()
            deleted += count
            if not nth:
                break
    return deleted


def rollup_tables_rebuild() -> dict[str, int]:
    """Empty every rollup table and fill it again from the raw rows, in SQL; rows per table."""
    tables: list[tuple[type[Model], QuerySet[Any], dict[str, str]]] = [
        (
            ConversationRollup,
            referral_rollups.conversation_rollup_query(),
            referral_rollups.CONVERSATION_ROLLUP_COLUMNS,
        ),
        (
            ConversationTopicRollup,
            referral_rollups.conversation_topic_rollup_query(),
            referral_rollups.CONVERSATION_TOPIC_ROLLUP_COLUMNS,
        ),
        (
            ReferralOutcomeRollup,
            referral_rollups.referral_outcome_rollup_query(),
            referral_rollups.REFERRAL_OUTCOME_ROLLUP_COLUMNS,
        ),
        (
            TrainingRollup,
            training_rollups.completion_rollup_query(),
            training_rollups.COMPLETION_ROLLUP_COLUMNS,
        ),
        (
            SessionRollup,
            training_rollups.session_rollup_query(),
            training_rollups.SESSION_ROLLUP_COLUMNS,
        ),
    ]
    counts = {}
    for model, query, columns in tables:
        model._default_manager.all().delete()
        counts[model.__name__] = insert_select(model, query, columns)
    return counts


@transaction.atomic
def rollups_rebuild(*, now: datetime | None = None) -> dict[str, int]:
    """Recompute every rollup table from all the raw data (after an import or a fix)."""
    now = now or timezone.now()
    settled = dict(
        ChangeEvent.objects.filter(stream__in=list(STREAMS), occurred_at__lte=now - GRACE)
        .values_list("stream")
        .annotate(top=Max("pk"))
        .values_list("stream", "top")
    )
    counts = rollup_tables_rebuild()
    for stream in STREAMS:
        Watermark.objects.update_or_create(
            stream=stream,
            defaults={"last_change_id": settled.get(stream) or 0, "refreshed_at": now},
        )
    logger.info("rollups rebuilt: %s", counts)
    return counts
