from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent, OutboxMessage
from referrals.models import ListingProblemReport, Service, Topic
from tests.factories import OrganisationFactory
from tests.referrals.factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mecc_topics")]

SEARCH = reverse("referrals:directory_search")


@pytest.fixture
def provider_org(haringey):
    return OrganisationFactory(name="Wood Green Voluntary Action", area=haringey)


@pytest.fixture
def owner(make_user, provider_org):
    return make_user(Role.SERVICE_PROVIDER, provider_org, email="owner@wgva.example")


@pytest.fixture
def colleague(make_user, provider_org):
    return make_user(Role.SERVICE_PROVIDER, provider_org, email="colleague@wgva.example")


@pytest.fixture
def outsider(make_user, camden_trust):
    return make_user(Role.SERVICE_PROVIDER, camden_trust, email="outsider@camden.example")


@pytest.fixture
def frontline(make_user, camden_trust):
    return make_user(Role.FRONTLINE_WORKER, camden_trust)


@pytest.fixture
def listing(mecc_topics, provider_org, haringey):
    service = ServiceFactory(
        name="Wood Green befriending",
        provider=provider_org,
        topics=[Topic.objects.get(slug="loneliness")],
        areas_served=[haringey],
        minimum_age=50,
    )
    ServiceAtLocationFactory(service=service, location=LocationFactory(postcode="N22 8HQ"))
    ScheduleFactory(service=service, byday="MO,WE")
    return service


def detail_url(service, name="service_detail"):
    return reverse(f"referrals:{name}", args=[service.uuid])


# --- Search ---------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(SEARCH)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", [Role.FRONTLINE_WORKER, Role.TRAINER, None])
def test_every_signed_in_user_can_search_the_directory(
    client, make_user, camden_trust, listing, role
):
    client.force_login(make_user(role, camden_trust))
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert "Wood Green befriending" in response.content.decode()
    assert "<title>Find a service \u2013 MECC Portal</title>" in response.content.decode()


def test_find_a_service_is_in_every_signed_in_users_navigation(client, make_user):
    client.force_login(make_user())
    nav = client.get("/").context["nav_items"]
    assert {"label": "Find a service", "url": SEARCH, "current": False} in nav


def test_urgent_support_services_are_listed_before_any_other(client, frontline, provider_org):
    ServiceFactory(name="Aardvark advice", provider=provider_org)
    crisis = ServiceFactory(
        name="Zebra crisis line",
        provider=provider_org,
        topics=[Topic.objects.get(slug="mental-health-crisis")],
    )
    client.force_login(frontline)
    hits = client.get(SEARCH).context["page"].object_list
    assert hits[0].service == crisis


def test_search_filters_by_text_topic_and_borough(client, frontline, listing, camden, camden_trust):
    ServiceFactory(
        name="Camden stop smoking",
        provider=camden_trust,
        topics=[Topic.objects.get(slug="smoking")],
        areas_served=[camden],
    )
    client.force_login(frontline)

    def names(**params):
        return [hit.service.name for hit in client.get(SEARCH, params).context["page"].object_list]

    assert names(q="befriend") == ["Wood Green befriending"]
    assert names(q="Wood Green Voluntary") == ["Wood Green befriending"]
    assert names(topic=Topic.objects.get(slug="smoking").pk) == ["Camden stop smoking"]
    assert names(area=camden.pk) == ["Camden stop smoking"]


def test_search_by_postcode_keeps_services_within_the_distance_nearest_first(
    client, frontline, provider_org
):
    def at(name, postcode, lat, lon):
        service = ServiceFactory(name=name, provider=provider_org)
        ServiceAtLocationFactory(
            service=service,
            location=LocationFactory(postcode=postcode, latitude=lat, longitude=lon),
        )
        return service

    at("Tottenham", "N17 9LT", 51.5959, -0.0706)
    at("Wood Green", "N22 8HQ", 51.6017, -0.1141)
    at("Barnet", "EN5 5RD", 51.6575, -0.2126)
    client.force_login(frontline)
    response = client.get(SEARCH, {"postcode": "n22 6xx", "distance": "5"})
    hits = response.context["page"].object_list
    assert [hit.service.name for hit in hits] == ["Wood Green", "Tottenham"]
    assert "less than 1 km away" in response.content.decode()
    assert (
        len(client.get(SEARCH, {"postcode": "N22 6XX", "distance": ""}).context["page"].object_list)
        == 3
    )


def test_a_malformed_postcode_is_shown_in_the_error_summary(client, frontline):
    client.force_login(frontline)
    response = client.get(SEARCH, {"postcode": "hello"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "nhsuk-error-summary" in content
    assert "Enter a real postcode, like N17 9LT" in content


def test_results_are_paginated(client, frontline, provider_org):
    ServiceFactory.create_batch(25, provider=provider_org)
    client.force_login(frontline)
    assert len(client.get(SEARCH).context["page"].object_list) == 20
    assert len(client.get(SEARCH, {"page": 2}).context["page"].object_list) == 5


@pytest.mark.parametrize(
    "params", [{}, {"postcode": "N22 6XX", "distance": "10"}, {"q": "Service"}]
)
def test_search_query_count_is_the_same_at_1_and_50_services(
    client, frontline, provider_org, django_assert_num_queries, params
):
    def add(count):
        for _ in range(count):
            service = ServiceFactory(
                provider=provider_org, topics=[Topic.objects.get(slug="falls")]
            )
            ServiceAtLocationFactory(service=service)

    add(1)
    client.force_login(frontline)
    client.get(SEARCH, params)  # the first request of a session does one-off work
    with CaptureQueriesContext(connection) as one:
        client.get(SEARCH, params)
    add(49)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(SEARCH, params)


# --- Service pages --------------------------------------------------------------------------


def test_service_page_shows_the_listing_and_a_report_link(client, frontline, listing):
    client.force_login(frontline)
    content = client.get(detail_url(listing)).content.decode()
    assert "Wood Green befriending" in content
    assert "Aged 50 and over" in content
    assert "Monday, Wednesday: 9am to 5pm" in content
    assert "Report a problem with this listing" in content
    assert "Edit this listing" not in content


def test_listings_unverified_for_six_months_are_flagged(client, frontline, listing):
    listing.last_verified_on = timezone.localdate() - datetime.timedelta(days=200)
    listing.save()
    client.force_login(frontline)
    assert "This listing may be out of date" in client.get(detail_url(listing)).content.decode()
    listing.last_verified_on = timezone.localdate()
    listing.save()
    assert "This listing may be out of date" not in client.get(detail_url(listing)).content.decode()


def test_public_page_needs_no_sign_in_and_shows_only_public_information(client, listing):
    listing.contacts.create(name="Jo Private", title="Coordinator")
    response = client.get(detail_url(listing, "service_public"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Wood Green befriending" in content
    assert "Jo Private" not in content
    assert "Report a problem" not in content
    assert "Last checked" not in content


def test_public_page_of_a_closed_service_is_not_found(client, listing):
    listing.status = Service.Status.DEFUNCT
    listing.save()
    assert client.get(detail_url(listing, "service_public")).status_code == 404


# --- Editing and verifying ------------------------------------------------------------------


def _edit_data(service, **changes):
    data = {
        "name": service.name,
        "description": "Weekly calls and visits from a friendly volunteer.",
        "status": "active",
        "referral_route": "professional_referral",
        "topics": [t.pk for t in service.topics.all()],
        "areas_served": [a.pk for a in service.areas_served.all()],
        "email": "",
        "url": "",
        "alert": "",
        "minimum_age": "50",
        "maximum_age": "",
        "eligibility_description": "",
        "is_free": "on",
        "fees_description": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["owner", "colleague"])
def test_providers_users_can_edit_their_listing_and_it_is_audited(client, request, listing, who):
    user = request.getfixturevalue(who)
    listing.last_verified_on = None
    listing.save()
    client.force_login(user)
    assert "Edit this listing" in client.get(detail_url(listing)).content.decode()
    response = client.post(detail_url(listing, "service_edit"), _edit_data(listing))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.description == "Weekly calls and visits from a friendly volunteer."
    assert listing.last_verified_on == timezone.localdate()
    event = AuditEvent.objects.get(action="directory.listing_updated")
    assert event.actor == user
    assert event.details["fields"] == ["description"]


def test_another_providers_user_cannot_see_the_edit_page(client, outsider, listing):
    client.force_login(outsider)
    assert client.get(detail_url(listing, "service_edit")).status_code == 404
    assert client.post(detail_url(listing, "service_edit"), _edit_data(listing)).status_code == 404
    assert client.post(detail_url(listing, "service_verify")).status_code == 404


def test_frontline_workers_cannot_edit_listings(client, frontline, listing):
    client.force_login(frontline)
    assert client.get(detail_url(listing, "service_edit")).status_code == 403


def test_administrators_can_edit_any_listing(client, make_user, partnership, listing):
    client.force_login(make_user(Role.ADMINISTRATOR, partnership, with_mfa=True))
    response = client.post(detail_url(listing, "service_edit"), _edit_data(listing, name="Renamed"))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.name == "Renamed"


def test_edit_errors_are_shown_and_nothing_is_saved(client, owner, listing):
    client.force_login(owner)
    response = client.post(
        detail_url(listing, "service_edit"),
        _edit_data(listing, name="", minimum_age="70", maximum_age="60"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter the service name" in content
    assert "Oldest age must be the same as or more than youngest age" in content
    listing.refresh_from_db()
    assert listing.name == "Wood Green befriending"
    assert not AuditEvent.objects.filter(action="directory.listing_updated").exists()


def test_provider_confirms_the_listing_is_still_correct(client, owner, listing):
    listing.last_verified_on = timezone.localdate() - datetime.timedelta(days=300)
    listing.save()
    client.force_login(owner)
    response = client.post(detail_url(listing, "service_verify"))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.last_verified_on == timezone.localdate()
    assert listing.last_verified_by == owner
    assert AuditEvent.objects.filter(action="directory.listing_verified", actor=owner).exists()


def test_your_listings_shows_only_your_organisations_listings(
    client, owner, outsider, listing, camden_trust, django_assert_num_queries
):
    ServiceFactory(name="Camden service", provider=camden_trust)
    client.force_login(owner)
    url = reverse("referrals:my_listings")
    content = client.get(url).content.decode()  # also the session's one-off first request
    assert "Wood Green befriending" in content
    assert "Camden service" not in content
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    ServiceFactory.create_batch(49, provider=listing.provider)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_your_listings_needs_the_provider_role(client, frontline):
    client.force_login(frontline)
    assert client.get(reverse("referrals:my_listings")).status_code == 403


# --- Problem reports ------------------------------------------------------------------------


def test_anyone_signed_in_can_report_a_problem_and_the_provider_is_emailed(
    client, frontline, owner, colleague, listing, django_capture_on_commit_callbacks
):
    client.force_login(frontline)
    url = detail_url(listing, "service_report_problem")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "hours", "details": "Closed on Wednesdays now."})
    assert response.status_code == 302
    report = ListingProblemReport.objects.get()
    assert (report.service, report.reported_by, report.kind) == (listing, frontline, "hours")
    message = OutboxMessage.objects.get(idempotency_key=f"directory.problem_report:{report.pk}")
    assert sorted(message.recipients) == ["colleague@wgva.example", "owner@wgva.example"]
    assert "Closed on Wednesdays now." in message.body_text
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="directory.problem_reported").exists()


def test_a_problem_report_needs_what_is_wrong(client, frontline, listing):
    client.force_login(frontline)
    response = client.post(detail_url(listing, "service_report_problem"), {"details": ""})
    content = response.content.decode()
    assert "Select what is wrong with this listing" in content
    assert "Tell us what is wrong" in content
    assert not ListingProblemReport.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_providers_home_page_links_to_their_listings(client, owner):
    client.force_login(owner)
    content = client.get("/").content.decode()
    assert f'href="{reverse("referrals:my_listings")}"' in content
    assert "Your service listings" in content


@pytest.mark.parametrize(
    "path",
    [
        "/admin/referrals/service/",
        "/admin/referrals/service/add/",
        "/admin/referrals/topic/",
        "/admin/referrals/topic/add/",
        "/admin/referrals/listingproblemreport/",
    ],
)
def test_administrators_manage_services_and_topics_in_the_admin(
    client, make_user, partnership, listing, path
):
    client.force_login(make_user(Role.ADMINISTRATOR, partnership, with_mfa=True))
    assert client.get(path).status_code == 200
    change = reverse("admin:referrals_service_change", args=[listing.pk])
    assert client.get(change).status_code == 200
