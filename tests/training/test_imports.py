from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from tests.training.factories import CompletionFactory, CourseFactory, programme
from training.models import Completion, CompletionImport

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_user, camden_trust):
    return make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)


@pytest.fixture
def course():
    return CourseFactory(title="MHFA two-day course", programme=programme("mhfa"), level=None)


def upload(client, text, name="export.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("training:import_upload"), {"file": file})


def test_a_clean_file_is_previewed_then_imported_in_full(
    client, lead, make_user, camden_trust, course
):
    staff = [make_user(Role.FRONTLINE_WORKER, camden_trust) for _ in range(2)]
    client.force_login(lead)
    csv_text = (
        "Email,Course,Completed_on,Certificate_number\n"
        f"{staff[0].email},MHFA two-day course,2024-03-27,LMS-001\n"
        f"{staff[1].email},mhfa two-day course,05/11/2023,\n"
    )
    response = upload(client, csv_text)
    batch = CompletionImport.objects.get()
    assert response["Location"] == reverse("training:import_preview", args=[batch.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "All 2 rows are ready to import" in preview
    assert not Completion.objects.exists()

    client.post(reverse("training:import_preview", args=[batch.pk]))
    imported = Completion.objects.order_by("completed_on")
    assert [c.learner for c in imported] == [staff[1], staff[0]]
    assert imported[1].certificate_number == "LMS-001"
    assert imported[0].completed_on == date(2023, 11, 5)
    assert imported[0].expires_on == date(2026, 11, 5)
    assert {c.source for c in imported} == {Completion.Source.IMPORT}
    batch.refresh_from_db()
    assert (batch.status, batch.rows_imported) == ("applied", 2)


def test_every_bad_row_is_reported_and_nothing_is_imported(
    client, lead, make_user, camden_trust, haringey_council, course
):
    ours = make_user(Role.FRONTLINE_WORKER, camden_trust)
    theirs = make_user(Role.FRONTLINE_WORKER, haringey_council)
    CompletionFactory(
        learner=ours, course=course, completed_on=date(2022, 1, 1), certificate_number="USED-1"
    )
    client.force_login(lead)
    csv_text = (
        "email,course,completed_on,certificate_number\n"
        f"{ours.email},MHFA two-day course,2024-01-01,\n"
        f"{theirs.email},MHFA two-day course,2024-01-01,\n"
        "nobody@nowhere.example,MHFA two-day course,2024-01-01,\n"
        f"{ours.email},Basket weaving,2024-01-01,\n"
        f"{ours.email},MHFA two-day course,31/02/2024,\n"
        f"{ours.email},MHFA two-day course,2099-01-01,\n"
        f"{ours.email},MHFA two-day course,2022-01-01,\n"
        f"{ours.email},MHFA two-day course,2024-01-01,USED-1\n"
    )
    response = upload(client, csv_text)
    batch = CompletionImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    for message in (
        "This person is not in your organisation",
        "No one in the portal has this email address",
        "No course has this title",
        "Date must be a real date",
        "Date must be today or in the past",
        "This completion is already in the portal",
        "This certificate number is already in the portal",
        "This row repeats an earlier row",
    ):
        assert message in page, message
    assert "Nothing has been imported" in page
    response = client.post(reverse("training:import_preview", args=[batch.pk]), follow=True)
    assert "Fix the errors in the file" in response.content.decode()
    assert Completion.objects.count() == 1


def test_a_file_without_the_columns_is_refused_with_a_reason(client, lead):
    client.force_login(lead)
    response = upload(client, "name,date\nA,2024-01-01\n")
    page = client.get(response["Location"]).content.decode()
    assert "The file needs a column called email, course, completed_on" in page


def test_only_csv_files_are_accepted(client, lead):
    client.force_login(lead)
    response = upload(client, "whatever", name="export.xlsx")
    assert "The selected file must be a CSV" in response.content.decode()
    assert not CompletionImport.objects.exists()


def test_imports_are_private_to_whoever_uploaded_them(
    client, lead, make_user, camden_trust, course
):
    client.force_login(lead)
    response = upload(client, "email,course,completed_on\n")
    other = make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404


def test_trainers_cannot_import(client, make_user, camden_trust):
    client.force_login(make_user(Role.TRAINER, camden_trust))
    assert client.get(reverse("training:import_upload")).status_code == 403
