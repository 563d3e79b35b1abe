"""Thin Celery tasks for training (scheduled by beat in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from training import services


@shared_task(acks_late=True, reject_on_worker_lost=True, expires=600)
def reminders_send_task() -> dict[str, int]:
    return services.reminders_send()
