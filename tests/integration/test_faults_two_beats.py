"""Two beat processes started by mistake (issue 8): no reminder goes out twice.

Two `celery worker -B` processes (each with its own beat and schedule file, as on two
machines) run the training and referral reminder jobs every second for a while, so the
jobs run again and again, and at the same time on both. Each reminder has its own outbox
key and referral reminders are claimed under a row lock, so each goes out exactly once.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest

from tests.integration.faults import FaultStack, message_ids, wait_until_beating
from tests.integration.support import wait_for

pytestmark = pytest.mark.integration

RUN_SECONDS = 10.0
DELIVERY_TIMEOUT = 60.0


def test_two_beats_running_the_reminder_jobs_send_each_reminder_once(
    fault_stack: FaultStack,
) -> None:
    stack = fault_stack
    beats = [stack.start_worker(FAULT_FAST_SCHEDULE="1") for _ in range(2)]
    for worker in beats:
        wait_until_beating(stack, worker)
    training = {f"training:reminder:{pk}:2h" for pk in stack.seed["bookings"]}
    referrals = {f"referral-reminder-{u}" for u in stack.seed["waiting_referrals"]}
    wanted = training | referrals

    wait_for(
        lambda: wanted <= set(message_ids(stack.mail_dir)),
        timeout=DELIVERY_TIMEOUT,
        message=stack.logs,
    )
    # Keep both beats scheduling the jobs (and both workers running them) a while longer.
    time.sleep(RUN_SECONDS)
    last = stack.value("SELECT max(sent_at) FROM core_outboxmessage")
    for worker in beats:
        wait_until_beating(stack, worker, after=last + timedelta(seconds=4))

    # Both beats really sent the jobs, many times each.
    for worker in beats:
        log = worker.log_path.read_text()
        assert log.count("Sending due task training-reminders") >= 5, worker.log_tail()
        assert log.count("Sending due task referral-reminders") >= 5, worker.log_tail()
    # Each reminder was written once and sent once.
    counts = Counter(message_ids(stack.mail_dir))
    assert {key: counts[key] for key in wanted} == dict.fromkeys(wanted, 1), counts
    assert set(counts) == wanted, set(counts) - wanted
    assert stack.value(
        "SELECT count(*) FROM core_outboxmessage WHERE status = 'sent' AND attempts = 1"
    ) == len(wanted)
    # Each waiting referral was reminded once (one audit event, one reminder time).
    assert stack.value(
        "SELECT count(*) FROM core_auditevent WHERE action = 'referral.reminder_sent'"
    ) == len(referrals)
    assert stack.value(
        "SELECT count(*) FROM referrals_referral WHERE reminder_sent_at IS NOT NULL"
    ) == len(referrals)
