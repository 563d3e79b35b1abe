"""Thin Celery tasks: take ids, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.conf import settings

from core import services

WORKER_HEARTBEAT = "worker"


@shared_task(acks_late=True, reject_on_worker_lost=True)
def outbox_deliver_task(message_id: int) -> bool:
    return services.outbox_deliver(message_id=message_id)


@worker_process_shutdown.connect
def _publish_what_is_queued(**_: object) -> None:
    # A prefork child leaves by os._exit, past atexit: hand over what tasks queued first.
    services.outbox_publisher_close()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def outbox_deliver_batch_task(message_ids: list[int]) -> int:
    # Published by a web process's publisher thread (core.publisher); each send is its own
    # transaction, so a redelivered batch sends only what is still pending.
    return sum(services.outbox_deliver(message_id=message_id) for message_id in message_ids)


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
