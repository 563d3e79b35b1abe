"""Training leads and administrators add and change their organisations' courses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from core.models import AuditEvent
from tests.training.factories import CourseFactory, programme
from tests.training.support import queries_for
from training import services
from training.models import Course
from training.services import TrainingError

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_user, camden_trust):
    return make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)


@pytest.fixture
def colleague(make_user, camden_trust):
    return make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)


@pytest.fixture
def outsider(make_user, haringey_council):
    return make_user(Role.TRAINING_LEAD, haringey_council, with_mfa=True)


@pytest.fixture
def administrator(make_user, partnership):
    return make_user(Role.ADMINISTRATOR, partnership, with_mfa=True)


def course_form(provider, **overrides):
    data = {
        "title": "MECC level 2 for housing officers",
        "programme": programme("mecc").pk,
        "level": "2",
        "delivery_mode": Course.Mode.FACE_TO_FACE,
        "external_url": "",
        "duration_minutes": "180",
        "cost": "25.00",
        "provider": provider.pk,
        "audience": "Housing officers",
        "description": "Brief advice on healthy living.",
        "is_active": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_lead_adds_a_course_for_their_organisation(client, lead, camden_trust):
    client.force_login(lead)
    response = client.post(reverse("training:course_create"), course_form(camden_trust))
    assert response.status_code == 302
    assert response["Location"] == reverse("training:courses_manage")
    course = Course.objects.get()
    assert (course.title, course.level, course.cost_pence) == (
        "MECC level 2 for housing officers",
        2,
        2500,
    )
    assert course.provider == camden_trust
    assert course.is_active and not course.is_refresher
    event = AuditEvent.objects.get(action="training.course_created")
    assert (event.actor, event.target_id) == (lead, str(course.pk))


def test_a_free_course_costs_nothing(client, lead, camden_trust):
    client.force_login(lead)
    client.post(reverse("training:course_create"), course_form(camden_trust, is_free="on", cost=""))
    assert Course.objects.get().cost_pence == 0


def test_e_learning_needs_its_link_and_errors_show_in_the_error_summary(client, lead, camden_trust):
    client.force_login(lead)
    response = client.post(
        reverse("training:course_create"),
        course_form(camden_trust, delivery_mode=Course.Mode.E_LEARNING, level="", cost=""),
    )
    content = response.content.decode()
    assert response.status_code == 200
    summary = content.split('class="nhsuk-error-summary"')[1].split("</div>")[0]
    assert "Enter the link to the e-learning" in summary
    assert "Choose the level of this Making Every Contact Count course" in summary
    assert "Enter the cost per learner, or tick that the course is free" in summary
    assert not Course.objects.exists()


def test_programmes_without_levels_take_no_level_and_free_courses_no_cost(
    client, lead, camden_trust
):
    client.force_login(lead)
    response = client.post(
        reverse("training:course_create"),
        course_form(camden_trust, programme=programme("dementia").pk, is_free="on"),
    )
    content = response.content.decode()
    assert "Dementia Awareness courses have no levels: leave it blank" in content
    assert "A free course has no cost: remove the cost or untick free" in content
    assert not Course.objects.exists()


def test_e_learning_course_with_its_link_is_saved(client, lead, camden_trust):
    client.force_login(lead)
    client.post(
        reverse("training:course_create"),
        course_form(
            camden_trust,
            programme=programme("dementia").pk,
            level="",
            delivery_mode=Course.Mode.E_LEARNING,
            external_url="https://learning.example.org/dementia",
        ),
    )
    course = Course.objects.get()
    assert course.level is None
    assert course.external_url == "https://learning.example.org/dementia"


def test_lead_cannot_add_a_course_for_another_organisation(client, lead, haringey_council):
    client.force_login(lead)
    response = client.post(reverse("training:course_create"), course_form(haringey_council))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Course.objects.exists()


@pytest.mark.parametrize("who", ["lead", "colleague"])
def test_owner_and_colleague_lead_change_the_course(client, request, camden_trust, who):
    course = CourseFactory(provider=camden_trust, title="Old title")
    user = request.getfixturevalue(who)
    client.force_login(user)
    url = reverse("training:course_edit", args=[course.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Old title"' in page.content.decode()
    response = client.post(url, course_form(camden_trust, title="New title", is_active=None))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "New title"
    assert not course.is_active
    event = AuditEvent.objects.get(action="training.course_updated")
    assert event.actor == user
    assert {"title", "is_active", "level", "cost_pence"} <= set(event.details["fields"])


def test_outsider_lead_gets_not_found(client, outsider, camden_trust):
    course = CourseFactory(provider=camden_trust, title="Old title")
    client.force_login(outsider)
    url = reverse("training:course_edit", args=[course.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, course_form(camden_trust, title="Hijacked")).status_code == 404
    course.refresh_from_db()
    assert course.title == "Old title"
    assert "Old title" not in client.get(reverse("training:courses_manage")).content.decode()


@pytest.mark.parametrize("name", ["courses_manage", "course_create"])
def test_frontline_workers_and_trainers_are_refused(client, make_user, camden_trust, name):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(reverse(f"training:{name}")).status_code == 403
    client.force_login(make_user(Role.TRAINER, camden_trust))
    assert client.get(reverse(f"training:{name}")).status_code == 403


def test_frontline_workers_cannot_change_a_course(client, make_user, camden_trust):
    course = CourseFactory(provider=camden_trust)
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(reverse("training:course_edit", args=[course.pk])).status_code == 403


def test_administrator_changes_any_organisations_course(
    client, administrator, camden_trust, haringey_council
):
    course = CourseFactory(provider=camden_trust)
    client.force_login(administrator)
    url = reverse("training:course_edit", args=[course.pk])
    client.post(url, course_form(haringey_council, title="Moved"))
    course.refresh_from_db()
    assert (course.title, course.provider) == ("Moved", haringey_council)


def test_your_courses_lists_only_courses_in_scope(client, lead, camden_trust, haringey_council):
    CourseFactory(provider=camden_trust, title="Camden course")
    CourseFactory(provider=haringey_council, title="Haringey course")
    client.force_login(lead)
    response = client.get(reverse("training:courses_manage"))
    content = response.content.decode()
    assert "Your courses \N{EN DASH} MECC Portal" in content
    assert "Camden course" in content
    assert "Haringey course" not in content


def test_your_courses_query_count_is_the_same_for_1_and_50_courses(client, lead, camden_trust):
    client.force_login(lead)
    url = reverse("training:courses_manage")
    CourseFactory(provider=camden_trust)
    one = queries_for(client, url)
    CourseFactory.create_batch(49, provider=camden_trust)
    assert len(client.get(url).context["courses"]) == 50
    assert queries_for(client, url) == one


def test_course_service_refuses_e_learning_without_a_link(lead, camden_trust):
    with pytest.raises(TrainingError):
        services.course_create(
            actor=lead,
            programme=programme("dementia"),
            title="Dementia online",
            delivery_mode=Course.Mode.E_LEARNING,
            duration_minutes=60,
            provider=camden_trust,
        )
    assert not Course.objects.exists()


def test_course_update_records_only_changed_fields(lead, camden_trust):
    course = CourseFactory(provider=camden_trust, title="Same", cost_pence=0)
    services.course_update(course=course, actor=lead, title="Same", cost_pence=1000)
    event = AuditEvent.objects.get(action="training.course_updated")
    assert event.details["fields"] == ["cost_pence"]


def test_fields_required_only_sometimes_do_not_say_optional(client, lead):
    client.force_login(lead)
    content = client.get(reverse("training:course_create")).content.decode()
    assert "Add a course \N{EN DASH} MECC Portal" in content
    assert "Who it is for (optional)" in content
    for label in ("Level", "Link to the e-learning", "Cost per learner, in pounds"):
        assert f"{label} (optional)" not in content
        assert label in content
