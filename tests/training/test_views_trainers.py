from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.training.factories import BookingFactory, SessionFactory, programme
from tests.training.support import queries_for
from training import presenters, selectors, services
from training.models import Booking, TrainerAccreditation

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_user, camden_trust):
    return make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True, full_name="Lee Lead")


def test_trainer_reach_counts_held_sessions_and_distinct_attendees(make_user, camden_trust, lead):
    trainer = make_user(Role.TRAINER, camden_trust)
    past = SessionFactory(
        organisation=camden_trust, trainers=[trainer], starts_at=timezone.now() - timedelta(days=3)
    )
    SessionFactory(organisation=camden_trust, trainers=[trainer])  # not delivered yet
    BookingFactory(session=past, status=Booking.Status.ATTENDED)
    BookingFactory(session=past, status=Booking.Status.ATTENDED)
    BookingFactory(session=past, status=Booking.Status.NO_SHOW)
    row = selectors.trainers_managed(lead).get(pk=trainer.pk)
    assert (row.sessions_delivered, row.people_reached) == (1, 2)


def test_the_cascade_shows_who_trained_whom(make_user, camden_trust, lead):
    mecc = programme("mecc")
    first = make_user(Role.TRAINER, camden_trust, full_name="First Trainer")
    second = make_user(Role.TRAINER, camden_trust, full_name="Second Trainer")
    third = make_user(Role.TRAINER, camden_trust, full_name="Third Trainer")
    today = timezone.localdate()
    services.trainer_accreditation_record(
        actor=lead, trainer=first, programme=mecc, accredited_on=today, trained_by_name="RSPH"
    )
    services.trainer_accreditation_record(
        actor=lead, trainer=second, programme=mecc, accredited_on=today, trained_by=first
    )
    services.trainer_accreditation_record(
        actor=lead, trainer=third, programme=mecc, accredited_on=today, trained_by=second
    )
    forest = presenters.trainer_cascade(list(selectors.trainers_managed(lead)))
    root = next(node for node in forest if node.trainer == first)
    assert [n.trainer for n in root.children] == [second]
    assert [n.trainer for n in root.children[0].children] == [third]


def test_lead_records_who_trained_a_trainer(client, make_user, camden_trust, lead):
    trainer = make_user(Role.TRAINER, camden_trust, full_name="Tia Trainer")
    client.force_login(lead)
    day = timezone.localdate() - timedelta(days=100)
    response = client.post(
        reverse("training:trainer_accreditation"),
        {
            "trainer": trainer.pk,
            "programme": programme("mhfa").pk,
            "trained_by": "",
            "trained_by_name": "MHFA England",
            "accredited_on_day": day.day,
            "accredited_on_month": day.month,
            "accredited_on_year": day.year,
        },
    )
    assert response.status_code == 302
    accreditation = TrainerAccreditation.objects.get(trainer=trainer)
    assert accreditation.trained_by_name == "MHFA England"
    page = client.get(reverse("training:trainers")).content.decode()
    assert "Tia Trainer" in page and "MHFA England" in page


def test_who_trained_them_is_required(client, make_user, camden_trust, lead):
    trainer = make_user(Role.TRAINER, camden_trust)
    client.force_login(lead)
    day = timezone.localdate()
    response = client.post(
        reverse("training:trainer_accreditation"),
        {
            "trainer": trainer.pk,
            "programme": programme("mecc").pk,
            "accredited_on_day": day.day,
            "accredited_on_month": day.month,
            "accredited_on_year": day.year,
        },
    )
    assert "Enter who trained them" in response.content.decode()


def test_leads_cannot_record_for_another_organisations_trainer(
    client, make_user, haringey_council, lead
):
    outsider = make_user(Role.TRAINER, haringey_council)
    client.force_login(lead)
    day = timezone.localdate()
    client.post(
        reverse("training:trainer_accreditation"),
        {
            "trainer": outsider.pk,
            "programme": programme("mecc").pk,
            "trained_by_name": "Someone",
            "accredited_on_day": day.day,
            "accredited_on_month": day.month,
            "accredited_on_year": day.year,
        },
    )
    assert not TrainerAccreditation.objects.exists()
    assert outsider.get_full_name() not in client.get(reverse("training:trainers")).content.decode()


def test_trainers_cannot_see_the_trainers_page(client, make_user, camden_trust):
    client.force_login(make_user(Role.TRAINER, camden_trust))
    assert client.get(reverse("training:trainers")).status_code == 403


def test_trainers_page_query_count_does_not_grow(
    client, make_user, camden_trust, lead, django_assert_num_queries
):
    client.force_login(lead)
    url = reverse("training:trainers")
    make_user(Role.TRAINER, camden_trust)
    at_one_row = queries_for(client, url)
    for _ in range(49):
        make_user(Role.TRAINER, camden_trust)
    with django_assert_num_queries(at_one_row):
        client.get(url)
