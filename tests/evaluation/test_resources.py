from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import Role
from evaluation.models import Resource
from evaluation.models.resources import MAX_RESOURCE_BYTES
from tests.evaluation.factories import ResourceFactory
from tests.evaluation.support import queries_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_anyone_can_read_the_library_without_signing_in(client):
    ResourceFactory(
        title="MECC Consensus Statement",
        category=Resource.Category.CONSENSUS_STATEMENT,
        summary="What MECC is and what it asks of organisations.",
    )
    ResourceFactory(title="Hidden draft", is_published=False)
    response = client.get(reverse("evaluation:resources"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>MECC resources \N{EN DASH} MECC Portal</title>" in content
    assert "MECC Consensus Statement" in content
    assert "What MECC is and what it asks of organisations." in content
    assert "Hidden draft" not in content


def test_library_lists_categories_in_their_natural_order(client):
    ResourceFactory(title="Other thing", category=Resource.Category.OTHER)
    ResourceFactory(title="Statement", category=Resource.Category.CONSENSUS_STATEMENT)
    ResourceFactory(title="Course", category=Resource.Category.E_LEARNING)
    response = client.get(reverse("evaluation:resources"))
    assert [label for label, _ in response.context["groups"]] == [
        "Consensus statement",
        "E-learning",
        "Other",
    ]


def test_library_filters_by_category(client):
    ResourceFactory(title="Guide", category=Resource.Category.IMPLEMENTATION_GUIDE)
    ResourceFactory(title="Course", category=Resource.Category.E_LEARNING)
    response = client.get(reverse("evaluation:resources"), {"category": "e_learning"})
    titles = [r.title for _, items in response.context["groups"] for r in items]
    assert titles == ["Course"]


def test_an_unknown_category_is_shown_as_an_error(client):
    response = client.get(reverse("evaluation:resources"), {"category": "bogus"})
    assert response.status_code == 200
    assert "Select a type of resource from the list" in response.content.decode()


def test_signed_in_people_see_the_library_too(client, make_user, camden_trust):
    ResourceFactory(title="Evaluation framework")
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert "Evaluation framework" in client.get(reverse("evaluation:resources")).content.decode()


def test_an_uploaded_file_downloads_with_its_type(client, media):
    resource = ResourceFactory(title="Checklist", file=SimpleUploadedFile("checklist.pdf", PDF))
    response = client.get(reverse("evaluation:resource_file", kwargs={"pk": resource.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="Checklist.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_unpublished_or_link_only_resources_have_no_download(client, media):
    hidden = ResourceFactory(is_published=False, file=SimpleUploadedFile("a.pdf", PDF))
    link = ResourceFactory(external_url="https://www.england.nhs.uk/")
    for resource in (hidden, link):
        url = reverse("evaluation:resource_file", kwargs={"pk": resource.pk})
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "File extension"),
        ("renamed.pdf", b"MZ\x90\x00", "do not match its type"),
        ("sheet.xlsx", b"%PDF-1.4", "do not match its type"),
        ("notes.txt", b"\x00\x01\x02binary", "do not match its type"),
        ("big.pdf", b"%PDF-" + b"0" * MAX_RESOURCE_BYTES, "smaller than 10 MB"),
    ],
)
def test_uploads_are_limited_by_type_and_size(name, content, message):
    resource = Resource(
        title="Upload",
        summary="s",
        category=Resource.Category.OTHER,
        file=SimpleUploadedFile(name, content),
    )
    with pytest.raises(ValidationError, match=message):
        resource.full_clean()


def test_allowed_uploads_pass_validation():
    for name, content in (
        ("guide.pdf", PDF),
        ("plan.docx", b"PK\x03\x04rest"),
        ("terms.csv", b"term,definition\nMECC,Making Every Contact Count\n"),
    ):
        resource = Resource(
            title=name,
            summary="s",
            category=Resource.Category.OTHER,
            file=SimpleUploadedFile(name, content),
        )
        resource.full_clean()


def test_a_resource_is_a_link_or_a_file_not_both(media):
    resource = Resource(
        title="Both",
        summary="s",
        category=Resource.Category.OTHER,
        external_url="https://www.england.nhs.uk/",
        file=SimpleUploadedFile("a.pdf", PDF),
    )
    with pytest.raises(ValidationError, match="not both"):
        resource.full_clean()
    with pytest.raises(IntegrityError):
        resource.save()


def test_administrators_can_add_resources_in_admin(client, make_user, partnership, media):
    admin_user = make_user(Role.ADMINISTRATOR, partnership, with_mfa=True, is_staff=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:evaluation_resource_add"),
        {
            "title": "Quality marker checklist",
            "summary": "Check a training resource against the quality markers.",
            "category": "quality_marker_checklist",
            "audience": "Training leads",
            "file": SimpleUploadedFile("checklist.pdf", PDF),
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Resource.objects.get().file.name.endswith(".pdf")
    bad = client.post(
        reverse("admin:evaluation_resource_add"),
        {
            "title": "Bad",
            "summary": "s",
            "category": "other",
            "file": SimpleUploadedFile("bad.pdf", b"not a pdf"),
        },
    )
    assert bad.status_code == 200
    assert not Resource.objects.filter(title="Bad").exists()


def test_library_query_count_does_not_grow_with_resources(client, django_assert_num_queries):
    ResourceFactory()
    url = reverse("evaluation:resources")
    at_one = queries_for(client, url)
    for _ in range(49):
        ResourceFactory()
    with django_assert_num_queries(at_one):
        response = client.get(url)
    assert sum(len(items) for _, items in response.context["groups"]) == 50
