"""Editing a listing's places, opening hours, phone numbers and contacts in the portal."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from referrals.models import Contact, Location, Phone, Schedule, ServiceAtLocation, Topic
from tests.factories import OrganisationFactory
from tests.referrals.factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mecc_topics")]


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
def administrator(make_user, partnership):
    return make_user(Role.ADMINISTRATOR, partnership, with_mfa=True)


@pytest.fixture
def listing(provider_org, haringey):
    service = ServiceFactory(
        name="Wood Green befriending",
        provider=provider_org,
        topics=[Topic.objects.get(slug="loneliness")],
        areas_served=[haringey],
        last_verified_on=None,
    )
    ServiceAtLocationFactory(
        service=service, location=LocationFactory(name="Wood Green Library", postcode="N22 6XD")
    )
    ScheduleFactory(service=service, byday="MO,WE")
    Phone.objects.create(service=service, number="020 7946 0001", description="Main number")
    Contact.objects.create(service=service, title="Referrals coordinator")
    return service


def url(service, name):
    return reverse(f"referrals:{name}", args=[service.uuid])


def _rows(prefix, rows, extra):
    """POST data for a section formset: existing rows then the blank 'add' row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + 1),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate([*rows, extra]):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def _place(listing, **changes):
    location = listing.at_locations.get().location
    row = {
        "record": str(location.uuid),
        "name": location.name,
        "address_1": location.address_1,
        "city": location.city,
        "postcode": location.postcode,
    }
    return {**row, **changes}


def _hours(listing, **changes):
    schedule = listing.schedules.get()
    row = {
        "record": str(schedule.uuid),
        "days": ["MO", "WE"],
        "opens_at": "09:00",
        "closes_at": "17:00",
        "description": "",
    }
    return {**row, **changes}


def _contacts_data(listing, *, phone=None, contact=None, new_phone=None, new_contact=None):
    existing_phone = listing.phones.get()
    existing_contact = listing.contacts.get()
    phone_row = {
        "record": str(existing_phone.uuid),
        "number": existing_phone.number,
        "description": existing_phone.description,
        **(phone or {}),
    }
    contact_row = {
        "record": str(existing_contact.uuid),
        "name": "",
        "title": existing_contact.title,
        "email": "",
        **(contact or {}),
    }
    return {
        **_rows("phones", [phone_row], new_phone or {}),
        **_rows("contacts", [contact_row], new_contact or {}),
    }


# --- Who can edit ---------------------------------------------------------------------------

SECTIONS = ["service_locations_edit", "service_hours_edit", "service_contacts_edit"]


@pytest.mark.parametrize("name", SECTIONS)
@pytest.mark.parametrize("who", ["owner", "colleague", "administrator"])
def test_the_provider_and_administrators_can_open_each_section(client, request, listing, who, name):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(listing, name))
    assert response.status_code == 200
    assert "MECC Portal</title>" in response.content.decode()


@pytest.mark.parametrize("name", SECTIONS)
def test_another_providers_user_gets_a_404_and_changes_nothing(client, outsider, listing, name):
    client.force_login(outsider)
    assert client.get(url(listing, name)).status_code == 404
    data = _rows("places", [_place(listing, name="Hijacked")], {})
    assert client.post(url(listing, name), data).status_code == 404
    assert not Location.objects.filter(name="Hijacked").exists()


@pytest.mark.parametrize("name", SECTIONS)
def test_frontline_workers_are_refused(client, make_user, camden_trust, listing, name):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(url(listing, name)).status_code == 403


def test_the_listing_page_links_its_provider_to_each_section(client, owner, outsider, listing):
    client.force_login(owner)
    content = client.get(url(listing, "service_detail")).content.decode()
    for name in SECTIONS:
        assert url(listing, name) in content
    client.force_login(outsider)
    content = client.get(url(listing, "service_detail")).content.decode()
    assert url(listing, "service_hours_edit") not in content


# --- Places ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "colleague", "administrator"])
def test_changing_a_place_moves_it_to_the_new_postcodes_district(client, request, listing, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    data = _rows(
        "places",
        [_place(listing, name="Camden Centre", postcode="nw1 2ab")],
        {"name": "Tottenham Hub", "address_1": "", "city": "London", "postcode": "N17 9LT"},
    )
    response = client.post(url(listing, "service_locations_edit"), data)
    assert response.status_code == 302
    places = {at.location.name: at.location for at in listing.at_locations.all()}
    assert set(places) == {"Camden Centre", "Tottenham Hub"}
    assert places["Camden Centre"].postcode == "NW1 2AB"
    assert places["Camden Centre"].latitude == pytest.approx(51.533313)
    assert places["Tottenham Hub"].longitude == pytest.approx(-0.070642)
    listing.refresh_from_db()
    assert listing.last_verified_on == timezone.localdate()
    event = AuditEvent.objects.get(action="directory.listing_locations_updated")
    assert event.actor == user
    assert event.details == {"added": 1, "changed": 1, "removed": 0}


def test_removing_a_place_deletes_it_when_no_other_service_uses_it(client, owner, listing):
    client.force_login(owner)
    location = listing.at_locations.get().location
    data = _rows("places", [_place(listing, remove="on", postcode="")], {})
    assert client.post(url(listing, "service_locations_edit"), data).status_code == 302
    assert not listing.at_locations.exists()
    assert not Location.objects.filter(pk=location.pk).exists()


def test_changing_a_shared_place_leaves_the_other_service_alone(
    client, owner, listing, camden_trust
):
    shared = listing.at_locations.get().location
    other = ServiceFactory(provider=camden_trust)
    ServiceAtLocationFactory(service=other, location=shared)
    client.force_login(owner)
    data = _rows("places", [_place(listing, name="Our own room")], {})
    assert client.post(url(listing, "service_locations_edit"), data).status_code == 302
    shared.refresh_from_db()
    assert shared.name == "Wood Green Library"
    assert other.at_locations.get().location == shared
    assert listing.at_locations.get().location.name == "Our own room"


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("not a postcode", "Enter a real postcode, like N17 9LT"),
        ("N17", "Enter a real postcode, like N17 9LT"),
        ("ZE1 0AA", "We do not have a location for ZE1"),
        ("", "Enter the postcode of the place"),
    ],
)
def test_a_bad_postcode_is_explained_and_nothing_is_saved(
    client, owner, listing, postcode, message
):
    client.force_login(owner)
    data = _rows(
        "places",
        [_place(listing, name="Renamed")],
        {"name": "New place", "postcode": postcode},
    )
    response = client.post(url(listing, "service_locations_edit"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "nhsuk-error-summary" in content
    assert message in content
    assert "<title>Error: " in content
    assert listing.at_locations.get().location.name == "Wood Green Library"
    assert not AuditEvent.objects.filter(action="directory.listing_locations_updated").exists()


def test_a_row_that_no_longer_matches_the_listing_saves_nothing(client, owner, listing):
    client.force_login(owner)
    stranger: Location = LocationFactory(name="Elsewhere")
    data = _rows("places", [_place(listing, record=str(stranger.uuid), name="Taken")], {})
    response = client.post(url(listing, "service_locations_edit"), data)
    assert response.status_code == 200
    assert "Someone else changed this part of the listing" in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.name == "Elsewhere"
    assert listing.at_locations.get().location.name == "Wood Green Library"


# --- Opening hours --------------------------------------------------------------------------


def test_opening_hours_are_changed_added_and_removed(client, owner, listing):
    client.force_login(owner)
    data = _rows(
        "hours",
        [_hours(listing, days=["FR", "TU"], opens_at="10:00", closes_at="14:30")],
        {"days": ["SA"], "opens_at": "09:00", "closes_at": "12:00", "description": "Drop-in"},
    )
    assert client.post(url(listing, "service_hours_edit"), data).status_code == 302
    rows = list(Schedule.objects.filter(service=listing).order_by("id"))
    assert [(r.byday, r.opens_at, r.closes_at) for r in rows] == [
        ("TU,FR", datetime.time(10), datetime.time(14, 30)),
        ("SA", datetime.time(9), datetime.time(12)),
    ]
    assert rows[1].description == "Drop-in"
    event = AuditEvent.objects.get(action="directory.listing_hours_updated")
    assert event.details == {"added": 1, "changed": 1, "removed": 0}

    data = _rows(
        "hours",
        [
            {"record": str(rows[0].uuid), "remove": "on"},
            {
                "record": str(rows[1].uuid),
                "days": ["SA"],
                "opens_at": "09:00",
                "closes_at": "12:00",
                "description": "Drop-in",
            },
        ],
        {},
    )
    assert client.post(url(listing, "service_hours_edit"), data).status_code == 302
    assert list(Schedule.objects.filter(service=listing).values_list("byday", flat=True)) == ["SA"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"opens_at": "17:00", "closes_at": "09:00"}, "The closing time must be later"),
        ({"opens_at": "12:00", "closes_at": "12:00"}, "The closing time must be later"),
        ({"days": []}, "Select the days these hours apply to"),
        ({"opens_at": "9am-ish"}, "Enter the time it opens like 09:30"),
    ],
)
def test_bad_opening_hours_are_explained_and_nothing_is_saved(
    client, owner, listing, changes, message
):
    client.force_login(owner)
    # A valid new row alongside the bad one: it must not be saved either.
    data = _rows(
        "hours",
        [_hours(listing, **changes)],
        {"days": ["SA"], "opens_at": "09:00", "closes_at": "12:00"},
    )
    response = client.post(url(listing, "service_hours_edit"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "nhsuk-error-summary" in content
    assert message in content
    assert list(Schedule.objects.filter(service=listing).values_list("byday", flat=True)) == [
        "MO,WE"
    ]
    listing.refresh_from_db()
    assert listing.last_verified_on is None


# --- Phone numbers and contacts -------------------------------------------------------------


def test_phone_numbers_and_contacts_are_saved_together(client, owner, listing):
    client.force_login(owner)
    data = _contacts_data(
        listing,
        phone={"number": "020 7946 0999"},
        contact={"remove": "on"},
        new_phone={"number": "07700 900123", "description": "Text messages"},
        new_contact={"name": "Asha Patel", "title": "Manager", "email": "asha@wgva.example"},
    )
    assert client.post(url(listing, "service_contacts_edit"), data).status_code == 302
    assert list(listing.phones.order_by("id").values_list("number", "description")) == [
        ("020 7946 0999", "Main number"),
        ("07700 900123", "Text messages"),
    ]
    assert list(listing.contacts.values_list("name", "title", "email")) == [
        ("Asha Patel", "Manager", "asha@wgva.example")
    ]
    event = AuditEvent.objects.get(action="directory.listing_contacts_updated")
    assert event.details["phones"] == {"added": 1, "changed": 1, "removed": 0}
    assert event.details["contacts"] == {"added": 1, "changed": 0, "removed": 1}


def test_an_error_in_contacts_saves_no_phone_numbers_either(client, owner, listing):
    client.force_login(owner)
    data = _contacts_data(
        listing,
        phone={"number": "020 7946 0999"},
        new_contact={"email": "not-an-email"},
    )
    response = client.post(url(listing, "service_contacts_edit"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter an email address like name@example.org" in content
    assert "Enter the contact&#x27;s name or job title" in content
    assert list(listing.phones.values_list("number", flat=True)) == ["020 7946 0001"]
    assert not AuditEvent.objects.filter(action="directory.listing_contacts_updated").exists()


def test_a_phone_number_must_look_like_one(client, owner, listing):
    client.force_login(owner)
    data = _contacts_data(listing, phone={"number": "call us"})
    response = client.post(url(listing, "service_contacts_edit"), data)
    assert response.status_code == 200
    assert "Enter a phone number, like 020 7946 0000" in response.content.decode()
    assert list(listing.phones.values_list("number", flat=True)) == ["020 7946 0001"]


# --- The Open Referral UK API shows the edits -----------------------------------------------


def test_the_open_referral_api_reflects_section_edits(client, owner, listing):
    client.force_login(owner)
    client.post(
        url(listing, "service_locations_edit"),
        _rows("places", [_place(listing, name="Tottenham Hub", postcode="N17 9LT")], {}),
    )
    client.post(
        url(listing, "service_hours_edit"),
        _rows("hours", [_hours(listing, days=["TH"], opens_at="13:00")], {}),
    )
    client.post(
        url(listing, "service_contacts_edit"),
        _contacts_data(listing, phone={"number": "020 7946 0555"}),
    )
    client.logout()
    response = client.get(reverse("openreferral:service", args=[listing.uuid]))
    assert response.status_code == 200
    body = response.json()
    [at] = body["service_at_locations"]
    assert at["location"]["name"] == "Tottenham Hub"
    assert at["location"]["latitude"] == pytest.approx(51.595864)
    assert at["location"]["addresses"][0]["postal_code"] == "N17 9LT"
    [schedule] = body["schedules"]
    assert schedule["byday"] == "TH"
    assert schedule["opens_at"].startswith("13:00")
    assert [phone["number"] for phone in body["phones"]] == ["020 7946 0555"]
    assert ServiceAtLocation.objects.filter(service=listing).count() == 1
