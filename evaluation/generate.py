"""After the other apps have generated their rows: rebuild every rollup table in SQL and
start the change feed's reader from the newest change, so incremental refresh goes on from
there (nothing else writes while data is generated, so no change is still in flight)."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from core.bulk import GenerationPlan
from core.models import ChangeEvent
from evaluation.models import Watermark
from evaluation.services.rollups import STREAMS, rollup_tables_rebuild


def generate(plan: GenerationPlan) -> dict[str, int]:
    counts = rollup_tables_rebuild()
    now = timezone.now()
    newest = dict(
        ChangeEvent.objects.filter(stream__in=list(STREAMS))
        .values_list("stream")
        .annotate(top=Max("pk"))
        .values_list("stream", "top")
    )
    for stream in STREAMS:
        Watermark.objects.update_or_create(
            stream=stream,
            defaults={"last_change_id": newest.get(stream) or 0, "refreshed_at": now},
        )
    return {f"{name} rows": n for name, n in counts.items()}
