from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.models import Contact, CostOption, Phone, Service, ServiceLanguage, Taxonomy, Topic
from tests.referrals.factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TopicFactory,
)
from tests.referrals.oruk_schema import assert_page, assert_valid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mecc_topics")]


@pytest.fixture
def smoking(mecc_topics) -> Topic:
    return Topic.objects.get(slug="smoking")


@pytest.fixture
def full_service(camden, camden_trust, smoking) -> Service:
    service = ServiceFactory(
        name="Camden stop smoking service",
        provider=camden_trust,
        topics=[smoking],
        areas_served=[camden],
        minimum_age=12,
        maximum_age=99,
        email="stop@camden.example",
        url="https://camden.example/stop",
        is_free=False,
        fees_description="£3 a session",
    )
    at = ServiceAtLocationFactory(
        service=service,
        location=LocationFactory(postcode="NW1 7JE", latitude=51.5366, longitude=-0.1397),
    )
    ScheduleFactory(
        service=service, byday="MO,WE", opens_at=datetime.time(9), closes_at=datetime.time(17)
    )
    contact = Contact.objects.create(service=service, name="Sam Lee", title="Adviser")
    Phone.objects.create(service=service, contact=contact, number="020 7946 0001")
    Phone.objects.create(service=service, number="020 7946 0002")
    CostOption.objects.create(service=service, option="Each session", amount=Decimal("3.00"))
    ServiceLanguage.objects.create(service=service, name="Turkish", code="tr")
    service.at = at  # type: ignore[attr-defined]
    return service


def api(client, name, *args, **params):
    return client.get(reverse(f"openreferral:{name}", args=args), params)


def test_root_says_which_version_and_profile(client):
    response = api(client, "root")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("openapi.json")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_service_list_is_a_page_of_valid_services(client, full_service):
    response = api(client, "services")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert_page(body, "compiled/service_list.json")
    assert body["total_items"] == 1
    assert body["contents"][0]["id"] == str(full_service.uuid)
    assert body["contents"][0]["organization"]["name"] == "Camden Trust"


def test_full_service_matches_the_compiled_service_schema(client, full_service):
    response = api(client, "service", str(full_service.uuid))
    assert response.status_code == 200
    body = response.json()
    assert_valid(body, "compiled/service.json")
    assert body["attributes"][0]["taxonomy_term"]["code"] == "710081004"
    assert body["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "NW1 7JE"
    assert body["schedules"][0]["byday"] == "MO,WE"
    assert body["schedules"][0]["opens_at"] == "09:00:00"
    assert body["cost_options"][0]["amount"] == 3
    assert body["contacts"][0]["phones"][0]["number"] == "020 7946 0001"
    assert body["service_areas"][0]["name"] == "Camden"


def test_service_at_location_endpoints_match_their_schemas(client, full_service):
    body = api(client, "service_at_locations").json()
    assert_page(body, "compiled/service_at_location_list.json")
    sal_id = str(full_service.at.uuid)
    detail = api(client, "service_at_location", sal_id).json()
    # The published OpenAPI document gives this endpoint the service schema.
    assert_valid(detail, "compiled/service.json")
    assert_valid(detail, "compiled/service_at_location.json")
    assert detail["id"] == sal_id


def test_taxonomy_endpoints_list_the_mecc_topics(client):
    taxonomies = api(client, "taxonomies").json()
    assert_page(taxonomies, "taxonomy.json")
    taxonomy = Taxonomy.objects.get(name="MECC prevention topics")
    detail = api(client, "taxonomy", str(taxonomy.uuid)).json()
    assert_valid(detail, "taxonomy.json")
    assert {term["name"] for term in detail["taxonomy_terms"]} >= {"Smoking", "Falls"}
    terms = api(client, "taxonomy_terms", per_page=100).json()
    assert_page(terms, "taxonomy_term.json")
    assert terms["total_items"] == Topic.objects.count()
    smoking = Topic.objects.get(slug="smoking")
    term = api(client, "taxonomy_term", str(smoking.uuid)).json()
    assert_valid(term, "taxonomy_term.json")
    assert term["taxonomy_id"] == str(taxonomy.uuid)


@pytest.mark.parametrize("name", ["service", "service_at_location", "taxonomy", "taxonomy_term"])
@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_ids_are_a_404_that_still_allows_any_origin(client, name, bad_id):
    response = api(client, name, bad_id)
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_unknown_paths_are_a_json_404_that_allows_any_origin(client):
    response = client.get("/openreferral/organizations")
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "x"},
        {"per_page": "100000"},
        {"minimum_age": "old"},
        {"maximum_age": "nan"},
        {"start_time": "9 o'clock"},
        {"end_time": "25:00:00"},
        {"day": "Funday"},
        {"taxonomy_term_id": "smoking"},
        {"postcode": "not a postcode"},
        {"postcode": "N1 1XR", "proximity": "near"},
        {"proximity": "1000"},
    ],
)
def test_bad_parameters_are_a_400_with_a_reason(client, params):
    response = client.get(reverse("openreferral:service_at_locations"), params)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["detail"]


def test_pages_report_every_page_field(client, camden_trust):
    ServiceFactory.create_batch(5, provider=camden_trust)
    body = api(client, "services", page=2, per_page=2).json()
    assert {k: v for k, v in body.items() if k != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 2,
        "size": 2,
        "first_page": False,
        "last_page": False,
        "empty": False,
    }
    beyond = api(client, "services", page=9, per_page=2).json()
    assert beyond["empty"] is True and beyond["contents"] == [] and beyond["last_page"] is True


def _ids(response):
    return {item["id"] for item in response.json()["contents"]}


def test_services_filter_by_search_taxonomy_age_and_schedule(client, camden_trust, full_service):
    other = ServiceFactory(
        name="Falls classes", provider=camden_trust, minimum_age=65, topics=[TopicFactory()]
    )
    ScheduleFactory(
        service=other, byday="SA", opens_at=datetime.time(10), closes_at=datetime.time(12)
    )
    mine, theirs = {str(full_service.uuid)}, {str(other.uuid)}
    assert _ids(api(client, "services", search="smoking")) == mine
    assert (
        _ids(api(client, "services", taxonomy_term_id=str(Topic.objects.get(slug="smoking").uuid)))
        == mine
    )
    taxonomy = Taxonomy.objects.get(name="MECC prevention topics")
    assert _ids(api(client, "services", taxonomy_id=str(taxonomy.uuid))) == mine
    assert _ids(api(client, "services", minimum_age=60)) == theirs
    assert _ids(api(client, "services", maximum_age=100)) == mine
    assert _ids(api(client, "services", day="SA")) == theirs
    assert _ids(api(client, "services", day="monday")) == mine
    assert _ids(api(client, "services", start_time="09:30:00")) == theirs
    assert _ids(api(client, "services", end_time="12:00")) == theirs


def test_service_at_locations_filter_by_distance_from_a_postcode(client, camden_trust):
    near = ServiceAtLocationFactory(
        service=ServiceFactory(provider=camden_trust),
        location=LocationFactory(postcode="N22 8HQ", latitude=51.6017, longitude=-0.1141),
    )
    far = ServiceAtLocationFactory(
        service=ServiceFactory(provider=camden_trust),
        location=LocationFactory(postcode="EN5 5RD", latitude=51.6575, longitude=-0.2126),
    )
    within_2km = api(client, "service_at_locations", postcode="N22 6XX", proximity="2000")
    assert _ids(within_2km) == {str(near.uuid)}
    everywhere = api(client, "service_at_locations", postcode="n22 6xx").json()
    assert [item["id"] for item in everywhere["contents"]] == [str(near.uuid), str(far.uuid)]
    assert_page(everywhere, "compiled/service_at_location_list.json")


def test_inactive_services_are_not_published(client, camden_trust):
    ServiceFactory(provider=camden_trust, status=Service.Status.DEFUNCT)
    assert api(client, "services").json()["total_items"] == 0


LIST_CALLS = [
    ("services", {}),
    ("service_at_locations", {}),
    ("service_at_locations", {"postcode": "N1 1XR"}),
    ("taxonomy_terms", {}),
]


def _queries(client, name, params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(f"openreferral:{name}"), params).status_code == 200
    return len(captured.captured_queries)


def test_list_query_counts_do_not_grow_with_rows(client, camden_trust, django_assert_num_queries):
    def add(count):
        for _ in range(count):
            ServiceAtLocationFactory(service=ServiceFactory(provider=camden_trust))

    add(1)
    counts = [_queries(client, name, params) for name, params in LIST_CALLS]
    add(49)
    for (name, params), count in zip(LIST_CALLS, counts, strict=True):
        with django_assert_num_queries(count):
            client.get(reverse(f"openreferral:{name}"), params)


def test_full_service_query_count_does_not_grow_with_related_rows(
    client, full_service, django_assert_num_queries
):
    url = reverse("openreferral:service", args=[full_service.uuid])
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    for _ in range(10):
        ScheduleFactory(service=full_service)
        ServiceAtLocationFactory(service=full_service)
        full_service.topics.add(TopicFactory())
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(url)


def test_api_needs_no_sign_in_or_csrf_and_is_not_in_the_portal_schema(client, full_service):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    assert csrf_client.get(reverse("openreferral:services")).status_code == 200
    schema = client.get(reverse("api-schema")).content.decode()
    assert "openreferral" not in schema
