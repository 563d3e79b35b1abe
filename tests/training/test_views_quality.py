from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from tests.training.factories import CourseFactory
from tests.training.support import queries_for
from training.models import QualityAssessment, QualityCriterion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def lead(make_user, camden_trust):
    return make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)


def answers(course, organisation, score="3", **extra):
    data = {"organisation": organisation.pk, "course": course.pk}
    for criterion in QualityCriterion.objects.filter(is_active=True):
        data[f"score_{criterion.pk}"] = score
        data[f"evidence_{criterion.pk}"] = f"Evidence for {criterion.pk}"
    data.update(extra)
    return data


def test_criteria_are_seeded_as_editable_data():
    assert QualityCriterion.objects.filter(is_active=True).count() >= 10


def test_lead_submits_a_self_assessment_with_evidence_file(client, lead, camden_trust):
    course = CourseFactory()
    first = QualityCriterion.objects.first()
    client.force_login(lead)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    response = client.post(
        reverse("training:quality_create"),
        answers(course, camden_trust, submit="1", **{f"attachment_{first.pk}": upload}),
    )
    assessment = QualityAssessment.objects.get()
    assert response["Location"] == reverse("training:quality_detail", args=[assessment.pk])
    assert assessment.status == QualityAssessment.Status.SUBMITTED
    assert assessment.scores.count() == QualityCriterion.objects.filter(is_active=True).count()
    score = assessment.scores.get(criterion=first)
    download = client.get(reverse("training:quality_attachment", args=[score.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"


def test_submitting_needs_every_criterion_scored_but_a_draft_does_not(client, lead, camden_trust):
    course = CourseFactory()
    client.force_login(lead)
    first = QualityCriterion.objects.first()
    data = answers(course, camden_trust, submit="1")
    data[f"score_{first.pk}"] = ""
    response = client.post(reverse("training:quality_create"), data)
    assert "Score every criterion" in response.content.decode()
    assert not QualityAssessment.objects.exists()
    data.pop("submit")
    data["draft"] = "1"
    client.post(reverse("training:quality_create"), data)
    assert QualityAssessment.objects.get().status == QualityAssessment.Status.DRAFT


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.exe", b"MZ", "must be a PDF, Word, Excel, PowerPoint, PNG or JPG file"),
        ("fake.pdf", b"not a pdf", "is not a real .pdf file"),
        ("big.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024), "smaller than 5MB"),
    ],
)
def test_evidence_uploads_are_limited_by_type_and_size(
    client, lead, camden_trust, name, content, message
):
    course = CourseFactory()
    first = QualityCriterion.objects.first()
    client.force_login(lead)
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        reverse("training:quality_create"),
        answers(course, camden_trust, submit="1", **{f"attachment_{first.pk}": upload}),
    )
    assert message in response.content.decode()
    assert not QualityAssessment.objects.exists()


def test_commissioners_see_submitted_assessments_in_their_area_only(
    client, lead, make_user, camden, camden_trust, haringey
):
    course = CourseFactory()
    client.force_login(lead)
    client.post(reverse("training:quality_create"), answers(course, camden_trust, submit="1"))
    client.post(reverse("training:quality_create"), answers(course, camden_trust, draft="1"))
    submitted = QualityAssessment.objects.get(status="submitted")
    draft = QualityAssessment.objects.get(status="draft")

    client.force_login(make_user(Role.COMMISSIONER, camden, with_mfa=True))
    listed = client.get(reverse("training:quality_list")).context["assessments"]
    assert [a.pk for a in listed] == [submitted.pk]
    assert client.get(reverse("training:quality_detail", args=[draft.pk])).status_code == 404

    client.force_login(make_user(Role.COMMISSIONER, haringey, with_mfa=True))
    assert client.get(reverse("training:quality_detail", args=[submitted.pk])).status_code == 404


def test_another_organisations_lead_cannot_see_or_edit_a_draft(
    client, lead, make_user, camden_trust, haringey_council
):
    course = CourseFactory()
    client.force_login(lead)
    client.post(reverse("training:quality_create"), answers(course, camden_trust, draft="1"))
    draft = QualityAssessment.objects.get()
    client.force_login(make_user(Role.TRAINING_LEAD, haringey_council, with_mfa=True))
    assert client.get(reverse("training:quality_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("training:quality_edit", args=[draft.pk])).status_code == 404


def test_frontline_workers_cannot_see_the_quality_marker(client, make_user, camden_trust):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(reverse("training:quality_list")).status_code == 403


def test_quality_list_query_count_does_not_grow(
    client, lead, camden_trust, django_assert_num_queries
):
    course = CourseFactory()
    QualityAssessment.objects.create(course=course, organisation=camden_trust)
    client.force_login(lead)
    url = reverse("training:quality_list")
    at_one_row = queries_for(client, url)
    for _ in range(49):
        QualityAssessment.objects.create(course=CourseFactory(), organisation=camden_trust)
    with django_assert_num_queries(at_one_row):
        client.get(url)
