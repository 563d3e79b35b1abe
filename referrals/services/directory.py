"""Writes for the service directory: listing edits, verification, problem reports, reminders."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from core.services import audit_record, outbox_enqueue
from referrals.models import ListingProblemReport, Service
from referrals.selectors.directory import listing_contacts, stale_services

LISTING_FIELDS = (
    "name",
    "description",
    "status",
    "referral_route",
    "email",
    "url",
    "alert",
    "minimum_age",
    "maximum_age",
    "eligibility_description",
    "is_free",
    "fees_description",
)


def _listing_url(service: Service, name: str = "referrals:service_detail") -> str:
    return settings.SITE_URL + reverse(name, args=[service.uuid])


@transaction.atomic
def service_update(
    *,
    service: Service,
    actor: Any,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> Service:
    """Save a provider's or administrator's edit to a listing; editing also verifies it."""
    changed = [
        name for name in LISTING_FIELDS if name in data and getattr(service, name) != data[name]
    ]
    for name in changed:
        setattr(service, name, data[name])
    service.last_verified_on = timezone.localdate()
    service.last_verified_by = actor
    service.save(update_fields=[*changed, "last_verified_on", "last_verified_by", "updated_at"])
    relations = {}
    for name in ("topics", "areas_served"):
        if name in data:
            before = set(getattr(service, name).values_list("pk", flat=True))
            after = {obj.pk for obj in data[name]}
            if before != after:
                getattr(service, name).set(data[name])
                relations[name] = sorted(after)
    audit_record(
        actor=actor,
        action="directory.listing_updated",
        target=service,
        request=request,
        details={"fields": changed, **relations},
    )
    return service


@transaction.atomic
def service_verify(*, service: Service, actor: Any, request: HttpRequest | None = None) -> Service:
    """Record that the provider confirmed the listing is still correct today."""
    service.last_verified_on = timezone.localdate()
    service.last_verified_by = actor
    service.save(update_fields=["last_verified_on", "last_verified_by", "updated_at"])
    audit_record(actor=actor, action="directory.listing_verified", target=service, request=request)
    return service


@transaction.atomic
def problem_report_create(
    *,
    service: Service,
    reporter: Any,
    kind: str,
    details: str,
    request: HttpRequest | None = None,
) -> ListingProblemReport:
    """Store a report that a listing is wrong and email the provider about it."""
    report = ListingProblemReport.objects.create(
        service=service, reported_by=reporter, kind=kind, details=details
    )
    recipients = listing_contacts(service)
    if recipients:
        outbox_enqueue(
            idempotency_key=f"directory.problem_report:{report.pk}",
            recipients=recipients,
            subject=f"Someone reported a problem with your listing: {service.name}",
            body_text=(
                f"Someone using the MECC Portal told us that your listing for {service.name} "
                f"may be wrong.\n\nWhat is wrong: {report.get_kind_display()}\n\n"
                f"What they said:\n{details}\n\n"
                f"Check and update the listing: {_listing_url(service, 'referrals:service_edit')}\n"
            ),
        )
    audit_record(
        actor=reporter,
        action="directory.problem_reported",
        target=service,
        request=request,
        details={"report": report.pk, "kind": kind},
    )
    return report


def _reminder_key(service: Service, today: datetime.date) -> str:
    # One reminder per listing per calendar month while it stays out of date.
    return f"directory.listing_stale:{service.uuid}:{today:%Y-%m}"


@transaction.atomic
def listing_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind providers of listings unverified for six months (once a month each)."""
    today = today or timezone.localdate()
    sent = 0
    for service in stale_services(today):
        recipients = listing_contacts(service)
        if not recipients:
            continue
        verified = (
            f"was last confirmed on {service.last_verified_on:%-d %B %Y}"
            if service.last_verified_on
            else "has never been confirmed"
        )
        key = _reminder_key(service, today)
        if OutboxMessage.objects.filter(idempotency_key=key).exists():
            continue
        outbox_enqueue(
            idempotency_key=key,
            recipients=recipients,
            subject=f"Is your listing still correct? {service.name}",
            body_text=(
                f"Your MECC Portal listing for {service.name} {verified}.\n\n"
                "Frontline staff use it to signpost and refer residents, so please check it "
                "and confirm it is still correct, or update it:\n"
                f"{_listing_url(service)}\n"
            ),
        )
        sent += 1
    return sent
