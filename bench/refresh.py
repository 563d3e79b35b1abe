"""Inside Django: add conversations the way logging them would, and time the incremental
rollup refresh that brings the dashboards up to date with them."""

from __future__ import annotations

import time
from typing import Any

from django.utils import timezone


def refresh_timings(rounds: int, per_round: int) -> dict[str, Any]:
    from core.bulk import GenerationPlan
    from evaluation.services.rollups import rollups_refresh
    from referrals.generate import conversations_add_today

    plan = GenerationPlan(conversations=per_round, seed=99, today=timezone.localdate())
    rollups_refresh()  # start from an up-to-date watermark
    seconds = []
    for _ in range(rounds):
        conversations_add_today(plan=plan, count=per_round)
        started = time.perf_counter()
        rollups_refresh()
        seconds.append(time.perf_counter() - started)
    return {"seconds": seconds, "conversations_per_round": per_round}
