from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role, StaffGroup
from core.models import AuditEvent
from evaluation import selectors
from evaluation.models import WorkforceHeadcount
from tests.evaluation.factories import WorkforceHeadcountFactory
from tests.evaluation.support import queries_for
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 12)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 5, 12, 10, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def lead(make_user, camden_trust):
    return make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)


def edit_url(organisation):
    return reverse("evaluation:workforce_edit", kwargs={"organisation_id": organisation.pk})


def post_data(as_of=TODAY, **counts):
    data = {
        "as_of_day": str(as_of.day),
        "as_of_month": str(as_of.month),
        "as_of_year": str(as_of.year),
        "groups-TOTAL_FORMS": str(len(StaffGroup)),
        "groups-INITIAL_FORMS": str(len(StaffGroup)),
        "groups-MIN_NUM_FORMS": str(len(StaffGroup)),
        "groups-MAX_NUM_FORMS": str(len(StaffGroup)),
    }
    for index, group in enumerate(StaffGroup):
        data[f"groups-{index}-headcount"] = str(counts.get(group.value, ""))
    return data


def test_selector_gives_the_latest_headcount_on_or_before_the_date(camden_trust, haringey_council):
    WorkforceHeadcountFactory(
        organisation=camden_trust, headcount=100, as_of=datetime.date(2025, 3, 31)
    )
    WorkforceHeadcountFactory(
        organisation=camden_trust, headcount=120, as_of=datetime.date(2026, 3, 31)
    )
    WorkforceHeadcountFactory(
        organisation=camden_trust,
        staff_group=StaffGroup.MEDICAL,
        headcount=30,
        as_of=datetime.date(2025, 3, 31),
    )
    WorkforceHeadcountFactory(organisation=haringey_council, headcount=7)

    assert selectors.headcount_by_org_and_staff_group(on=datetime.date(2025, 12, 1)) == {
        (camden_trust.pk, "nursing"): 100,
        (camden_trust.pk, "medical"): 30,
    }
    assert selectors.headcount_by_org_and_staff_group(
        organisation_ids=[camden_trust.pk], on=datetime.date(2026, 4, 1)
    ) == {(camden_trust.pk, "nursing"): 120, (camden_trust.pk, "medical"): 30}


def test_selector_costs_one_query_whatever_the_number_of_organisations(
    django_assert_num_queries,
):
    for _ in range(20):
        WorkforceHeadcountFactory()
    with django_assert_num_queries(1):
        counts = selectors.headcount_by_org_and_staff_group()
    assert len(counts) == 20


def test_training_lead_records_headcount_by_staff_group(client, lead, camden_trust):
    client.force_login(lead)
    response = client.post(edit_url(camden_trust), post_data(nursing=850, medical=210))
    assert response.status_code == 302
    rows = WorkforceHeadcount.objects.filter(organisation=camden_trust)
    assert {(r.staff_group, r.headcount, r.as_of) for r in rows} == {
        ("nursing", 850, TODAY),
        ("medical", 210, TODAY),
    }
    event = AuditEvent.objects.get(action="workforce.headcount_recorded")
    assert event.actor == lead
    assert event.details["headcounts"] == {"nursing": 850, "medical": 210}


def test_saving_again_on_the_same_date_updates_and_clears_groups(client, lead, camden_trust):
    client.force_login(lead)
    client.post(edit_url(camden_trust), post_data(nursing=850, medical=210))
    client.post(edit_url(camden_trust), post_data(nursing=900))
    rows = WorkforceHeadcount.objects.filter(organisation=camden_trust)
    assert [(r.staff_group, r.headcount) for r in rows] == [("nursing", 900)]


def test_a_new_date_keeps_the_history(client, lead, camden_trust):
    client.force_login(lead)
    client.post(edit_url(camden_trust), post_data(as_of=datetime.date(2025, 3, 31), nursing=800))
    client.post(edit_url(camden_trust), post_data(nursing=850))
    assert WorkforceHeadcount.objects.filter(organisation=camden_trust).count() == 2
    response = client.get(edit_url(camden_trust))
    content = response.content.decode()
    assert "12 May 2026" in content
    assert 'value="850"' in content


def test_the_page_shows_every_staff_group_with_the_current_figures(client, lead, camden_trust):
    WorkforceHeadcountFactory(organisation=camden_trust, headcount=640)
    client.force_login(lead)
    content = client.get(edit_url(camden_trust)).content.decode()
    for group in StaffGroup:
        assert group.label in content
    assert 'value="640"' in content
    assert "<title>Workforce numbers: Camden Trust \N{EN DASH} MECC Portal</title>" in content


@pytest.mark.parametrize(
    ("counts", "as_of", "message"),
    [
        ({"nursing": "lots"}, TODAY, "Enter the number of people in nursing and midwifery as a"),
        ({"nursing": -1}, TODAY, "The number of people in nursing and midwifery must be 0 or more"),
        ({}, TODAY, "Enter the number of people in at least one staff group"),
        (
            {"nursing": 5},
            TODAY + datetime.timedelta(days=1),
            "The date must be today or in the past",
        ),
    ],
)
def test_bad_input_is_shown_in_the_error_summary_and_nothing_is_saved(
    client, lead, camden_trust, counts, as_of, message
):
    client.force_login(lead)
    response = client.post(edit_url(camden_trust), post_data(as_of=as_of, **counts))
    assert response.status_code == 200
    content = response.content.decode()
    assert "nhsuk-error-summary" in content
    assert message in content
    assert content.count("nhsuk-error-summary__heading") == 1
    assert "<title>Error: Workforce numbers" in content
    assert not WorkforceHeadcount.objects.exists()


def test_a_tampered_form_count_is_an_error_not_a_crash(client, lead, camden_trust):
    client.force_login(lead)
    data = post_data(nursing=5)
    data["groups-TOTAL_FORMS"] = "3"
    response = client.post(edit_url(camden_trust), data)
    assert response.status_code == 200
    assert not WorkforceHeadcount.objects.exists()


def test_a_colleague_without_the_role_gets_404(client, make_user, camden_trust):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(edit_url(camden_trust)).status_code == 404
    assert client.get(reverse("evaluation:workforce")).status_code == 404


def test_a_training_lead_elsewhere_gets_404(client, make_user, camden_trust, haringey_council):
    client.force_login(make_user(Role.TRAINING_LEAD, haringey_council, with_mfa=True))
    assert client.get(edit_url(camden_trust)).status_code == 404
    response = client.post(edit_url(camden_trust), post_data(nursing=5))
    assert response.status_code == 404
    assert not WorkforceHeadcount.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(client, camden_trust):
    response = client.get(edit_url(camden_trust))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_lead_of_one_organisation_goes_straight_to_its_page(client, lead, camden_trust):
    client.force_login(lead)
    response = client.get(reverse("evaluation:workforce"))
    assert response.status_code == 302
    assert response["Location"] == edit_url(camden_trust)


def test_list_query_count_does_not_grow_with_organisations(
    client, make_user, camden, django_assert_num_queries
):
    admin_lead = make_user(Role.TRAINING_LEAD, camden, with_mfa=True)
    OrganisationFactory(area=camden)
    org = OrganisationFactory(area=camden)
    WorkforceHeadcountFactory(organisation=org)
    client.force_login(admin_lead)
    url = reverse("evaluation:workforce")
    at_two = queries_for(client, url)
    for _ in range(48):
        WorkforceHeadcountFactory(organisation=OrganisationFactory(area=camden))
    with django_assert_num_queries(at_two):
        response = client.get(url)
    # the lead's own organisation (in another area) is not in Camden's scope
    assert len(response.context["summaries"]) == 50
