"""Display logic for training pages: money, status tags, what a learner has due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from training.models import Booking, Completion, Course, Session

DUE_SOON = timedelta(days=90)
EXPIRING_SOON = timedelta(days=60)

BOOKING_TAGS: dict[str, str] = {
    Booking.Status.BOOKED: "nhsuk-tag--blue",
    Booking.Status.WAITLISTED: "nhsuk-tag--yellow",
    Booking.Status.CANCELLED: "nhsuk-tag--grey",
    Booking.Status.ATTENDED: "nhsuk-tag--green",
    Booking.Status.NO_SHOW: "nhsuk-tag--red",
}


def money(pence: int) -> str:
    """£12.50, £12, or Free."""
    if pence == 0:
        return "Free"
    pounds, rest = divmod(pence, 100)
    return f"£{pounds:,}" if rest == 0 else f"£{pounds:,}.{rest:02d}"


def pounds(pence: int) -> str:
    """£0, £12 or £12.50: an amount of money, never "Free"."""
    return "£0" if pence == 0 else money(pence)


def course_cost(course: Course) -> str:
    if course.is_free:
        return "Free"
    label = money(course.cost_pence)
    return f"{label} (low cost)" if course.is_low_cost else label


def duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minutes")
    return " ".join(parts)


def places_left(session: Session) -> int:
    return max(session.capacity - int(getattr(session, "places_taken", 0)), 0)


def session_availability(session: Session) -> str:
    if session.is_cancelled:
        return "Cancelled"
    left = places_left(session)
    if left == 0:
        return "Full: join the waiting list"
    return f"{left} place{'s' if left != 1 else ''} left"


def booking_tag(booking: Booking) -> str:
    return BOOKING_TAGS.get(booking.status, "")


@dataclass
class CertificateRow:
    completion: Completion
    status: str
    tag: str


def certificate_status(completion: Completion, today: date | None = None) -> tuple[str, str]:
    """(words, tag colour) for a certificate's validity today."""
    today = today or timezone.localdate()
    if completion.expires_on is None:
        return "Valid", "nhsuk-tag--green"
    if completion.expires_on < today:
        return "Expired", "nhsuk-tag--red"
    if completion.expires_on - today <= EXPIRING_SOON:
        return "Expiring soon", "nhsuk-tag--yellow"
    return "Valid", "nhsuk-tag--green"


def certificate_rows(completions: Any) -> list[CertificateRow]:
    rows = []
    for completion in completions:
        status, tag = certificate_status(completion)
        rows.append(CertificateRow(completion=completion, status=status, tag=tag))
    return rows


def refreshers_due(completions: list[Completion], today: date | None = None) -> list[Completion]:
    """The latest certificate per programme that has expired or expires within 90 days."""
    today = today or timezone.localdate()
    latest: dict[int, Completion] = {}
    for completion in completions:
        programme_id = completion.course.programme_id
        current = latest.get(programme_id)
        if current is None or completion.completed_on > current.completed_on:
            latest[programme_id] = completion
    return sorted(
        (
            c
            for c in latest.values()
            if c.expires_on is not None and c.expires_on - today <= DUE_SOON
        ),
        key=lambda c: c.expires_on or today,
    )


@dataclass
class CascadeNode:
    trainer: Any
    children: list[CascadeNode]


def trainer_cascade(trainers: list[Any]) -> list[CascadeNode]:
    """Who trained whom, as a forest: roots are trainers trained by nobody in the list."""
    by_pk = {t.pk: t for t in trainers}
    children: dict[int | None, list[Any]] = {}
    for trainer in trainers:
        parents = {
            a.trained_by_id for a in getattr(trainer, "accreditations", []) if a.trained_by_id
        }
        parent = next((p for p in sorted(parents) if p in by_pk and p != trainer.pk), None)
        children.setdefault(parent, []).append(trainer)

    def build(parent: int | None, seen: frozenset[int]) -> list[CascadeNode]:
        return [
            CascadeNode(trainer=t, children=build(t.pk, seen | {t.pk}))
            for t in children.get(parent, [])
            if t.pk not in seen
        ]

    return build(None, frozenset())
