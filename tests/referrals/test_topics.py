"""Commissioners and administrators add and change prevention topics."""

from __future__ import annotations

import pytest

from accounts.models import Role
from core.models import AuditEvent
from referrals.models import Topic

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Oral health",
    "description": "Brushing, diet and seeing a dentist.",
    "snomed_code": "",
    "snomed_display": "",
    "esd_code": "",
    "display_order": "50",
    "is_active": "on",
}


@pytest.fixture
def commissioner(make_user, haringey):
    return make_user(Role.COMMISSIONER, haringey, with_mfa=True)


def test_commissioner_adds_a_topic_that_staff_can_then_choose(client, commissioner):
    client.force_login(commissioner)
    response = client.post("/directory/topics/new/", VALID)
    assert response.status_code == 302
    topic = Topic.objects.get(name="Oral health")
    assert topic.slug == "oral-health"
    assert topic.is_active
    assert AuditEvent.objects.filter(action="topic.created", actor=commissioner).exists()
    assert "Oral health" in client.get("/directory/topics/").content.decode()


def test_a_second_topic_with_the_same_slug_gets_a_distinct_one(client, commissioner):
    client.force_login(commissioner)
    client.post("/directory/topics/new/", VALID)
    client.post("/directory/topics/new/", {**VALID, "name": "Oral health!"})
    assert sorted(Topic.objects.filter(name__startswith="Oral").values_list("slug", flat=True)) == [
        "oral-health",
        "oral-health-2",
    ]


def test_bad_codes_are_explained_and_nothing_is_saved(client, commissioner):
    client.force_login(commissioner)
    response = client.post("/directory/topics/new/", {**VALID, "name": "", "snomed_code": "12ab"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in content
    assert "Enter the topic name" in content
    assert "A SNOMED CT code is 6 to 18 digits" in content
    assert not Topic.objects.filter(description=VALID["description"]).exists()


def test_a_code_needs_its_term(client, commissioner):
    client.force_login(commissioner)
    response = client.post("/directory/topics/new/", {**VALID, "snomed_code": "710081004"})
    assert "Enter the SNOMED CT term for the code" in response.content.decode()


def test_commissioner_changes_a_topic_and_the_change_is_audited(client, commissioner):
    topic = Topic.objects.create(slug="falls-x", name="Falls prevention")
    client.force_login(commissioner)
    data = {**VALID, "name": "Falls prevention", "urgent_support_first": "on", "is_active": ""}
    response = client.post(f"/directory/topics/{topic.slug}/edit/", data)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.urgent_support_first is True
    assert topic.is_active is False
    event = AuditEvent.objects.get(action="topic.updated")
    assert set(event.details["fields"]) >= {"urgent_support_first", "is_active"}


@pytest.mark.parametrize("role", [Role.FRONTLINE_WORKER, Role.SERVICE_PROVIDER, Role.TRAINER])
def test_other_roles_cannot_manage_topics(client, make_user, camden_trust, role):
    client.force_login(make_user(role, camden_trust))
    assert client.get("/directory/topics/").status_code == 403
    assert client.post("/directory/topics/new/", VALID).status_code == 403
    assert not Topic.objects.filter(name="Oral health").exists()


def test_topic_list_makes_the_same_queries_at_1_and_50_topics(client, commissioner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(commissioner)
    client.get("/directory/topics/")  # the first request also records the user's session
    Topic.objects.all().delete()
    Topic.objects.create(slug="t0", name="Topic 0")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/directory/topics/").status_code == 200
    Topic.objects.bulk_create([Topic(slug=f"t{n}", name=f"Topic {n}") for n in range(1, 50)])
    with CaptureQueriesContext(connection) as fifty:
        content = client.get("/directory/topics/").content.decode()
    assert "Topic 49" in content
    assert len(fifty.captured_queries) == len(one.captured_queries)
