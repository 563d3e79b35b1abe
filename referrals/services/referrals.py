"""Writes for consented referrals: create, move through their statuses, remind, purge."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.access import ROLE_PERMISSIONS, Permission
from accounts.models import Organisation, Role, RoleMembership, User
from core.services import audit_record, change_record, outbox_enqueue
from referrals import fhir
from referrals.models import (
    RESIDENT_CONTACT_FIELDS,
    Conversation,
    Referral,
    ReferralStatusChange,
    Service,
    Topic,
)
from referrals.selectors.rollups import CONVERSATION_STREAM, conversation_bucket

S = Referral.Status

# Who may move a referral from one status to the next.
PROVIDER_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SENT: frozenset({S.ACCEPTED, S.DECLINED}),
    S.ACCEPTED: frozenset({S.ATTENDED, S.DID_NOT_ATTEND, S.COMPLETED}),
    S.ATTENDED: frozenset({S.COMPLETED}),
}
REFERRER_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SENT: frozenset({S.CANCELLED}),
    S.ACCEPTED: frozenset({S.CANCELLED}),
}
CLOSED_STATUSES = frozenset({S.DECLINED, S.DID_NOT_ATTEND, S.COMPLETED, S.CANCELLED})


class TransitionNotAllowed(ValidationError):
    """The referral cannot move to that status from where it is, or not by this user."""


@dataclass(frozen=True)
class ReferralContact:
    name: str
    phone: str
    email: str
    preferred_time: str


def consent_statement_for(service: Service) -> str:
    """The words the resident agrees to, recorded with the referral."""
    return (
        f"The resident agreed to share their contact details with {service.provider.name} "
        f"so that {service.name} can contact them about this referral."
    )


def _responder_emails(provider: Organisation) -> list[str]:
    """Addresses of the provider's staff who respond to referrals (administrators excluded)."""
    roles = [
        role
        for role, permissions in ROLE_PERMISSIONS.items()
        if Permission.RESPOND_TO_REFERRALS in permissions and role != Role.ADMINISTRATOR
    ]
    return sorted(
        set(
            RoleMembership.objects.filter(
                organisation=provider, role__in=roles, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def _referral_url(referral: Referral) -> str:
    return settings.SITE_URL + reverse("referrals:referral_detail", args=[referral.uuid])


def _history_add(
    *, referral: Referral, status: str, actor: User | None, at: datetime.datetime, reason: str = ""
) -> None:
    ReferralStatusChange.objects.create(
        referral=referral, status=status, changed_at=at, changed_by=actor, reason=reason
    )


@transaction.atomic
def referral_create(
    *,
    conversation: Conversation,
    service: Service,
    actor: User,
    consent_given: bool,
    contact_name: str,
    contact_phone: str = "",
    contact_email: str = "",
    contact_preferred_time: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """Refer the resident to a service with their recorded consent; tell the provider."""
    if conversation.author_id != actor.pk:
        raise PermissionDenied("Only the person who logged the conversation can refer")
    if service.referral_route != Service.ReferralRoute.PROFESSIONAL_REFERRAL:
        raise ValidationError("This service does not take referrals through the portal")
    if not consent_given:
        raise ValidationError("The resident must agree before you make a referral")
    if not contact_name.strip() or not (contact_phone.strip() or contact_email.strip()):
        raise ValidationError("Enter the resident's name and a phone number or email address")
    if Referral.objects.filter(
        conversation=conversation, service=service, kind=Referral.Kind.REFERRAL
    ).exists():
        raise ValidationError("You have already referred this resident to this service")
    now = timezone.now()
    topic = (
        Topic.objects.filter(conversations=conversation, services=service)
        .order_by("-urgent_support_first", "display_order", "name")
        .first()
    )
    referral = Referral.objects.create(
        conversation=conversation,
        service=service,
        topic=topic,
        kind=Referral.Kind.REFERRAL,
        status=S.SENT,
        created_by=actor,
        status_changed_at=now,
        consent_statement=consent_statement_for(service),
        consent_given_at=now,
        consent_recorded_by=actor,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip(),
        contact_preferred_time=contact_preferred_time.strip(),
    )
    _history_add(referral=referral, status=S.SENT, actor=actor, at=now)
    change_record(stream=CONVERSATION_STREAM, keys=[conversation_bucket(conversation)])
    audit_record(
        actor=actor,
        action="referral.created",
        target=referral,
        request=request,
        details={"service": str(service.uuid)},
    )
    recipients = _responder_emails(service.provider)
    if recipients:
        # No resident data in email: the provider signs in to see the referral.
        outbox_enqueue(
            idempotency_key=f"referral-new-{referral.uuid}",
            recipients=recipients,
            subject=f"New referral to {service.name}",
            body_text=(
                f"You have a new referral to {service.name}.\n\n"
                f"Sign in to the MECC Portal to see it and respond:\n{_referral_url(referral)}\n"
            ),
        )
    return referral


def allowed_next_statuses(*, referral: Referral, as_provider: bool) -> list[str]:
    """Statuses this side may move the referral to now."""
    if referral.kind != Referral.Kind.REFERRAL:
        return []
    table = PROVIDER_TRANSITIONS if as_provider else REFERRER_TRANSITIONS
    return sorted(table.get(referral.status, frozenset()))


@transaction.atomic
def referral_status_update(
    *,
    referral: Referral,
    actor: User,
    status: str,
    as_provider: bool,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    """Move a referral to its next status (accept, decline with reason, attended...)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not as_provider and referral.created_by_id != actor.pk:
        raise PermissionDenied("Only the person who made the referral can cancel it")
    if status not in allowed_next_statuses(referral=referral, as_provider=as_provider):
        raise TransitionNotAllowed(
            f"A referral that is {referral.get_status_display().lower()} cannot be marked "
            f"{S(status).label.lower() if status in S.values else status}",
            code="transition",
        )
    if status == S.DECLINED and not reason.strip():
        raise ValidationError("Enter why you are declining this referral", code="reason")
    now = timezone.now()
    previous = referral.status
    referral.status = status
    referral.status_changed_at = now
    fields = ["status", "status_changed_at", "updated_at"]
    if status in CLOSED_STATUSES:
        referral.closed_at = now
        fields.append("closed_at")
    referral.save(update_fields=fields)
    _history_add(referral=referral, status=status, actor=actor, at=now, reason=reason.strip())
    change_record(stream=CONVERSATION_STREAM, keys=[conversation_bucket(referral.conversation)])
    audit_record(
        actor=actor,
        action="referral.status_changed",
        target=referral,
        request=request,
        details={"from": previous, "to": status},
    )
    return referral


@transaction.atomic
def referral_contact_view(
    *, referral: Referral, actor: User, request: HttpRequest | None = None
) -> ReferralContact:
    """The resident's contact details, for the provider; every read is audited.

    The only place they are decrypted for a person to see (Referral.objects defers them).
    """
    audit_record(actor=actor, action="referral.contact_viewed", target=referral, request=request)
    row = Referral.objects.filter(pk=referral.pk).values(*RESIDENT_CONTACT_FIELDS).get()
    return ReferralContact(
        name=row["contact_name"],
        phone=row["contact_phone"],
        email=row["contact_email"],
        preferred_time=row["contact_preferred_time"],
    )


@transaction.atomic
def referral_fhir_export(
    *, referral: Referral, actor: Any, bundle: bool, request: HttpRequest | None = None
) -> dict[str, Any]:
    """The referral as FHIR (no resident contact details in it); every export is audited."""
    audit_record(
        actor=actor,
        action="referral.exported",
        target=referral,
        request=request,
        details={"format": "fhir-bundle" if bundle else "fhir"},
    )
    if bundle:
        return fhir.message_bundle(referral, now=timezone.now())
    return fhir.service_request(referral)


def referral_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind providers once about each referral left unanswered for REFERRAL_RESPONSE_DAYS."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.REFERRAL_RESPONSE_DAYS)
    due = Referral.objects.filter(
        kind=Referral.Kind.REFERRAL,
        status=S.SENT,
        reminder_sent_at__isnull=True,
        created_at__lte=cutoff,
    ).values_list("pk", flat=True)
    return sum(referral_reminder_send(referral_id=pk, now=now) for pk in list(due))


@transaction.atomic
def referral_reminder_send(*, referral_id: int, now: datetime.datetime | None = None) -> bool:
    """Queue the one reminder about an unanswered referral; False if already sent."""
    now = now or timezone.now()
    referral = (
        Referral.objects.select_for_update()
        .select_related("service__provider")
        .filter(pk=referral_id, status=S.SENT, reminder_sent_at__isnull=True)
        .first()
    )
    if referral is None:
        return False
    recipients = _responder_emails(referral.service.provider)
    if recipients:
        outbox_enqueue(
            idempotency_key=f"referral-reminder-{referral.uuid}",
            recipients=recipients,
            subject=f"Reminder: a referral to {referral.service.name} is waiting for you",
            body_text=(
                f"A referral to {referral.service.name} has been waiting for a response for "
                f"{settings.REFERRAL_RESPONSE_DAYS} days or more.\n\n"
                f"Sign in to the MECC Portal to accept or decline it:\n"
                f"{_referral_url(referral)}\n"
            ),
        )
    referral.reminder_sent_at = now
    referral.save(update_fields=["reminder_sent_at", "updated_at"])
    audit_record(actor=None, action="referral.reminder_sent", target=referral)
    return True


def _contact_purge_due(now: datetime.datetime) -> Q:
    """Referrals closed longer ago than the retention period, or left open too long."""
    closed_before = now - datetime.timedelta(days=settings.REFERRAL_CONTACT_RETENTION_DAYS)
    opened_before = now - datetime.timedelta(days=settings.REFERRAL_CONTACT_MAX_OPEN_DAYS)
    return Q(closed_at__lte=closed_before) | Q(
        closed_at__isnull=True, created_at__lte=opened_before
    )


def referral_contacts_purge(*, now: datetime.datetime | None = None) -> int:
    """Blank residents' details on referrals past retention; the number of referrals blanked."""
    now = now or timezone.now()
    due = Referral.objects.filter(
        _contact_purge_due(now), kind=Referral.Kind.REFERRAL, contact_purged_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(referral_contact_purge(referral_id=pk, now=now) for pk in list(due))


@transaction.atomic
def referral_contact_purge(*, referral_id: int, now: datetime.datetime | None = None) -> bool:
    """Blank one referral's contact details and free-text reasons; False if not due or done.

    The referral, its status history and the counts the dashboards read all stay.
    """
    now = now or timezone.now()
    referral = (
        Referral.objects.select_for_update()
        .filter(_contact_purge_due(now), pk=referral_id, contact_purged_at__isnull=True)
        .first()
    )
    if referral is None:
        return False
    for field in RESIDENT_CONTACT_FIELDS:
        setattr(referral, field, "")
    referral.contact_purged_at = now
    referral.save(update_fields=[*RESIDENT_CONTACT_FIELDS, "contact_purged_at", "updated_at"])
    # A provider's reason for declining can describe the resident: it goes with the contact.
    reasons = (
        ReferralStatusChange.objects.filter(referral=referral).exclude(reason="").update(reason="")
    )
    audit_record(
        actor=None,
        action="referral.contact_purged",
        target=referral,
        details={"reasons_blanked": reasons},
    )
    return True
