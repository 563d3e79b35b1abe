from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from tests.training.factories import (
    BookingFactory,
    CompletionFactory,
    CourseFactory,
    SessionFactory,
    programme,
)
from tests.training.support import queries_for
from training.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_user, camden_trust):
    return make_user(Role.FRONTLINE_WORKER, camden_trust, full_name="Lena Learner")


def test_my_training_shows_bookings_certificates_and_refreshers_due(client, learner):
    BookingFactory(learner=learner, session__course__title="Upcoming MECC")
    today = timezone.localdate()
    CompletionFactory(
        learner=learner,
        course=CourseFactory(title="Old MHFA", programme=programme("mhfa"), level=None),
        completed_on=today - timedelta(days=1060),
        expires_on=today + timedelta(days=35),
    )
    client.force_login(learner)
    content = client.get(reverse("training:my_training")).content.decode()
    assert "Upcoming MECC" in content
    assert "Old MHFA" in content
    assert "Refresher training due" in content
    assert "Expiring soon" in content


def test_my_training_query_count_does_not_grow(client, learner, django_assert_num_queries):
    BookingFactory(learner=learner)
    CompletionFactory(learner=learner)
    client.force_login(learner)
    url = reverse("training:my_training")
    at_one_row = queries_for(client, url)
    for _ in range(49):
        BookingFactory(learner=learner)
        CompletionFactory(learner=learner)
    with django_assert_num_queries(at_one_row):
        client.get(url)


def test_learner_downloads_their_certificate(client, learner):
    completion = CompletionFactory(
        learner=learner, course=CourseFactory(programme=programme("dementia"), level=None)
    )
    client.force_login(learner)
    response = client.get(reverse("training:certificate_download", args=[completion.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Lena Learner" in text
    assert completion.certificate_number in text


def test_certificate_waits_for_the_post_course_evaluation(client, learner):
    session = SessionFactory(starts_at=timezone.now() - timedelta(days=1))
    booking = BookingFactory(session=session, learner=learner, status=Booking.Status.ATTENDED)
    completion = CompletionFactory(learner=learner, course=session.course, booking=booking)
    client.force_login(learner)
    page = client.get(reverse("training:my_training")).content.decode()
    assert "Complete the post-course evaluation to get your certificate" in page
    response = client.get(
        reverse("training:certificate_download", args=[completion.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("training:my_training")
    assert response["Content-Type"].startswith("text/html")


def test_nobody_else_can_download_a_certificate(client, learner, make_user, camden_trust):
    completion = CompletionFactory(learner=learner)
    colleague = make_user(Role.FRONTLINE_WORKER, camden_trust)
    client.force_login(colleague)
    assert (
        client.get(reverse("training:certificate_download", args=[completion.pk])).status_code
        == 404
    )


def test_anyone_can_verify_a_certificate_without_signing_in(client, learner):
    completion = CompletionFactory(learner=learner, course__title="MECC level 2")
    response = client.get(reverse("certificate_verify", args=[completion.verification_code]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Lena Learner" in content
    assert "MECC level 2" in content
    assert completion.completed_on.strftime("%B %Y") in content
    # Nothing else about the person: no email, organisation or certificate number.
    assert learner.email not in content
    assert learner.organisation.name not in content


def test_an_unknown_certificate_code_is_a_plain_404(client):
    response = client.get(reverse("certificate_verify", args=["not-a-real-code"]))
    assert response.status_code == 404
    assert "We cannot find this certificate" in response.content.decode()
