"""Organisation returns: saving drafts, submitting, reopening, and deadline reminders."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role, RoleMembership
from core.models import OutboxMessage
from core.services import audit_record, outbox_enqueue
from evaluation.models import OrganisationReturn, ReturnPeriod, ReturnProgramme

REMINDER_DAYS_BEFORE_DEADLINE = 14

# The answers a return holds, and the ones it must have before it can be submitted.
ANSWER_FIELDS = (
    "programmes",
    "delivery",
    "people_trained",
    "trainers_now",
    "budget_now_pounds",
    "training_hours_now",
    "trainers_next_year",
    "budget_next_year_pounds",
    "training_hours_next_year",
    "plans_and_priorities",
    "joint_working",
    "evaluations_done",
)
REQUIRED_FOR_SUBMISSION = tuple(f for f in ANSWER_FIELDS if f != "programmes")


class ReturnError(Exception):
    """A change the rules refuse; the message is plain English for the person asking."""


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def missing_answers(organisation_return: OrganisationReturn) -> list[str]:
    """The answers a return still needs before it can be submitted."""
    return [
        name for name in REQUIRED_FOR_SUBMISSION if getattr(organisation_return, name) in (None, "")
    ]


def _locked(organisation: Organisation, period: ReturnPeriod) -> OrganisationReturn:
    existing = (
        OrganisationReturn.objects.select_for_update()
        .filter(organisation=organisation, period=period)
        .first()
    )
    if existing is not None:
        if existing.is_submitted:
            raise ReturnError(
                "This return has been submitted, so it cannot be changed. Ask a commissioner "
                "to reopen it if something needs correcting."
            )
        return existing
    return OrganisationReturn(organisation=organisation, period=period)


def _apply(organisation_return: OrganisationReturn, answers: Mapping[str, Any], actor: Any) -> None:
    unknown = set(answers) - set(ANSWER_FIELDS)
    if unknown:
        raise ValueError(f"unknown answers: {sorted(unknown)}")
    programmes = answers.get("programmes") or []
    if set(programmes) - set(ReturnProgramme.values):
        raise ValueError("unknown programme")
    for name in ANSWER_FIELDS:
        if name in answers:
            value = answers[name]
            if name == "programmes":
                value = [code for code in ReturnProgramme.values if code in programmes]
            setattr(organisation_return, name, "" if value is None and name in _TEXT else value)
    organisation_return.updated_by = actor


_TEXT = {"delivery", "plans_and_priorities", "joint_working", "evaluations_done"}


@transaction.atomic
def return_save_draft(
    *,
    actor: Any,
    organisation: Organisation,
    period: ReturnPeriod,
    answers: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> OrganisationReturn:
    """Save the answers so far as a draft (creating the return on first save)."""
    organisation_return = _locked(organisation, period)
    _apply(organisation_return, answers, actor)
    organisation_return.save()
    audit_record(
        actor=actor, action="evaluation.return_saved", target=organisation_return, request=request
    )
    return organisation_return


@transaction.atomic
def return_submit(
    *,
    actor: Any,
    organisation: Organisation,
    period: ReturnPeriod,
    answers: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> OrganisationReturn:
    """Save the answers and submit the return; it is read-only from then on."""
    organisation_return = _locked(organisation, period)
    _apply(organisation_return, answers, actor)
    if missing_answers(organisation_return):
        raise ReturnError("Answer every question before you submit the return")
    organisation_return.status = OrganisationReturn.Status.SUBMITTED
    organisation_return.submitted_at = timezone.now()
    organisation_return.submitted_by = actor
    organisation_return.save()
    audit_record(
        actor=actor,
        action="evaluation.return_submitted",
        target=organisation_return,
        request=request,
        details={"period": period.name},
    )
    return organisation_return


def _training_lead_emails(organisation_ids: list[int]) -> dict[int, list[str]]:
    memberships = RoleMembership.objects.filter(
        role=Role.TRAINING_LEAD, organisation_id__in=organisation_ids, user__is_active=True
    ).select_related("user")
    emails: dict[int, list[str]] = {}
    for membership in memberships.order_by("user__email"):
        if membership.organisation_id is not None:
            emails.setdefault(membership.organisation_id, []).append(membership.user.email)
    return emails


@transaction.atomic
def return_reopen(
    *,
    actor: Any,
    organisation_return: OrganisationReturn,
    reason: str,
    request: HttpRequest | None = None,
) -> OrganisationReturn:
    """Put a submitted return back to draft so its training lead can correct it."""
    locked = OrganisationReturn.objects.select_for_update().get(pk=organisation_return.pk)
    if not locked.is_submitted:
        raise ReturnError("This return is not submitted, so there is nothing to reopen")
    reason = reason.strip()
    if not reason:
        raise ReturnError("Enter why you are reopening the return")
    locked.status = OrganisationReturn.Status.DRAFT
    locked.reopened_at = timezone.now()
    locked.reopened_by = actor
    locked.reopen_reason = reason
    locked.save()
    audit_record(
        actor=actor,
        action="evaluation.return_reopened",
        target=locked,
        request=request,
        details={"reason": reason, "period": locked.period.name},
    )
    recipients = _training_lead_emails([locked.organisation_id]).get(locked.organisation_id, [])
    if recipients:
        context = {
            "organisation_return": locked,
            "reason": reason,
            "url": absolute_url(
                reverse(
                    "evaluation:return_edit",
                    kwargs={
                        "organisation_id": locked.organisation_id,
                        "period_id": locked.period_id,
                    },
                )
            ),
        }
        outbox_enqueue(
            idempotency_key=f"evaluation:return-reopened:{locked.pk}:{locked.reopened_at.timestamp()}",
            recipients=recipients,
            subject=f"Your organisation's return for {locked.period} has been reopened",
            body_text=render_to_string("evaluation/returns/email/reopened.txt", context),
        )
    return locked


def reminder_key(period: ReturnPeriod, organisation_id: int) -> str:
    return f"evaluation:return-reminder:{period.pk}:{organisation_id}"


def return_reminders_send(*, today: date | None = None) -> int:
    """Remind the training leads of every organisation that has not submitted, 14 days before
    a period's deadline (once per organisation per period); returns how many were queued."""
    today = today or timezone.localdate()
    periods = ReturnPeriod.objects.filter(
        deadline__gte=today,
        deadline__lte=today + timedelta(days=REMINDER_DAYS_BEFORE_DEADLINE),
    )
    queued = 0
    for period in periods:
        submitted = set(
            OrganisationReturn.objects.filter(
                period=period, status=OrganisationReturn.Status.SUBMITTED
            ).values_list("organisation_id", flat=True)
        )
        leads = _training_lead_emails(
            list(
                RoleMembership.objects.filter(role=Role.TRAINING_LEAD, organisation__isnull=False)
                .exclude(organisation_id__in=submitted)
                .values_list("organisation_id", flat=True)
                .distinct()
            )
        )
        already = set(
            OutboxMessage.objects.filter(
                idempotency_key__in=[reminder_key(period, org_id) for org_id in leads]
            ).values_list("idempotency_key", flat=True)
        )
        organisations = Organisation.objects.in_bulk(list(leads))
        for org_id, recipients in leads.items():
            key = reminder_key(period, org_id)
            if key in already:
                continue
            with transaction.atomic():
                context = {
                    "organisation": organisations[org_id],
                    "period": period,
                    "url": absolute_url(
                        reverse(
                            "evaluation:return_edit",
                            kwargs={"organisation_id": org_id, "period_id": period.pk},
                        )
                    ),
                }
                outbox_enqueue(
                    idempotency_key=key,
                    recipients=recipients,
                    subject=f"Your organisation's return for {period} is due by "
                    f"{period.deadline:%-d %B %Y}",
                    body_text=render_to_string("evaluation/returns/email/reminder.txt", context),
                )
            queued += 1
    return queued
