"""The Celery app: configured from Django settings (CELERY_*); tasks live in each app's tasks.py.

Tasks are routed to a queue by kind of work, so a national deployment can scale each kind on
its own (`celery -A mecc_portal worker -Q reports`). A worker started without `-Q` consumes
every queue in `task_queues`, so one worker (make run, docker compose, the tests) still does
all the work. See docs/scaling.md.
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mecc_portal.settings")

app = Celery("mecc_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")

DEFAULT_QUEUE = "celery"
NOTIFICATIONS = "notifications"  # email out of the outbox, reminders, invitations
REPORTS = "reports"  # report files: minutes of CPU each, never in front of an email
ROLLUPS = "rollups"  # dashboard rollup refresh: frequent, must not queue behind reports

TASK_ROUTES = {
    "core.tasks.outbox_deliver_task": NOTIFICATIONS,
    "core.tasks.outbox_deliver_batch_task": NOTIFICATIONS,
    "core.tasks.outbox_sweep_task": NOTIFICATIONS,
    "training.tasks.reminders_send_task": NOTIFICATIONS,
    "referrals.tasks.listing_reminders_task": NOTIFICATIONS,
    "referrals.tasks.referral_reminders_task": NOTIFICATIONS,
    "evaluation.tasks.return_reminders_task": NOTIFICATIONS,
    "evaluation.tasks.survey_invitations_send_task": NOTIFICATIONS,
    "evaluation.tasks.report_build_task": REPORTS,
    "evaluation.tasks.monthly_packs_task": REPORTS,
    "evaluation.tasks.reports_sweep_task": REPORTS,
    "evaluation.tasks.rollups_refresh_task": ROLLUPS,
    "evaluation.tasks.change_events_trim_task": ROLLUPS,
    # The heartbeat, housekeeping and the contact purge stay on the default queue.
}

app.conf.task_default_queue = DEFAULT_QUEUE
app.conf.task_queues = [Queue(name) for name in (DEFAULT_QUEUE, NOTIFICATIONS, REPORTS, ROLLUPS)]
app.conf.task_routes = {name: {"queue": queue} for name, queue in TASK_ROUTES.items()}
app.autodiscover_tasks()
