"""Retention of residents' personal data: blank it on schedule, keep what the counts need."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.services import audit_record
from referrals.models import Conversation
from referrals.services.referrals import referral_contacts_purge

# A conversation's anonymous resident profile. Dashboards count conversations, not profiles.
RESIDENT_PROFILE_FIELDS = ("age_band", "sex", "ethnic_group", "postcode_district")


@transaction.atomic
def resident_profiles_purge(*, now: datetime.datetime | None = None) -> int:
    """Blank the resident profile of conversations older than the retention period."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.RESIDENT_PROFILE_RETENTION_DAYS)
    not_blank = Q()
    for field in RESIDENT_PROFILE_FIELDS:
        not_blank |= ~Q(**{field: ""})
    # updated_at is left alone: it says when a person last edited the conversation.
    return Conversation.objects.filter(not_blank, occurred_at__lte=cutoff).update(
        **dict.fromkeys(RESIDENT_PROFILE_FIELDS, "")
    )


def resident_data_purge(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every resident-data retention rule; audit the counts (never the data) if any."""
    now = now or timezone.now()
    counts = {
        "referral_contacts": referral_contacts_purge(now=now),
        "resident_profiles": resident_profiles_purge(now=now),
    }
    if any(counts.values()):
        audit_record(
            actor=None,
            action="retention.resident_data_purged",
            details={
                **counts,
                "referral_contact_retention_days": settings.REFERRAL_CONTACT_RETENTION_DAYS,
                "referral_contact_max_open_days": settings.REFERRAL_CONTACT_MAX_OPEN_DAYS,
                "resident_profile_retention_days": settings.RESIDENT_PROFILE_RETENTION_DAYS,
            },
        )
    return counts
