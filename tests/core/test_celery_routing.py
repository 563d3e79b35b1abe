"""Celery queues by kind of work (docs/scaling.md): every task has a queue a worker consumes."""

from __future__ import annotations

from django.conf import settings

from mecc_portal.celery import NOTIFICATIONS, REPORTS, ROLLUPS, TASK_ROUTES, app

PROJECT_APPS = ("core.", "accounts.", "training.", "referrals.", "evaluation.")


def _queue_of(task_name: str) -> str:
    route = app.amqp.router.route({}, task_name)
    return str(route["queue"].name)


def _project_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if name.startswith(PROJECT_APPS))


def test_a_worker_started_without_q_consumes_every_queue():
    consumed = set(app.amqp.queues)
    for name in _project_tasks():
        assert _queue_of(name) in consumed, name


def test_email_reports_and_rollups_each_have_their_own_queue():
    assert _queue_of("core.tasks.outbox_deliver_task") == NOTIFICATIONS
    assert _queue_of("core.tasks.outbox_deliver_batch_task") == NOTIFICATIONS
    assert _queue_of("evaluation.tasks.report_build_task") == REPORTS
    assert _queue_of("evaluation.tasks.rollups_refresh_task") == ROLLUPS
    assert _queue_of("core.tasks.heartbeat_task") == app.conf.task_default_queue


def test_every_route_names_a_real_task_and_every_scheduled_task_is_routable():
    tasks = set(_project_tasks())
    assert set(TASK_ROUTES) <= tasks
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in tasks
        assert _queue_of(entry["task"]) in set(app.amqp.queues)
