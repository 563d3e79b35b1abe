"""Demo survey invitations and answers for the demo training sessions.

Learners feel more confident and know more local services after the course than before (on
average, not everyone), most are satisfied, and some never answer. Deterministic (seeded
random), bulk-created, and idempotent: invitations that exist already are left alone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from evaluation.models import (
    Answer,
    Invitation,
    Measure,
    Question,
    Survey,
    SurveyKind,
    SurveyResponse,
)
from evaluation.services.surveys import FOLLOW_UP_AFTER, FOLLOW_UP_OPEN_FOR, REMINDER_AFTER
from training.selectors.evaluation import bookings_attended_ended_between, bookings_upcoming

SEED = 5_2026
HISTORY = timedelta(days=550)
RESPONSE_RATE = {
    SurveyKind.PRE_COURSE: 0.7,
    SurveyKind.FOLLOW_UP_3_MONTHS: 0.45,
    SurveyKind.FOLLOW_UP_6_MONTHS: 0.35,
}
UPCOMING_PRE_RATE = 0.4


def _weighted(rng: random.Random, weights: Sequence[float]) -> int:
    """1 to len(weights), drawn with these weights."""
    return rng.choices(range(1, len(weights) + 1), weights=weights)[0]


class _Answers:
    """One learner's answers, consistent from before the course to after it."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.before = {
            Measure.CONFIDENCE: _weighted(rng, (10, 30, 40, 15, 5)),
            Measure.KNOWLEDGE: _weighted(rng, (20, 35, 30, 10, 5)),
            Measure.INTENTION: _weighted(rng, (5, 15, 35, 30, 15)),
        }
        self.after = {
            measure: min(5, value + rng.choices((0, 1, 2), weights=(25, 50, 25))[0])
            for measure, value in self.before.items()
        }

    def value(self, kind: str, question: Question) -> dict[str, Any]:
        rng = self.rng
        measure = question.measure
        if measure in self.before:
            scale = self.before if kind == SurveyKind.PRE_COURSE else self.after
            return {"number_value": scale[Measure(measure)]}
        if measure == Measure.SATISFACTION:
            return {"number_value": _weighted(rng, (2, 3, 10, 40, 45))}
        if measure == Measure.WOULD_RECOMMEND:
            return {"number_value": int(rng.random() < 0.92)}
        if measure == Measure.CONVERSATIONS:
            most = 30 if kind == SurveyKind.FOLLOW_UP_3_MONTHS else 45
            return {"number_value": min(rng.randrange(0, most), rng.randrange(0, most))}
        if question.kind == Question.Kind.CHECKBOXES:
            options = list(question.choices)
            picked = rng.sample(options[:-1], rng.choice((0, 1, 1, 2)))
            return {"choices_value": picked or [options[-1]]}
        if question.kind == Question.Kind.TEXT and rng.random() < 0.15:
            return {"text_value": rng.choice(THINGS_IN_THE_WAY)}
        return {}


THINGS_IN_THE_WAY = [
    "Clinics run late, so there is rarely a quiet moment.",
    "I was not sure which services still take self-referrals.",
    "Most of my contacts are by phone, which feels harder.",
    "Agency cover on the ward meant less time with patients.",
]


def _planned(now: datetime) -> list[tuple[Any, str, datetime, datetime | None]]:
    """(booking, kind, sent at, closes at) for every invitation the demo history implies."""
    planned: list[tuple[Any, str, datetime, datetime | None]] = []
    for booking in bookings_upcoming(now=now).order_by("pk"):
        sent = max(booking.created_at, booking.session.starts_at - timedelta(days=21))
        planned.append((booking, SurveyKind.PRE_COURSE, sent, booking.session.starts_at))
    past = bookings_attended_ended_between(start=now - HISTORY, end=now).order_by("pk")
    for booking in past:
        session = booking.session
        planned.append(
            (
                booking,
                SurveyKind.PRE_COURSE,
                session.starts_at - timedelta(days=10),
                session.starts_at,
            )
        )
        planned.append((booking, SurveyKind.POST_COURSE, session.ends_at, None))
        for kind, after in FOLLOW_UP_AFTER.items():
            if session.ends_at + after <= now:
                sent = session.ends_at + after
                planned.append((booking, kind, sent, sent + FOLLOW_UP_OPEN_FOR))
    return planned


def _responded_at(
    rng: random.Random, booking: Any, kind: str, sent: datetime, now: datetime
) -> datetime | None:
    if kind == SurveyKind.POST_COURSE:
        # Training's demo data says who finished the post-course evaluation, and when.
        done: datetime | None = booking.post_course_evaluation_completed_at
        return done
    upcoming = booking.session.starts_at > now
    rate = UPCOMING_PRE_RATE if upcoming else RESPONSE_RATE[SurveyKind(kind)]
    if rng.random() >= rate:
        return None
    answered = sent + timedelta(hours=rng.randrange(2, 24 * 9))
    if kind == SurveyKind.PRE_COURSE:
        answered = min(answered, booking.session.starts_at - timedelta(hours=1))
    return answered if answered <= now else None


def seed_surveys() -> None:
    """Invitations and answers for the demo sessions (nothing new on a second run)."""
    rng = random.Random(SEED)  # noqa: S311  # nosec B311  # synthetic demo data, not security
    now = timezone.now()
    surveys = {s.kind: s for s in Survey.objects.filter(programme=None, is_active=True)}
    questions = {kind: list(survey.questions.order_by("order")) for kind, survey in surveys.items()}
    planned = _planned(now)
    existing = set(
        Invitation.objects.filter(session_id__in={b.session_id for b, *_ in planned}).values_list(
            "learner_id", "session_id", "kind"
        )
    )
    invitations: list[Invitation] = []
    answered: list[datetime | None] = []
    for booking, kind, sent, closes in planned:
        if (booking.learner_id, booking.session_id, kind) in existing or kind not in surveys:
            continue
        existing.add((booking.learner_id, booking.session_id, kind))
        learner, session = booking.learner, booking.session
        responded = _responded_at(rng, booking, kind, sent, now)
        reminded = sent + REMINDER_AFTER
        reminder = (
            reminded if reminded <= now and (responded is None or responded > reminded) else None
        )
        invitations.append(
            Invitation(
                survey=surveys[kind],
                kind=kind,
                learner=learner,
                session=session,
                booking=booking,
                programme_id=session.course.programme_id,
                session_date=timezone.localdate(session.starts_at),
                organisation_id=learner.organisation_id,
                area_id=learner.organisation.area_id if learner.organisation else None,
                staff_group=learner.staff_group,
                sent_at=min(sent, now),
                reminder_sent_at=None if closes is not None and closes <= reminded else reminder,
                closes_at=closes,
                responded_at=responded,
                created_at=min(sent, now),
            )
        )
        answered.append(responded)
    made = Invitation.objects.bulk_create(invitations, batch_size=1000)
    people: dict[tuple[int, int], _Answers] = {}
    responses = [
        SurveyResponse(invitation=invitation, submitted_at=when, created_at=when)
        for invitation, when in zip(made, answered, strict=True)
        if when is not None
    ]
    responses = SurveyResponse.objects.bulk_create(responses, batch_size=1000)
    answers: list[Answer] = []
    for response in responses:
        invitation = response.invitation
        person = people.setdefault((invitation.learner_id, invitation.session_id), _Answers(rng))
        for question in questions[invitation.kind]:
            values = person.value(invitation.kind, question)
            if values:
                answers.append(Answer(response=response, question=question, **values))
    Answer.objects.bulk_create(answers, batch_size=2000)
