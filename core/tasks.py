"""Thin Celery tasks: take ids, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from core import services

WORKER_HEARTBEAT = "worker"


@shared_task(acks_late=True, reject_on_worker_lost=True)
def outbox_deliver_task(message_id: int) -> bool:
    return services.outbox_deliver(message_id=message_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def outbox_sweep_task() -> int:
    return services.outbox_sweep()


@shared_task(acks_late=True, reject_on_worker_lost=True, expires=60)
def heartbeat_task() -> None:
    # Scheduled by beat and run by a worker: a fresh beat proves both are alive.
    services.heartbeat_record(name=WORKER_HEARTBEAT)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def housekeeping_task() -> dict[str, int]:
    return services.housekeeping_run(keep_sent_days=settings.OUTBOX_KEEP_SENT_DAYS)
