"""A Celery worker killed with SIGKILL in the middle of a task (issue 8): the task runs again
and its effect happens exactly once.

- A report: the pool process building it is killed (as the kernel's OOM killer would). With
  acks_late and reject_on_worker_lost the message goes back on the queue at once; the rerun
  finds the report RUNNING, builds it, stores one file and sends one "ready" email.
- Training reminders: the whole worker (parent, pool, embedded beat) is killed after the
  first reminder was written, as a lost machine would be. The message was never
  acknowledged, so Redis hands it to the next worker once its visibility timeout passes; the
  rerun writes the other reminders and none twice (one outbox key per reminder).

tests/integration/fault_celery.py holds the worker at those points (test-only hooks).
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from tests.integration.faults import FaultStack, message_ids, run_python, wait_until_beating
from tests.integration.support import wait_for

pytestmark = pytest.mark.integration

TASK_TIMEOUT = 60.0

REQUEST_REPORT = """
import django

django.setup()
from django.db import transaction

from accounts.models import User
from evaluation.models import Report
from evaluation.selectors.dashboard import DashboardFilters, Period
from evaluation.services.reports import report_request

with transaction.atomic():
    report = report_request(
        user=User.objects.get(pk=%(user)d),
        filters=DashboardFilters(period=Period.last(3)),
        format=Report.Format.PDF,
    )
print(report.pk)
"""

SEND_REMINDERS = """
import django

django.setup()
from training.tasks import reminders_send_task

reminders_send_task.delay()
print("queued")
"""


def _pid_in(marker: Path) -> int | None:
    text = marker.read_text().strip() if marker.exists() else ""
    return int(text) if text else None


def test_a_report_whose_builder_is_killed_is_built_again_once(fault_stack: FaultStack) -> None:
    stack = fault_stack
    marker = stack.workdir / "paused-in-report"
    worker = stack.start_worker(
        pool="prefork", FAULT_PAUSE_IN="report", FAULT_PAUSE_FILE=str(marker)
    )
    wait_until_beating(stack, worker)
    script_env = stack.env("script")
    report_id = int(
        run_python(REQUEST_REPORT % {"user": stack.seed["commissioner_id"]}, script_env)
    )

    builder = wait_for(
        lambda: _pid_in(marker), timeout=TASK_TIMEOUT, message=lambda: worker.log_tail()
    )
    assert builder != worker.process.pid  # type: ignore[union-attr]
    assert stack.value("SELECT status FROM evaluation_report WHERE id = %s", report_id) == (
        "running"
    )
    os.kill(builder, signal.SIGKILL)

    def finished() -> str | None:
        worker.assert_alive()
        status = stack.value("SELECT status FROM evaluation_report WHERE id = %s", report_id)
        return status if status in ("ready", "failed") else None

    assert wait_for(finished, timeout=TASK_TIMEOUT, message=stack.logs) == "ready"
    uuid, file_name = stack.rows(
        "SELECT uuid, file FROM evaluation_report WHERE id = %s", report_id
    )[0]
    key = f"evaluation:report-ready:{uuid}"
    wait_for(lambda: key in message_ids(stack.mail_dir), timeout=TASK_TIMEOUT, message=stack.logs)

    # The rerun came from the requeued message, after the pool process was lost.
    log = worker.log_path.read_text()
    assert "WorkerLostError" in log, worker.log_tail()
    assert log.count("Task evaluation.tasks.report_build_task") >= 2, worker.log_tail()
    # Exactly once: one stored file, one "ready" email, even after more sweeps.
    media = Path(worker.env["MEDIA_ROOT"])
    files = [p for p in media.rglob("*") if p.is_file() and str(uuid) in p.name]
    assert [p.relative_to(media).as_posix() for p in files] == [file_name]
    assert (media / file_name).read_bytes().startswith(b"%PDF")
    sent = stack.value("SELECT sent_at FROM core_outboxmessage WHERE idempotency_key = %s", key)
    wait_until_beating(stack, worker, after=sent + timedelta(seconds=4))
    assert Counter(message_ids(stack.mail_dir))[key] == 1


def test_training_reminders_cut_off_by_a_killed_worker_are_each_sent_once(
    fault_stack: FaultStack,
) -> None:
    stack = fault_stack
    marker = stack.workdir / "paused-in-reminders"
    hooks = {
        "FAULT_PAUSE_IN": "reminder",
        "FAULT_PAUSE_FILE": str(marker),
        "FAULT_VISIBILITY_TIMEOUT": "5",
    }
    first = stack.start_worker(**hooks)
    wait_until_beating(stack, first)
    run_python(SEND_REMINDERS, stack.env("script"))

    wait_for(lambda: _pid_in(marker), timeout=TASK_TIMEOUT, message=lambda: first.log_tail())
    reminders = "SELECT count(*) FROM core_outboxmessage WHERE idempotency_key LIKE %s"
    pattern = "training:reminder:%:2h"
    assert stack.value(reminders, pattern) == 1
    first.kill()
    killed_at = time.monotonic()

    second = stack.start_worker(**hooks)
    bookings = stack.seed["bookings"]
    wanted = {f"training:reminder:{pk}:2h" for pk in bookings}

    def all_delivered() -> bool:
        second.assert_alive()
        return wanted <= set(message_ids(stack.mail_dir))

    wait_for(all_delivered, timeout=TASK_TIMEOUT, message=stack.logs)
    assert stack.value(reminders, pattern) == len(bookings)
    # The second worker ran the very message the first one had taken (redelivered by Redis).
    assert "Task training.tasks.reminders_send_task" in second.log_path.read_text()
    last = stack.value("SELECT max(sent_at) FROM core_outboxmessage")
    wait_until_beating(stack, second, after=last + timedelta(seconds=4))
    counts = Counter(k for k in message_ids(stack.mail_dir) if k.startswith("training:"))
    assert counts == Counter(wanted), counts
    took = time.monotonic() - killed_at
    print(f"reminders: all {len(wanted)} sent once, {took:.1f}s after the kill")
