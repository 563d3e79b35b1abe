from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from tests.training.factories import BookingFactory, CourseFactory, SessionFactory, programme
from training import services
from training.documents import certificate_pdf
from training.models import Booking, Completion
from training.services import TrainingError

pytestmark = pytest.mark.django_db


@pytest.fixture
def started_session(camden_trust):
    return SessionFactory(
        organisation=camden_trust,
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(hours=2),
    )


@pytest.fixture
def trainer(make_user, camden_trust):
    return make_user(Role.TRAINER, camden_trust)


def test_attendance_issues_a_certificate_with_expiry_from_the_programme(started_session, trainer):
    booking = BookingFactory(session=started_session, learner__full_name="Ada Lovelace")
    services.register_record(
        session=started_session, actor=trainer, attendance={booking.pk: "attended"}
    )
    completion = Completion.objects.get(booking=booking)
    assert completion.certificate_number.startswith("MECC-")
    assert len(completion.verification_code) >= 20
    assert completion.completed_on == timezone.localdate(started_session.starts_at)
    validity = programme("mecc").certificate_validity_months
    assert validity == 36
    expected = completion.completed_on.replace(year=completion.completed_on.year + 3)
    assert completion.expires_on == expected


def test_no_show_gets_no_certificate_and_withdraws_one_issued_by_mistake(started_session, trainer):
    booking = BookingFactory(session=started_session)
    services.register_record(
        session=started_session, actor=trainer, attendance={booking.pk: "attended"}
    )
    services.register_record(
        session=started_session, actor=trainer, attendance={booking.pk: "no_show"}
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    assert not Completion.objects.filter(booking=booking).exists()


def test_register_does_not_open_until_an_hour_before(trainer, camden_trust):
    session = SessionFactory(organisation=camden_trust)
    booking = BookingFactory(session=session)
    with pytest.raises(TrainingError, match="opens an hour"):
        services.register_record(
            session=session, actor=trainer, attendance={booking.pk: "attended"}
        )
    with time_machine.travel(session.starts_at - timedelta(minutes=30)):
        assert (
            services.register_record(
                session=session, actor=trainer, attendance={booking.pk: "attended"}
            )
            == 1
        )


def test_waitlisted_people_are_not_on_the_register(started_session, trainer):
    waiting = BookingFactory(
        session=started_session,
        status=Booking.Status.WAITLISTED,
        waitlist_position=1,
        confirmed_at=None,
    )
    assert (
        services.register_record(
            session=started_session, actor=trainer, attendance={waiting.pk: "attended"}
        )
        == 0
    )


def test_certificate_is_held_until_the_post_course_evaluation_is_done(started_session, trainer):
    assert programme("mecc").requires_post_course_evaluation
    booking = BookingFactory(session=started_session)
    services.register_record(
        session=started_session, actor=trainer, attendance={booking.pk: "attended"}
    )
    completion = Completion.objects.get(booking=booking)
    with pytest.raises(TrainingError, match="post-course evaluation"):
        services.certificate_for_download(completion=completion)
    services.completion_record_evaluation(
        learner_id=booking.learner_id, session_id=started_session.pk
    )
    completion = Completion.objects.select_related("booking").get(pk=completion.pk)
    assert services.certificate_for_download(completion=completion) == completion


def test_programmes_without_the_evaluation_rule_release_at_once(trainer, camden_trust):
    session = SessionFactory(
        organisation=camden_trust,
        course=CourseFactory(programme=programme("dementia"), level=None),
        starts_at=timezone.now() - timedelta(minutes=5),
    )
    booking = BookingFactory(session=session)
    services.register_record(session=session, actor=trainer, attendance={booking.pk: "attended"})
    assert Completion.objects.get(booking=booking).certificate_released


def test_the_pdf_certificate_names_the_learner_course_and_number(started_session, trainer):
    booking = BookingFactory(session=started_session, learner__full_name="Zoë Ångström")
    services.register_record(
        session=started_session, actor=trainer, attendance={booking.pk: "attended"}
    )
    completion = Completion.objects.get(booking=booking)
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(certificate_pdf(completion))).pages
    )
    assert "Zoë Ångström" in text
    assert started_session.course.title in text
    assert completion.certificate_number in text
    assert completion.verification_code in text.replace("\n", "")


def test_add_months_keeps_the_day_or_uses_the_month_end():
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert services.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
