"""Pieces every training service shares: the error users see, dates, email sending."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from core.services import RenderedEmail, outbox_enqueue
from training.documents import ICS_MIMETYPE, absolute_url, session_ics, session_ics_filename
from training.models import Session


class TrainingError(Exception):
    """A request the rules refuse; the message is plain English for the person asking."""


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {day}")


def session_url(session: Session) -> str:
    return absolute_url(reverse("training:session_detail", args=[session.pk]))


@dataclass(frozen=True)
class Email:
    """A rendered email, ready for the outbox (render before taking a lock, queue inside)."""

    to: str
    subject: str
    body: str
    attachments: Sequence[dict[str, str]] = ()

    def rendered(self) -> RenderedEmail:
        """This email as an outbox renderer returns it (ADR 0014)."""
        return RenderedEmail(
            recipients=[self.to],
            subject=self.subject,
            body_text=self.body,
            attachments=self.attachments,
        )

    def queue(self, *, key: str) -> None:
        outbox_enqueue(
            idempotency_key=key,
            recipients=[self.to],
            subject=self.subject,
            body_text=self.body,
            attachments=self.attachments,
        )


def render_email(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    invite_for: Session | None = None,
    cancelled: bool = False,
) -> Email:
    """A plain-text email from templates/training/email/<template>.txt, with any invite."""
    attachments: Sequence[dict[str, str]] = ()
    if invite_for is not None:
        attachments = [
            {
                "filename": session_ics_filename(invite_for),
                "content": session_ics(invite_for, cancelled=cancelled),
                "mimetype": ICS_MIMETYPE,
            }
        ]
    body = render_to_string(f"training/email/{template}.txt", context)
    return Email(to=to, subject=subject, body=body, attachments=attachments)


def send_email(
    *,
    key: str,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    invite_for: Session | None = None,
    cancelled: bool = False,
) -> None:
    """Queue a plain-text email from templates/training/email/<template>.txt in the outbox."""
    render_email(
        to=to,
        subject=subject,
        template=template,
        context=context,
        invite_for=invite_for,
        cancelled=cancelled,
    ).queue(key=key)
