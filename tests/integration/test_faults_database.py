"""PostgreSQL restarted under load (issue 8): a clear 503 page during the outage, no partial
writes, and the portal recovers by itself, without a restart.

A real gunicorn portal on the test's own PostgreSQL cluster; four frontline workers keep
logging conversations and making referrals while the cluster is stopped and started again.
"""

from __future__ import annotations

import time

import pytest

from tests.integration.faults import UNAVAILABLE_TEXT, FaultStack, PortalClient, running
from tests.integration.support import wait_for

pytestmark = pytest.mark.integration

CLIENTS = 4
OUTAGE_SECONDS = 4.0
RECOVERY_TIMEOUT = 30.0


def busy(client: PortalClient) -> None:
    conversation = client.log_conversation()
    if conversation is not None:
        client.refer(conversation)
    # A person retrying, not a flood: a little longer after a failure.
    time.sleep(0.1 if conversation else 0.3)


def test_postgresql_restart_under_load_gives_503s_then_recovers_with_no_partial_writes(
    fault_stack: FaultStack,
) -> None:
    stack = fault_stack
    since = stack.value("SELECT now()")
    stack.start_portal()
    clients = stack.clients(CLIENTS)

    def saved() -> int:
        return sum(len(c.conversations) for c in clients)

    with running(clients, busy):
        wait_for(lambda: saved() >= 8, timeout=60, message=stack.logs)
        stack.cluster.stop("fast")
        outage_began = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        stack.cluster.start()
        back = time.monotonic()
        before = [len(c.conversations) for c in clients]
        # Recovered by itself: every client saves again, with nothing restarted.
        wait_for(
            lambda: all(len(c.conversations) > n + 1 for c, n in zip(clients, before, strict=True)),
            timeout=RECOVERY_TIMEOUT,
            message=lambda: f"the portal did not recover\n{stack.logs()}",
        )
    assert stack.portal is not None and stack.portal.process is not None
    assert stack.portal.process.poll() is None, "gunicorn died"

    outcomes = [o for c in clients for o in c.outcomes]
    statuses = {o.status for o in outcomes}
    assert statuses <= {200, 302, 503}, (
        sorted(statuses),
        [o for o in outcomes if o.status not in (200, 302, 503)][:3],
        stack.logs(),
    )
    unavailable = [o for o in outcomes if o.status == 503]
    assert unavailable, "no request saw the outage"
    for outcome in unavailable:
        assert UNAVAILABLE_TEXT in outcome.text, outcome.text[:1000]
        assert outage_began - 1 <= outcome.at <= back + RECOVERY_TIMEOUT
    # Once a client has saved again after the restart, it sees no more errors.
    for client in clients:
        recovered_at = next(
            o.at
            for o in client.outcomes
            if o.at > back and o.what == "log conversation" and o.status == 302
        )
        later = [o for o in client.outcomes if o.at > recovered_at]
        assert all(o.status in (200, 302) for o in later), later

    # Nothing half-saved: every conversation has its topic, audit and change rows; every
    # referral its status history, audit row and provider notification.
    assert (
        stack.value(
            "SELECT count(*) FROM referrals_conversation c WHERE NOT EXISTS "
            "(SELECT 1 FROM referrals_conversation_topics t WHERE t.conversation_id = c.id)"
        )
        == 0
    ), "a conversation without its topics"
    assert (
        stack.value(
            "SELECT count(*) FROM referrals_conversation c WHERE c.created_at > %s "
            "AND NOT EXISTS (SELECT 1 FROM core_auditevent a WHERE "
            "a.action = 'conversation.logged' AND a.target_id = c.id::text)",
            since,
        )
        == 0
    ), "a conversation without its audit event"
    assert (
        stack.value(
            "SELECT count(*) FROM referrals_referral r WHERE NOT EXISTS "
            "(SELECT 1 FROM referrals_referralstatuschange s WHERE s.referral_id = r.id)"
        )
        == 0
    )
    assert (
        stack.value(
            "SELECT count(*) FROM referrals_referral r WHERE r.kind = 'referral' AND "
            "r.created_at > %s AND NOT EXISTS (SELECT 1 FROM "
            "core_outboxmessage m WHERE m.idempotency_key = 'referral-new-' || r.uuid::text)",
            since,
        )
        == 0
    ), "a referral without its provider notification"
    # Every save a client was told about is there; a 503 after the commit may leave one more.
    conversations = {u for c in clients for u in c.conversations}
    referrals = {u for c in clients for u in c.referrals}
    stored = {
        str(u)
        for (u,) in stack.rows(
            "SELECT uuid FROM referrals_conversation WHERE created_at > %s AND author_id IN "
            "(SELECT id FROM accounts_user WHERE email = ANY(%s))",
            since,
            [c.email for c in clients],
        )
    }
    assert conversations <= stored
    failed_posts = sum(o.status == 503 for o in outcomes if o.what == "log conversation")
    assert len(stored) - len(conversations) <= failed_posts
    stored_referrals = {str(u) for (u,) in stack.rows("SELECT uuid FROM referrals_referral")}
    assert referrals <= stored_referrals
