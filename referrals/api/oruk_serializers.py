"""Open Referral UK 3.0 representations of directory records (plain dicts for JSON).

Optional fields that are blank are left out rather than sent as "" (an empty string is not
a valid `uri` or `email`). Records without a UUID of their own in the portal (organisations,
boroughs served, topic links) get stable name-based UUIDs.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from accounts.models import Area, Organisation
from referrals.models import (
    Contact,
    CostOption,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    Taxonomy,
    Topic,
)

JSON = dict[str, Any]


def _stable_id(*parts: object) -> str:
    return str(uuid5(NAMESPACE_URL, "mecc-portal:" + ":".join(str(part) for part in parts)))


def _compact(data: JSON) -> JSON:
    return {key: value for key, value in data.items() if value not in ("", None)}


def _iso_date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _iso_time(value: datetime.time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def organization_id(organisation: Organisation) -> str:
    return _stable_id("organisation", organisation.pk)


def organization(organisation: Organisation) -> JSON:
    return {
        "id": organization_id(organisation),
        "name": organisation.name,
        "description": f"{organisation.get_kind_display()} in {organisation.area.name}",
    }


def service_summary(service: Service) -> JSON:
    """The one-to-one fields of a service (`service_list`)."""
    return _compact(
        {
            "id": str(service.uuid),
            "organization_id": organization_id(service.provider),
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "fees": "Free"
            if service.is_free
            else (service.fees_description or "There is a charge"),
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": _iso_date(service.last_verified_on),
            "alert": service.alert,
            "last_modified": service.updated_at.isoformat(),
        }
    ) | {"organization": organization(service.provider)}


def location(place: Location, *, full: bool = True) -> JSON:
    data = _compact(
        {
            "id": str(place.uuid),
            "location_type": place.location_type,
            "name": place.name,
            "description": place.description,
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    )
    if full and (place.address_1 or place.postcode):
        data["addresses"] = [
            {
                "id": str(place.address_uuid),
                "location_id": str(place.uuid),
                "address_1": place.address_1,
                "city": place.city,
                "state_province": place.state_province,
                "postal_code": place.postcode,
                "country": place.country,
                "address_type": "postal" if place.location_type == "postal" else "physical",
            }
        ]
    return data


def schedule(item: Schedule) -> JSON:
    return _compact(
        {
            "id": str(item.uuid),
            "service_id": str(item.service.uuid) if item.service_id else None,
            "freq": item.freq if item.freq in ("WEEKLY", "MONTHLY") else None,
            "interval": 1,
            "byday": item.byday,
            "opens_at": _iso_time(item.opens_at),
            "closes_at": _iso_time(item.closes_at),
            "description": item.description,
            "valid_from": _iso_date(item.valid_from),
            "valid_to": _iso_date(item.valid_to),
        }
    )


def taxonomy_term(topic: Topic) -> JSON:
    taxonomy = topic.taxonomy
    return _compact(
        {
            "id": str(topic.uuid),
            "name": topic.name,
            "description": topic.description or topic.name,
            "parent_id": str(topic.parent.uuid) if topic.parent else None,
            "taxonomy": taxonomy.name if taxonomy else None,
            "taxonomy_id": str(taxonomy.uuid) if taxonomy else None,
            "term_uri": topic.term_uri,
            "term": topic.name,
            "code": topic.snomed_code,
        }
    )


def taxonomy(item: Taxonomy, *, terms: list[Topic] | None = None) -> JSON:
    data = _compact(
        {
            "id": str(item.uuid),
            "name": item.name,
            "description": item.description or item.name,
            "uri": item.uri,
            "version": item.version,
        }
    )
    if terms is not None:
        data["taxonomy_terms"] = [taxonomy_term(topic) for topic in terms]
    return data


def _phone(phone: Phone) -> JSON:
    return _compact(
        {"id": str(phone.uuid), "number": phone.number, "description": phone.description}
    )


def _contact(contact: Contact) -> JSON:
    return _compact(
        {
            "id": str(contact.uuid),
            "service_id": str(contact.service.uuid),
            "name": contact.name,
            "title": contact.title,
            "email": contact.email,
        }
    ) | {"phones": [_phone(phone) for phone in contact.phones.all()]}


def _cost_option(option: CostOption) -> JSON:
    return _compact(
        {
            "id": str(option.uuid),
            "service_id": str(option.service.uuid),
            "option": option.option,
            "amount": _number(option.amount),
            "amount_description": option.amount_description,
            "valid_from": _iso_date(option.valid_from),
            "valid_to": _iso_date(option.valid_to),
        }
    )


def _language(language: ServiceLanguage) -> JSON:
    return _compact(
        {
            "id": str(language.uuid),
            "service_id": str(language.service.uuid),
            "name": language.name,
            "code": language.code,
        }
    )


def _service_area(service: Service, area: Area) -> JSON:
    return {
        "id": _stable_id("service-area", service.uuid, area.ons_code),
        "service_id": str(service.uuid),
        "name": area.name,
        "service_area": f"Residents of {area.name}",
        "extent_type": "ons_code",
        "extent": area.ons_code,
    }


def _attribute(service: Service, topic: Topic) -> JSON:
    return {
        "id": _stable_id("attribute", service.uuid, topic.uuid),
        "link_id": str(service.uuid),
        "link_type": "service",
        "taxonomy_term_id": str(topic.uuid),
        "taxonomy_term": taxonomy_term(topic),
    }


def service_at_location_summary(sal: ServiceAtLocation) -> JSON:
    return {
        "id": str(sal.uuid),
        "service_id": str(sal.service.uuid),
        "location_id": str(sal.location.uuid),
        "location": location(sal.location, full=False),
        "service": service_summary(sal.service),
    }


def service_full(service: Service) -> JSON:
    """A fully nested service (`service`), from a service loaded with its relations."""
    data = service_summary(service)
    data.update(
        {
            "schedules": [schedule(item) for item in service.schedules.all()],
            "service_areas": [_service_area(service, area) for area in service.areas_served.all()],
            "service_at_locations": [
                {
                    "id": str(sal.uuid),
                    "service_id": str(service.uuid),
                    "location_id": str(sal.location.uuid),
                    "location": location(sal.location),
                }
                for sal in service.at_locations.all()
            ],
            "languages": [_language(language) for language in service.languages.all()],
            "funding": [],
            "cost_options": [_cost_option(option) for option in service.cost_options.all()],
            "contacts": [_contact(contact) for contact in service.contacts.all()],
            "phones": [_phone(phone) for phone in service.phones.all() if phone.contact_id is None],
            "attributes": [_attribute(service, topic) for topic in service.topics.all()],
        }
    )
    return data


def service_at_location_full(sal: ServiceAtLocation, service: Service) -> JSON:
    """A fully nested service_at_location.

    The published OpenAPI document gives this endpoint the *service* schema (which needs
    `name` and `status`), while the HSDS record is a service_at_location: the response is the
    service_at_location with the service's name, status and description beside it, so it
    satisfies both.
    """
    return {
        "id": str(sal.uuid),
        "service_id": str(service.uuid),
        "location_id": str(sal.location.uuid),
        "name": service.name,
        "description": service.description,
        "status": service.status,
        "location": location(sal.location),
        "service": service_full(service),
    }


def uuid_or_none(raw: str) -> UUID | None:
    try:
        return UUID(str(raw))
    except ValueError:
        return None
