from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from core.models import OutboxMessage
from referrals import tasks
from referrals.models import Service
from referrals.services.directory import listing_reminders_send, service_verify
from tests.referrals.factories import ServiceFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def provider_user(make_user, camden_trust):
    return make_user(Role.SERVICE_PROVIDER, camden_trust, email="provider@camden.example")


def _reminders():
    return OutboxMessage.objects.filter(idempotency_key__startswith="directory.listing_stale:")


def test_a_listing_unverified_for_six_months_is_reminded_once_a_month(provider_user, camden_trust):
    with time_machine.travel(START, tick=False):
        service = ServiceFactory(
            provider=camden_trust, last_verified_on=datetime.date(2026, 9, 1), name="Old listing"
        )
        fresh = ServiceFactory(provider=camden_trust, last_verified_on=datetime.date(2027, 1, 5))
        assert tasks.listing_reminders_task() == 1
        assert tasks.listing_reminders_task() == 0
        message = _reminders().get()
        assert message.recipients == ["provider@camden.example"]
        assert "Old listing" in message.subject
        assert str(service.uuid) in message.idempotency_key
        assert str(fresh.uuid) not in message.idempotency_key
    with time_machine.travel(START + datetime.timedelta(days=12), tick=False):
        assert listing_reminders_send() == 0
    with time_machine.travel(START + datetime.timedelta(days=31), tick=False):
        assert listing_reminders_send() == 1
    assert _reminders().count() == 2


def test_confirming_the_listing_stops_the_reminders(provider_user, camden_trust):
    with time_machine.travel(START, tick=False):
        service: Service = ServiceFactory(
            provider=camden_trust, last_verified_on=datetime.date(2026, 1, 1)
        )
        assert listing_reminders_send() == 1
    with time_machine.travel(START + datetime.timedelta(days=31), tick=False):
        service_verify(service=service, actor=provider_user)
        assert listing_reminders_send() == 0
    # Six months after the confirmation it is due again.
    with time_machine.travel(START + datetime.timedelta(days=31 + 190), tick=False):
        assert service.last_verified_on == timezone.localdate() - datetime.timedelta(days=190)
        assert listing_reminders_send() == 1


def test_a_listing_that_was_never_verified_is_due_six_months_after_it_was_added(
    camden_trust, provider_user
):
    with time_machine.travel(START, tick=False):
        ServiceFactory(provider=camden_trust, last_verified_on=None)
        assert listing_reminders_send() == 0
    with time_machine.travel(START + datetime.timedelta(days=190), tick=False):
        assert listing_reminders_send() == 1
        assert "has never been confirmed" in _reminders().get().body_text


def test_without_provider_users_the_listings_own_email_is_reminded(camden_trust):
    with time_machine.travel(START, tick=False):
        ServiceFactory(
            provider=camden_trust,
            last_verified_on=datetime.date(2026, 1, 1),
            email="team@camden.example",
        )
        ServiceFactory(provider=camden_trust, last_verified_on=datetime.date(2026, 1, 1), email="")
        assert listing_reminders_send() == 1
        assert _reminders().get().recipients == ["team@camden.example"]


def test_the_reminder_task_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["directory-listing-reminders"]
    assert entry["task"] == "referrals.tasks.listing_reminders_task"
