"""Redis stopped while frontline workers log conversations and make referrals (issue 8).

Every request still answers (a redirect to the saved record, then its page), every record is
saved, and every provider notification is delivered within 60 seconds of Redis returning,
none twice: the outbox row is written in the request's transaction and the worker's sweeper
sends what the broker never carried. Emails are counted by Message-ID (the outbox key) in
the file backend's folder.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest

from tests.integration.faults import (
    FaultStack,
    PortalClient,
    message_ids,
    running,
    wait_until_beating,
)
from tests.integration.support import wait_for

pytestmark = pytest.mark.integration

CLIENTS = 4
OUTAGE_SECONDS = 6.0
DELIVERY_LIMIT = 60.0
SWEEP_SECONDS = 2


def busy(client: PortalClient) -> None:
    conversation = client.log_conversation()
    if conversation is not None:
        client.refer(conversation)
    time.sleep(0.1)


def test_redis_outage_loses_no_record_and_no_notification_and_sends_none_twice(
    fault_stack: FaultStack,
) -> None:
    stack = fault_stack
    since = stack.value("SELECT now()")
    worker = stack.start_worker()
    stack.start_portal()
    wait_until_beating(stack, worker)
    clients = stack.clients(CLIENTS)

    def referrals_made() -> int:
        return sum(len(c.referrals) for c in clients)

    with running(clients, busy):
        wait_for(lambda: referrals_made() >= 4, timeout=60, message=stack.logs)
        stack.redis.stop()
        during_from = referrals_made()
        time.sleep(OUTAGE_SECONDS)
        made_during_outage = referrals_made() - during_from
        stack.redis.start()
        redis_back = time.monotonic()
        time.sleep(1.0)
    assert made_during_outage >= CLIENTS, "the clients made too few referrals while Redis was down"

    # Every request answered: each form post redirected to the saved record, which showed.
    outcomes = [o for c in clients for o in c.outcomes]
    failures = [o for o in outcomes if o.status not in (200, 302)]
    assert not failures, (failures[:3], stack.logs())
    assert all(o.status == 302 for o in outcomes if o.what in ("log conversation", "make referral"))

    # Every record saved.
    conversations = {u for c in clients for u in c.conversations}
    referrals = {u for c in clients for u in c.referrals}
    assert len(referrals) == len(conversations)
    stored_conversations = {
        str(u)
        for (u,) in stack.rows(
            "SELECT uuid FROM referrals_conversation WHERE created_at > %s", since
        )
    }
    stored_referrals = {
        str(u)
        for (u,) in stack.rows("SELECT uuid FROM referrals_referral WHERE created_at > %s", since)
    }
    assert stored_conversations == conversations
    assert stored_referrals == referrals

    # Every notification delivered within 60 s of Redis returning, none twice.
    wanted = {f"referral-new-{u}" for u in referrals}

    def delivered() -> bool:
        return wanted <= set(message_ids(stack.mail_dir))

    wait_for(
        delivered,
        timeout=max(1.0, DELIVERY_LIMIT - (time.monotonic() - redis_back)),
        message=lambda: (
            f"{len(wanted - set(message_ids(stack.mail_dir)))} of {len(wanted)} "
            f"notifications not delivered\n{stack.logs()}"
        ),
    )
    took = time.monotonic() - redis_back
    assert took <= DELIVERY_LIMIT
    # Two more sweeps (the heartbeat shows beat and the worker still run) send nothing more.
    last_sent = stack.value("SELECT max(sent_at) FROM core_outboxmessage")
    wait_until_beating(stack, worker, after=last_sent + timedelta(seconds=2 * SWEEP_SECONDS))
    counts = Counter(message_ids(stack.mail_dir))
    doubled = {key: n for key, n in counts.items() if n > 1}
    assert not doubled, doubled
    assert (
        stack.value(
            "SELECT count(*) FROM core_outboxmessage WHERE idempotency_key LIKE 'referral-new-%%' "
            "AND created_at > %s AND status <> 'sent'",
            since,
        )
        == 0
    )
    # The outage path was taken: the portal could not publish and left rows for the sweeper.
    assert stack.portal is not None
    assert "left for the sweeper" in stack.portal.log_path.read_text()
    print(f"notifications: {len(wanted)}, all delivered {took:.1f}s after Redis returned")
