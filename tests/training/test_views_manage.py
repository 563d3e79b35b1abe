from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import OutboxMessage
from tests.training.factories import BookingFactory, CourseFactory, SessionFactory
from tests.training.support import queries_for
from training.models import Booking, Completion, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_user, camden_trust):
    return make_user(Role.TRAINER, camden_trust, full_name="Tess Trainer")


@pytest.fixture
def colleague(make_user, camden_trust):
    return make_user(Role.TRAINER, camden_trust)


@pytest.fixture
def outsider(make_user, haringey_council):
    return make_user(Role.TRAINER, haringey_council)


def session_form(course, trainer, day, **overrides):
    data = {
        "organisation": trainer.organisation_id,
        "course": course.pk,
        "date_day": day.day,
        "date_month": day.month,
        "date_year": day.year,
        "start_time": "09:30",
        "end_time": "12:30",
        "capacity": "12",
        "venue_name": "Crowndale Centre",
        "venue_address": "218 Eversholt Street",
        "area": "",
        "joining_url": "",
        "trainers": [trainer.pk],
        "trainer_cost": "150.00",
        "venue_cost": "0",
        "materials_cost": "12.50",
    }
    data.update(overrides)
    return data


def test_trainer_creates_a_session_for_their_organisation(client, trainer, camden):
    course = CourseFactory()
    day = timezone.localdate() + timedelta(days=14)
    client.force_login(trainer)
    response = client.post(
        reverse("training:session_create"), session_form(course, trainer, day, area=camden.pk)
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:session_detail", args=[session.pk])
    assert session.organisation == trainer.organisation
    assert list(session.trainers.all()) == [trainer]
    assert timezone.localtime(session.starts_at).strftime("%H:%M") == "09:30"
    assert (session.trainer_cost_pence, session.materials_cost_pence) == (15000, 1250)
    assert session.total_cost_pence == 16250


def test_session_form_errors_are_shown_in_the_error_summary(client, trainer):
    course = CourseFactory()
    client.force_login(trainer)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("training:session_create"),
        session_form(course, trainer, yesterday, venue_name="", end_time="08:00"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in content
    assert "End time must be after the start time" in content
    assert "Enter the venue" in content
    assert not Session.objects.exists()


def test_trainers_cannot_create_sessions_for_another_organisation(
    client, trainer, haringey_council
):
    course = CourseFactory()
    day = timezone.localdate() + timedelta(days=14)
    client.force_login(trainer)
    response = client.post(
        reverse("training:session_create"),
        session_form(course, trainer, day, organisation=haringey_council.pk),
    )
    assert response.status_code == 200
    assert not Session.objects.exists()


def test_learners_cannot_create_sessions(client, make_user, camden_trust):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(reverse("training:session_create")).status_code == 403


@pytest.mark.parametrize("who", ["trainer", "colleague"])
def test_trainer_and_colleague_can_change_the_session(client, request, trainer, who):
    session = SessionFactory(organisation=trainer.organisation, trainers=[trainer])
    user = request.getfixturevalue(who)
    client.force_login(user)
    url = reverse("training:session_edit", args=[session.pk])
    assert client.get(url).status_code == 200
    day = timezone.localdate(session.starts_at)
    form = session_form(session.course, trainer, day, capacity="20")
    client.post(url, form)
    session.refresh_from_db()
    assert session.capacity == 20


def test_outsiders_get_404_for_another_organisations_session(client, trainer, outsider):
    session = SessionFactory(organisation=trainer.organisation, trainers=[trainer])
    client.force_login(outsider)
    for name in ("session_edit", "session_cancel", "session_register"):
        assert client.get(reverse(f"training:{name}", args=[session.pk])).status_code == 404


def test_cancelling_a_session_needs_a_reason_and_tells_people(client, trainer):
    session = SessionFactory(organisation=trainer.organisation)
    booking = BookingFactory(session=session)
    client.force_login(trainer)
    url = reverse("training:session_cancel", args=[session.pk])
    assert "Enter why the session is cancelled" in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "Trainer unwell"})
    session.refresh_from_db()
    assert session.is_cancelled
    assert OutboxMessage.objects.filter(
        idempotency_key=f"training:session-cancelled:{session.pk}:{booking.pk}"
    ).exists()


def test_trainer_takes_the_register_on_one_page(client, trainer):
    session = SessionFactory(
        organisation=trainer.organisation, starts_at=timezone.now() - timedelta(minutes=5)
    )
    came = BookingFactory(session=session, learner__full_name="Came Along")
    missed = BookingFactory(session=session, learner__full_name="Stayed Away")
    client.force_login(trainer)
    url = reverse("training:session_register", args=[session.pk])
    page = client.get(url).content.decode()
    assert "Came Along" in page and "Stayed Away" in page
    assert 'type="radio"' in page
    client.post(url, {f"booking_{came.pk}": "attended", f"booking_{missed.pk}": "no_show"})
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.status, missed.status) == (Booking.Status.ATTENDED, Booking.Status.NO_SHOW)
    assert Completion.objects.filter(booking=came).exists()
    assert not Completion.objects.filter(booking=missed).exists()


def test_register_before_it_opens_lists_names_without_a_form(client, trainer):
    session = SessionFactory(organisation=trainer.organisation)
    BookingFactory(session=session, learner__full_name="Early Bird")
    client.force_login(trainer)
    page = client.get(reverse("training:session_register", args=[session.pk])).content.decode()
    assert "The register opens an hour before" in page
    assert "Early Bird" in page
    assert 'type="radio"' not in page


def test_your_sessions_query_count_does_not_grow(client, trainer, django_assert_num_queries):
    SessionFactory(organisation=trainer.organisation)
    client.force_login(trainer)
    url = reverse("training:sessions_manage")
    at_one_row = queries_for(client, url)
    for _ in range(49):
        SessionFactory(organisation=trainer.organisation)
    with django_assert_num_queries(at_one_row):
        response = client.get(url)
    assert len(response.context["upcoming"]) == 50


def test_register_query_count_does_not_grow(client, trainer, django_assert_num_queries):
    session = SessionFactory(
        organisation=trainer.organisation,
        starts_at=timezone.now() - timedelta(minutes=5),
        capacity=60,
    )
    BookingFactory(session=session)
    client.force_login(trainer)
    url = reverse("training:session_register", args=[session.pk])
    at_one_row = queries_for(client, url)
    for _ in range(49):
        BookingFactory(session=session)
    with django_assert_num_queries(at_one_row):
        client.get(url)


def test_register_asks_for_everyone_to_be_marked(client, trainer):
    session = SessionFactory(
        organisation=trainer.organisation, starts_at=timezone.now() - timedelta(minutes=5)
    )
    came = BookingFactory(session=session)
    missing = BookingFactory(session=session, learner__full_name="Forgot Me")
    client.force_login(trainer)
    response = client.post(
        reverse("training:session_register", args=[session.pk]),
        {f"booking_{came.pk}": "attended"},
    )
    assert "Choose attended or did not attend for Forgot Me" in response.content.decode()
    missing.refresh_from_db()
    came.refresh_from_db()
    assert came.status == Booking.Status.BOOKED


def test_session_page_lists_bookings_for_its_trainers_only(
    client, trainer, make_user, camden_trust
):
    session = SessionFactory(organisation=trainer.organisation, capacity=1)
    BookingFactory(session=session, learner__full_name="Booked Person")
    learner = make_user(Role.FRONTLINE_WORKER, camden_trust)
    url = reverse("training:session_detail", args=[session.pk])
    client.force_login(trainer)
    assert "Booked Person" in client.get(url).content.decode()
    client.force_login(learner)
    assert "Booked Person" not in client.get(url).content.decode()


def test_session_page_query_count_does_not_grow_with_bookings(
    client, trainer, django_assert_num_queries
):
    session = SessionFactory(organisation=trainer.organisation, capacity=100)
    BookingFactory(session=session)
    client.force_login(trainer)
    url = reverse("training:session_detail", args=[session.pk])
    at_one_row = queries_for(client, url)
    for _ in range(49):
        BookingFactory(session=session)
    with django_assert_num_queries(at_one_row):
        client.get(url)


def test_trainers_see_the_cost_breakdown(client, trainer):
    session = SessionFactory(
        organisation=trainer.organisation, trainer_cost_pence=20000, materials_cost_pence=1250
    )
    client.force_login(trainer)
    page = client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert "£212.50 (trainer £200, venue £0, materials £12.50)" in page
