"""Thin Celery tasks for evaluation (scheduled by beat in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from evaluation import services
from evaluation.services.reports import monthly_packs_request, report_build, reports_sweep
from evaluation.services.rollups import change_events_trim, rollups_refresh
from evaluation.services.surveys import invitations_send


@shared_task(acks_late=True, reject_on_worker_lost=True, expires=3600)
def return_reminders_task() -> int:
    # One outbox key per organisation per period: running it daily (or twice) sends one each.
    return services.return_reminders_send()


@shared_task(acks_late=True, reject_on_worker_lost=True, expires=3600)
def survey_invitations_send_task() -> dict[str, int]:
    # Each invitation and reminder has its own outbox key: running it hourly sends each once.
    return invitations_send()


@shared_task(acks_late=True, reject_on_worker_lost=True, expires=300)
def rollups_refresh_task() -> dict[str, int]:
    # Recomputes only the buckets changed since the watermark; running it twice is harmless.
    return rollups_refresh()


@shared_task(acks_late=True, reject_on_worker_lost=True, expires=3600)
def change_events_trim_task() -> int:
    # Deletes only rows every rollup has read; running it twice deletes nothing more.
    return change_events_trim()


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
)
def report_build_task(report_id: int) -> bool:
    # A finished report is left alone and a running one is skipped, so a redelivery is safe.
    return report_build(report_id=report_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, expires=3600)
def monthly_packs_task() -> int:
    # One report per commissioner, month and format (unique key): a second run adds none.
    return monthly_packs_request()


@shared_task(acks_late=True, reject_on_worker_lost=True, expires=600)
def reports_sweep_task() -> int:
    return reports_sweep()
