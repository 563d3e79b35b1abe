from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.models import OutboxMessage
from core.services import housekeeping_run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _message(key: str, status: str, sent_days_ago: int | None) -> OutboxMessage:
    sent_at = timezone.now() - timedelta(days=sent_days_ago) if sent_days_ago is not None else None
    return OutboxMessage.objects.create(
        idempotency_key=key,
        status=status,
        recipients=["a@b.example"],
        subject="s",
        body_text="b",
        sent_at=sent_at,
    )


def test_housekeeping_removes_old_sent_messages_and_expired_sessions():
    old_sent = _message("old", OutboxMessage.Status.SENT, 40)
    recent_sent = _message("recent", OutboxMessage.Status.SENT, 2)
    pending = _message("pending", OutboxMessage.Status.PENDING, None)
    Session.objects.create(
        session_key="expired", session_data="", expire_date=timezone.now() - timedelta(hours=1)
    )
    Session.objects.create(
        session_key="live", session_data="", expire_date=timezone.now() + timedelta(hours=1)
    )

    assert housekeeping_run(keep_sent_days=30) == {
        "sessions": 1,
        "user_sessions": 0,
        "outbox_messages": 1,
    }
    remaining = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert remaining == {recent_sent.pk, pending.pk}
    assert old_sent.pk not in remaining
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_housekeeping_removes_the_device_rows_of_sessions_that_have_ended():
    """An IP address and browser kept for a session nobody can use any more is personal data
    with no purpose: the rows go with their sessions."""
    user = UserFactory()
    later = timezone.now() + timedelta(hours=1)
    Session.objects.create(session_key="live", session_data="", expire_date=later)
    Session.objects.create(
        session_key="expired", session_data="", expire_date=timezone.now() - timedelta(hours=1)
    )
    for key in ("live", "expired", "signed-out"):
        UserSession.objects.create(user=user, session_key=key, ip="192.0.2.1", user_agent="Firefox")

    counts = housekeeping_run(keep_sent_days=30)

    assert counts["user_sessions"] == 2
    assert list(UserSession.objects.values_list("session_key", flat=True)) == ["live"]
    assert housekeeping_run(keep_sent_days=30)["user_sessions"] == 0
