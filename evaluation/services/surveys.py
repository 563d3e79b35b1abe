"""Survey invitations, their one reminder, and learners' responses.

Invitations are matched to a learner and a session (never an anonymous link). Each email has
its own outbox idempotency key, so the beat job can run as often as it likes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.services import audit_record, outbox_enqueue
from evaluation.models import (
    Answer,
    Invitation,
    Question,
    Survey,
    SurveyKind,
    SurveyResponse,
)
from training import services as training_services
from training.selectors import evaluation as training_reads

# Post-course invitations go to sessions that ended this recently (as training's own email).
POST_COURSE_WINDOW = timedelta(days=14)
FOLLOW_UP_AFTER = {
    SurveyKind.FOLLOW_UP_3_MONTHS: timedelta(days=91),
    SurveyKind.FOLLOW_UP_6_MONTHS: timedelta(days=182),
}
# A follow-up is sent only if it fell due this recently (no floods after an outage), and
# stays open this long.
FOLLOW_UP_WINDOW = timedelta(days=30)
FOLLOW_UP_OPEN_FOR = timedelta(days=60)
REMINDER_AFTER = timedelta(days=7)


class SurveyError(Exception):
    """A survey action the rules refuse; the message is plain English for the learner."""


def survey_for(*, kind: str, programme_id: int | None) -> Survey | None:
    """The active survey of this kind for the programme, else the default one for any."""
    candidates = Survey.objects.filter(
        Q(programme_id=programme_id) | Q(programme__isnull=True), kind=kind, is_active=True
    )
    surveys = {survey.programme_id: survey for survey in candidates}
    return surveys.get(programme_id) or surveys.get(None)


def _invitation(booking: Any, kind: str, survey: Survey, closes_at: datetime | None) -> Invitation:
    learner = booking.learner
    organisation = learner.organisation
    session = booking.session
    return Invitation(
        survey=survey,
        kind=kind,
        learner=learner,
        session=session,
        booking=booking,
        programme_id=session.course.programme_id,
        session_date=timezone.localdate(session.starts_at),
        organisation=organisation,
        area_id=organisation.area_id if organisation is not None else None,
        staff_group=learner.staff_group,
        closes_at=closes_at,
    )


def _due_invitations(now: datetime) -> list[Invitation]:
    """Invitations that should exist now (built, not saved)."""
    due: list[Invitation] = []

    def add(bookings: Iterable[Any], kind: str, closes: Any) -> None:
        cache: dict[int, Survey | None] = {}
        for booking in bookings:
            programme_id = booking.session.course.programme_id
            if programme_id not in cache:
                cache[programme_id] = survey_for(kind=kind, programme_id=programme_id)
            survey = cache[programme_id]
            if survey is not None:
                due.append(_invitation(booking, kind, survey, closes(booking)))

    add(
        training_reads.bookings_upcoming(now=now),
        SurveyKind.PRE_COURSE,
        lambda b: b.session.starts_at,
    )
    add(
        training_reads.bookings_attended_ended_between(start=now - POST_COURSE_WINDOW, end=now),
        SurveyKind.POST_COURSE,
        lambda b: None,
    )
    for kind, after in FOLLOW_UP_AFTER.items():
        add(
            training_reads.bookings_attended_ended_between(
                start=now - after - FOLLOW_UP_WINDOW, end=now - after
            ),
            kind,
            lambda b, after=after: b.session.ends_at + after + FOLLOW_UP_OPEN_FOR,
        )
    return due


def invitations_create(*, now: datetime | None = None) -> int:
    """Create every invitation that is due and does not exist yet; returns how many."""
    now = now or timezone.now()
    wanted = _due_invitations(now)
    if not wanted:
        return 0
    existing = set(
        Invitation.objects.filter(session_id__in={i.session_id for i in wanted}).values_list(
            "learner_id", "session_id", "kind"
        )
    )
    new = [i for i in wanted if (i.learner_id, i.session_id, i.kind) not in existing]
    # Post-course invitations are emailed by training when the register is taken (it links
    # to evaluation:post_course_survey): ours only remind.
    for invitation in new:
        if invitation.kind == SurveyKind.POST_COURSE:
            invitation.sent_at = now
    Invitation.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def survey_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("evaluation:survey_take", args=[invitation.token])


def _email(invitation: Invitation, *, reminder: bool) -> None:
    label = "reminder" if reminder else "invite"
    context = {
        "invitation": invitation,
        "learner": invitation.learner,
        "session": invitation.session,
        "course": invitation.session.course,
        "url": survey_url(invitation),
        "reminder": reminder,
    }
    subject = f"{invitation.survey.title}: {invitation.session.course.title}"
    outbox_enqueue(
        idempotency_key=f"evaluation:survey-{label}:{invitation.pk}",
        recipients=[invitation.learner.email],
        subject=("Reminder: " if reminder else "") + subject,
        body_text=render_to_string("evaluation/surveys/email/invitation.txt", context),
    )


def _send_one(invitation_id: int, now: datetime, *, reminder: bool) -> bool:
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("survey", "learner", "session__course")
            .filter(pk=invitation_id, responded_at__isnull=True)
            .first()
        )
        if invitation is None:
            return False
        field = "reminder_sent_at" if reminder else "sent_at"
        if getattr(invitation, field) is not None:
            return False
        _email(invitation, reminder=reminder)
        setattr(invitation, field, now)
        invitation.save(update_fields=[field, "updated_at"])
    return True


def invitations_send(*, now: datetime | None = None) -> dict[str, int]:
    """Create due invitations, email those not yet sent, and remind once after 7 days."""
    now = now or timezone.now()
    created = invitations_create(now=now)
    still_open = Invitation.objects.filter(responded_at__isnull=True).exclude(closes_at__lte=now)
    to_invite = still_open.filter(sent_at__isnull=True).values_list("pk", flat=True)
    to_remind = still_open.filter(
        sent_at__lte=now - REMINDER_AFTER, reminder_sent_at__isnull=True
    ).values_list("pk", flat=True)
    invited = sum(_send_one(pk, now, reminder=False) for pk in list(to_invite))
    reminded = sum(_send_one(pk, now, reminder=True) for pk in list(to_remind))
    return {"created": created, "invited": invited, "reminded": reminded}


def invitation_for_booking(*, learner: User, booking_id: int) -> Invitation:
    """The learner's post-course invitation for their attended booking, made if need be."""
    booking = training_reads.booking_of_learner(learner=learner, pk=booking_id)
    if booking is None or booking.status != "attended":
        raise SurveyError("There is no post-course survey for this booking.")
    existing = Invitation.objects.filter(
        learner=learner, session_id=booking.session_id, kind=SurveyKind.POST_COURSE
    ).first()
    if existing is not None:
        return existing
    survey = survey_for(
        kind=SurveyKind.POST_COURSE, programme_id=booking.session.course.programme_id
    )
    if survey is None:
        raise SurveyError("There is no post-course survey for this course.")
    invitation = _invitation(booking, SurveyKind.POST_COURSE, survey, None)
    invitation.sent_at = timezone.now()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # made by the beat job a moment ago
        return Invitation.objects.get(
            learner=learner, session_id=booking.session_id, kind=SurveyKind.POST_COURSE
        )
    return invitation


def _answer(question: Question, value: Any) -> Answer | None:
    if value is None or value == "" or value == []:
        return None
    answer = Answer(question=question)
    if question.kind == Question.Kind.TEXT:
        answer.text_value = str(value).strip()
    elif question.kind == Question.Kind.CHECKBOXES:
        answer.choices_value = [str(v) for v in value]
    else:
        answer.number_value = int(value)
    return answer


def survey_response_submit(
    *,
    invitation: Invitation,
    learner: User,
    answers: Mapping[int, Any],
    request: HttpRequest | None = None,
) -> SurveyResponse:
    """Save the learner's answers (once per invitation); a post-course response releases a
    certificate held back for it."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update()
            .select_related("survey")
            .filter(pk=invitation.pk, learner=learner)
            .first()
        )
        if locked is None:
            raise SurveyError("This survey is not yours.")
        if locked.responded_at is not None:
            raise SurveyError("You have already answered this survey. Thank you.")
        if locked.closes_at is not None and locked.closes_at <= now:
            raise SurveyError("This survey has closed.")
        questions = {q.pk: q for q in locked.survey.questions.all()}
        response = SurveyResponse.objects.create(invitation=locked, submitted_at=now)
        rows = []
        for question_id, value in answers.items():
            question = questions.get(question_id)
            if question is None:
                raise SurveyError("The survey has changed. Reload the page and try again.")
            answer = _answer(question, value)
            if answer is not None:
                answer.response = response
                rows.append(answer)
        Answer.objects.bulk_create(rows)
        locked.responded_at = now
        locked.save(update_fields=["responded_at", "updated_at"])
        audit_record(
            actor=learner,
            action="evaluation.survey_answered",
            target=locked,
            request=request,
            details={"kind": locked.kind},
        )
        if locked.kind == SurveyKind.POST_COURSE:
            training_services.completion_record_evaluation(
                learner_id=learner.pk, session_id=locked.session_id, completed_at=now
            )
    invitation.responded_at = now
    return response
