"""Thin Celery tasks for referrals: take ids, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from referrals.services import directory as directory_services
from referrals.services import referrals as referral_services
from referrals.services import retention as retention_services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def listing_reminders_task() -> int:
    """Remind providers whose listings nobody has confirmed for six months."""
    return directory_services.listing_reminders_send()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def referral_reminders_task() -> int:
    """Remind providers, once each, about referrals they have not answered."""
    return referral_services.referral_reminders_send()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def referral_contacts_purge_task() -> int:
    """Blank residents' personal data past its retention period; how many records changed."""
    return sum(retention_services.resident_data_purge().values())
