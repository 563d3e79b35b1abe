"""Survey invitations, the one reminder, and responses (services and the beat task)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.models import OutboxMessage
from evaluation.models import Answer, Invitation, Question, Survey, SurveyKind, SurveyResponse
from evaluation.services import surveys as services
from evaluation.services.surveys import SurveyError
from evaluation.tasks import survey_invitations_send_task
from tests.evaluation.survey_support import attended, invitation, past_session, respond
from tests.training.factories import BookingFactory, CompletionFactory, SessionFactory, programme
from training.models import Booking

pytestmark = pytest.mark.django_db


def survey_emails() -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(idempotency_key__startswith="evaluation:survey").order_by(
            "idempotency_key"
        )
    )


def test_the_standard_questions_are_seeded_for_each_kind_of_survey():
    kinds = dict(Survey.objects.filter(programme=None).values_list("kind", "title"))
    assert set(kinds) == set(SurveyKind.values)
    pre = Survey.objects.get(kind=SurveyKind.PRE_COURSE, programme=None)
    assert list(pre.questions.values_list("measure", "kind")) == [
        ("confidence_raise_health", "likert"),
        ("knowledge_local_services", "likert"),
        ("intention_mecc_conversations", "likert"),
    ]
    post = Survey.objects.get(kind=SurveyKind.POST_COURSE, programme=None)
    assert list(post.questions.values_list("measure", flat=True))[-2:] == [
        "satisfaction",
        "would_recommend",
    ]
    follow_up = Survey.objects.get(kind=SurveyKind.FOLLOW_UP_3_MONTHS, programme=None)
    assert [q.kind for q in follow_up.questions.all()] == ["number", "checkboxes", "text"]
    assert all(len(q.choices) == 5 for q in Question.objects.filter(kind="likert"))


def test_a_programme_survey_is_used_before_the_default_one():
    mecc = programme("mecc")
    own = Survey.objects.create(kind=SurveyKind.PRE_COURSE, programme=mecc, title="MECC only")
    assert services.survey_for(kind=SurveyKind.PRE_COURSE, programme_id=mecc.pk) == own
    other = programme("mhfa").pk
    default = services.survey_for(kind=SurveyKind.PRE_COURSE, programme_id=other)
    assert default is not None and default.programme_id is None


def test_a_booked_learner_is_invited_once_before_the_course_however_often_the_job_runs():
    booking = BookingFactory(session=SessionFactory(), learner__email="ada@org.nhs.example")
    for _ in range(3):
        survey_invitations_send_task.delay()
    emails = survey_emails()
    assert [m.recipients for m in emails] == [["ada@org.nhs.example"]]
    invitation_ = Invitation.objects.get()
    assert invitation_.kind == SurveyKind.PRE_COURSE
    assert invitation_.session_id == booking.session_id
    assert invitation_.closes_at == booking.session.starts_at
    assert invitation_.token in emails[0].body_text
    assert "/evaluation/surveys/" in emails[0].body_text


def test_invitation_records_who_the_learner_was_at_the_time(camden_trust):
    booking = BookingFactory(
        session=SessionFactory(), learner__organisation=camden_trust, learner__staff_group="nursing"
    )
    services.invitations_create()
    made = Invitation.objects.get()
    assert (made.organisation_id, made.area_id, made.staff_group) == (
        camden_trust.pk,
        camden_trust.area_id,
        "nursing",
    )
    assert made.programme_id == booking.session.course.programme_id
    assert made.session_date == timezone.localdate(booking.session.starts_at)


def test_cancelled_and_waitlisted_learners_are_not_invited():
    session = SessionFactory()
    BookingFactory(session=session, status=Booking.Status.CANCELLED)
    BookingFactory(session=session, status=Booking.Status.WAITLISTED, waitlist_position=1)
    services.invitations_send()
    assert not Invitation.objects.exists()


def test_post_course_invitation_is_made_but_emailed_by_training_and_reminded_after_7_days():
    booking = attended(past_session(days_ago=1))
    services.invitations_send()
    made = Invitation.objects.get(kind=SurveyKind.POST_COURSE)
    assert made.booking_id == booking.pk and made.sent_at is not None
    assert survey_emails() == []  # training's register email carries the link
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        services.invitations_send()
        assert survey_emails() == []
    with time_machine.travel(timezone.now() + timedelta(days=7, hours=1)):
        for _ in range(3):
            services.invitations_send()
    emails = survey_emails()
    assert [m.idempotency_key for m in emails] == [f"evaluation:survey-reminder:{made.pk}"]
    assert emails[0].subject.startswith("Reminder: ")


def test_nobody_is_reminded_after_answering():
    made = invitation(attended(past_session(days_ago=1)), SurveyKind.POST_COURSE)
    respond(made, satisfaction=5)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        services.invitations_send()
    assert survey_emails() == []


def test_follow_ups_go_at_3_and_6_months_each_once_with_one_reminder():
    booking = attended(past_session(days_ago=1))
    services.invitations_send()
    start = timezone.now()
    keys: list[str] = []
    # Run the hourly job every day for seven months.
    for day in range(0, 215):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            services.invitations_send()
    keys = [m.idempotency_key for m in survey_emails()]
    follow_ups = Invitation.objects.filter(booking=booking).exclude(kind=SurveyKind.POST_COURSE)
    by_kind = {i.kind: i.pk for i in follow_ups}
    assert set(by_kind) == {SurveyKind.FOLLOW_UP_3_MONTHS, SurveyKind.FOLLOW_UP_6_MONTHS}
    post = Invitation.objects.get(kind=SurveyKind.POST_COURSE).pk
    assert sorted(keys) == sorted(
        [
            f"evaluation:survey-reminder:{post}",
            *(f"evaluation:survey-invite:{pk}" for pk in by_kind.values()),
            *(f"evaluation:survey-reminder:{pk}" for pk in by_kind.values()),
        ]
    )
    three = Invitation.objects.get(pk=by_kind[SurveyKind.FOLLOW_UP_3_MONTHS])
    assert three.sent_at is not None
    assert timedelta(days=90) < three.sent_at - booking.session.ends_at < timedelta(days=93)


def test_sessions_long_past_are_not_sent_follow_ups_when_the_job_first_runs():
    attended(past_session(days_ago=400))
    services.invitations_send()
    assert not Invitation.objects.exists()


def test_a_pre_course_survey_is_not_reminded_once_the_session_has_started():
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=5))
    BookingFactory(session=session)
    services.invitations_send()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        services.invitations_send()
    assert [m.idempotency_key.split(":")[1] for m in survey_emails()] == ["survey-invite"]


def test_answers_are_saved_once_and_a_second_submission_is_refused():
    made = invitation(attended(past_session()), SurveyKind.POST_COURSE)
    respond(made, confidence_raise_health=4, satisfaction=5, would_recommend=1)
    response = SurveyResponse.objects.get(invitation=made)
    values = dict(
        Answer.objects.filter(response=response).values_list("question__measure", "number_value")
    )
    assert values == {"confidence_raise_health": 4, "satisfaction": 5, "would_recommend": 1}
    with pytest.raises(SurveyError, match="already answered"):
        respond(made, satisfaction=1)
    assert SurveyResponse.objects.count() == 1
    assert Answer.objects.filter(number_value=1, question__measure="satisfaction").count() == 0


def test_someone_else_cannot_answer_a_learners_survey(make_user):
    made = invitation(attended(past_session()), SurveyKind.POST_COURSE)
    with pytest.raises(SurveyError, match="not yours"):
        services.survey_response_submit(invitation=made, learner=make_user(), answers={})
    assert not SurveyResponse.objects.exists()


def test_a_closed_survey_cannot_be_answered():
    made = invitation(
        attended(past_session()),
        SurveyKind.PRE_COURSE,
        closes_at=timezone.now() - timedelta(hours=1),
    )
    with pytest.raises(SurveyError, match="closed"):
        respond(made, confidence_raise_health=3)


def test_answering_the_post_course_survey_releases_a_held_certificate():
    booking = attended(past_session())
    assert booking.session.course.programme.requires_post_course_evaluation
    completion = CompletionFactory(
        learner=booking.learner, course=booking.session.course, booking=booking
    )
    assert not completion.certificate_released
    respond(invitation(booking, SurveyKind.POST_COURSE), satisfaction=4)
    completion.refresh_from_db()
    completion.booking.refresh_from_db()
    assert completion.certificate_released


def test_answering_a_pre_course_survey_does_not_release_a_certificate():
    booking = attended(past_session())
    respond(invitation(booking, SurveyKind.PRE_COURSE), confidence_raise_health=2)
    booking.refresh_from_db()
    assert booking.post_course_evaluation_completed_at is None


def test_the_post_course_link_makes_the_learners_invitation_once():
    booking = attended(past_session(days_ago=30))
    first = services.invitation_for_booking(learner=booking.learner, booking_id=booking.pk)
    again = services.invitation_for_booking(learner=booking.learner, booking_id=booking.pk)
    assert first.pk == again.pk and first.kind == SurveyKind.POST_COURSE


def test_the_post_course_link_refuses_a_booking_that_was_not_attended(make_user):
    booking = BookingFactory(session=past_session())
    with pytest.raises(SurveyError):
        services.invitation_for_booking(learner=booking.learner, booking_id=booking.pk)
    attended_ = attended(past_session())
    with pytest.raises(SurveyError):
        services.invitation_for_booking(learner=make_user(), booking_id=attended_.pk)
