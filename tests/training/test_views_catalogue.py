from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Role
from tests.training.factories import BookingFactory, CourseFactory, SessionFactory, programme
from tests.training.support import queries_for
from training.models import Booking, Course

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_user, camden_trust):
    return make_user(Role.FRONTLINE_WORKER, camden_trust)


def test_people_without_a_training_role_cannot_see_the_catalogue(client, make_user, camden_trust):
    client.force_login(make_user(Role.SERVICE_PROVIDER, camden_trust))
    assert client.get(reverse("training:catalogue")).status_code == 403


def test_catalogue_filter_labels_do_not_say_optional(client, learner):
    client.force_login(learner)
    content = client.get(reverse("training:catalogue")).content.decode()
    assert "Borough</label>" in content
    assert "(optional)" not in content


def test_catalogue_lists_free_and_cheap_courses_first(client, learner):
    CourseFactory(title="Pricey", cost_pence=25000)
    CourseFactory(title="Free one", cost_pence=0)
    CourseFactory(title="Cheap", cost_pence=1500)
    client.force_login(learner)
    content = client.get(reverse("training:catalogue")).content.decode()
    assert content.index("Free one") < content.index("Cheap") < content.index("Pricey")
    assert "£15 (low cost)" in content


def test_catalogue_filters_by_programme_mode_borough_date_and_free(
    client, learner, camden, haringey
):
    mecc = CourseFactory(title="MECC in Camden")
    SessionFactory(course=mecc, area=camden)
    mhfa = CourseFactory(
        title="MHFA in Haringey", programme=programme("mhfa"), level=None, cost_pence=9900
    )
    SessionFactory(course=mhfa, area=haringey, starts_at=timezone.now() + timedelta(days=60))
    CourseFactory(
        title="Dementia online",
        delivery_mode=Course.Mode.E_LEARNING,
        programme=programme("dementia"),
    )
    client.force_login(learner)

    def titles(**params):
        response = client.get(reverse("training:catalogue"), params)
        return {c.title for c in response.context["courses"]}

    assert titles() == {"MECC in Camden", "MHFA in Haringey", "Dementia online"}
    assert titles(programme=programme("mhfa").pk) == {"MHFA in Haringey"}
    assert titles(mode="e_learning") == {"Dementia online"}
    assert titles(area=haringey.pk) == {"MHFA in Haringey"}
    later = timezone.localdate() + timedelta(days=30)
    assert titles(
        on_or_after_day=later.day, on_or_after_month=later.month, on_or_after_year=later.year
    ) == {"MHFA in Haringey"}
    assert titles(free_only="on") == {"MECC in Camden", "Dementia online"}


def test_catalogue_query_count_does_not_grow_with_courses(
    client, learner, django_assert_num_queries
):
    SessionFactory()
    client.force_login(learner)
    at_one_row = queries_for(client, reverse("training:catalogue"))
    for _ in range(49):
        SessionFactory()
    with django_assert_num_queries(at_one_row):
        response = client.get(reverse("training:catalogue"))
    assert len(response.context["courses"]) == 50


def test_learner_books_a_place_from_the_session_page(client, learner):
    session = SessionFactory(capacity=1)
    client.force_login(learner)
    page = client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert "Book a place" in page
    response = client.post(reverse("training:session_book", args=[session.pk]), follow=True)
    assert "You are booked on" in response.content.decode()
    assert Booking.objects.get(session=session, learner=learner).status == Booking.Status.BOOKED


def test_a_full_session_offers_the_waiting_list(client, learner):
    session = SessionFactory(capacity=1)
    BookingFactory(session=session)
    client.force_login(learner)
    page = client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert "Join the waiting list" in page
    response = client.post(reverse("training:session_book", args=[session.pk]), follow=True)
    content = response.content.decode()
    assert "on the waiting list" in content
    assert "You are number 1 on the waiting list" in content


def test_booking_twice_shows_the_reason_not_an_error_page(client, learner):
    session = SessionFactory()
    BookingFactory(session=session, learner=learner)
    client.force_login(learner)
    response = client.post(reverse("training:session_book", args=[session.pk]), follow=True)
    assert response.status_code == 200
    assert "already has a booking" in response.content.decode()


def test_booking_needs_post(client, learner):
    session = SessionFactory()
    client.force_login(learner)
    assert client.get(reverse("training:session_book", args=[session.pk])).status_code == 405


def test_learner_cancels_their_own_booking(client, learner):
    booking = BookingFactory(learner=learner)
    client.force_login(learner)
    url = reverse("training:booking_cancel", args=[booking.pk])
    assert "Are you sure" in client.get(url).content.decode()
    client.post(url)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_nobody_can_cancel_someone_elses_booking(client, learner, make_user, camden_trust):
    booking = BookingFactory(learner=make_user(Role.FRONTLINE_WORKER, camden_trust))
    client.force_login(learner)
    assert client.post(reverse("training:booking_cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_session_page_offers_the_calendar_file(client, learner):
    session = SessionFactory()
    client.force_login(learner)
    response = client.get(reverse("training:session_calendar", args=[session.pk]))
    assert response["Content-Type"] == "text/calendar"
    assert "attachment" in response["Content-Disposition"]
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == session.course.title
    assert event.decoded("dtend") == session.ends_at


def test_training_lead_books_their_own_staff(client, make_user, camden_trust):
    lead = make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)
    staff = make_user(Role.FRONTLINE_WORKER, camden_trust)
    session = SessionFactory()
    client.force_login(lead)
    url = reverse("training:session_book_staff", args=[session.pk])
    assert staff.get_full_name() in client.get(url).content.decode()
    client.post(url, {"learner": staff.pk})
    booking = Booking.objects.get(session=session, learner=staff)
    assert booking.booked_by == lead


def test_training_lead_cannot_book_another_organisations_staff(
    client, make_user, camden_trust, haringey_council
):
    lead = make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)
    outsider = make_user(Role.FRONTLINE_WORKER, haringey_council)
    session = SessionFactory()
    client.force_login(lead)
    response = client.post(
        reverse("training:session_book_staff", args=[session.pk]), {"learner": outsider.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Booking.objects.filter(learner=outsider).exists()


def test_frontline_workers_cannot_book_other_people(client, learner):
    session = SessionFactory()
    client.force_login(learner)
    assert client.get(reverse("training:session_book_staff", args=[session.pk])).status_code == 403
