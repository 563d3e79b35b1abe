"""Builders for the survey tests: learners with bookings, and answered surveys."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from evaluation.models import Invitation, Measure, Survey, SurveyKind
from evaluation.services import surveys as services
from tests.training.factories import BookingFactory, SessionFactory
from training.models import Booking, Session


def past_session(*, days_ago: int = 1, **fields: Any) -> Session:
    """A session that started `days_ago` days ago and lasted three hours."""
    starts = (timezone.now() - timedelta(days=days_ago)).replace(second=0, microsecond=0)
    return SessionFactory(starts_at=starts, ends_at=starts + timedelta(hours=3), **fields)


def attended(session: Session, **fields: Any) -> Booking:
    return BookingFactory(session=session, status=Booking.Status.ATTENDED, **fields)


def invitation(booking: Booking, kind: str, **fields: Any) -> Invitation:
    """An invitation for the booking, as the beat job would have made it (already sent)."""
    survey = services.survey_for(kind=kind, programme_id=booking.session.course.programme_id)
    assert survey is not None
    made = services._invitation(booking, kind, survey, None)
    made.sent_at = fields.pop("sent_at", timezone.now())
    for name, value in fields.items():
        setattr(made, name, value)
    made.save()
    return made


def answers_for(survey: Survey, **by_measure: Any) -> dict[int, Any]:
    """Answers keyed by question id, given by measure name (the first question of each)."""
    answers: dict[int, Any] = {}
    seen: set[str] = set()
    for question in survey.questions.order_by("order"):
        if question.measure in by_measure and question.measure not in seen:
            seen.add(question.measure)
            answers[question.pk] = by_measure[question.measure]
    return answers


def respond(invitation_: Invitation, *, at: datetime | None = None, **by_measure: Any) -> None:
    """The learner answers their invitation (measure names as keyword arguments)."""
    services.survey_response_submit(
        invitation=invitation_,
        learner=invitation_.learner,
        answers=answers_for(invitation_.survey, **by_measure),
    )


PRE = SurveyKind.PRE_COURSE
POST = SurveyKind.POST_COURSE
CONFIDENCE = Measure.CONFIDENCE.value
KNOWLEDGE = Measure.KNOWLEDGE.value
