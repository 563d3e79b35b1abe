"""Writes for the sections of a listing: places, opening hours, phone numbers and contacts.

Each function replaces one section with the rows given (records with an id are updated, rows
without one are added, the rest removed) in one transaction with an audit row, and marks the
listing as checked today, as editing its main details does.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from core.services import audit_record
from referrals.models import Contact, Location, Phone, Schedule, Service, ServiceAtLocation


@dataclass(frozen=True)
class LocationEntry:
    record: UUID | None
    name: str
    address_1: str
    city: str
    postcode: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ScheduleEntry:
    record: UUID | None
    byday: str
    opens_at: datetime.time
    closes_at: datetime.time
    description: str


@dataclass(frozen=True)
class PhoneEntry:
    record: UUID | None
    number: str
    description: str


@dataclass(frozen=True)
class ContactEntry:
    record: UUID | None
    name: str
    title: str
    email: str


class StaleSectionError(Exception):
    """A row refers to a record that is no longer part of this listing."""


def _verified(service: Service, actor: Any) -> None:
    service.last_verified_on = timezone.localdate()
    service.last_verified_by = actor
    service.save(update_fields=["last_verified_on", "last_verified_by", "updated_at"])


def _assign(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _lookup(rows: dict[UUID, Any], record: UUID | None) -> Any:
    if record is None:
        return None
    if record not in rows:
        raise StaleSectionError(str(record))
    return rows[record]


@transaction.atomic
def service_locations_update(
    *,
    service: Service,
    actor: Any,
    entries: list[LocationEntry],
    request: HttpRequest | None = None,
) -> Service:
    """Replace the places a service is delivered from.

    A place shared with another service is not changed under that service: this listing gets
    its own copy instead. A place no service uses any more is deleted.
    """
    links = {
        at.location.uuid: at
        for at in ServiceAtLocation.objects.select_for_update()
        .filter(service=service)
        .select_related("location")
    }
    kept: set[UUID] = set()
    counts = {"added": 0, "changed": 0, "removed": 0}
    for entry in entries:
        values = {
            "name": entry.name,
            "address_1": entry.address_1,
            "city": entry.city,
            "postcode": entry.postcode,
            "latitude": entry.latitude,
            "longitude": entry.longitude,
        }
        at = _lookup(links, entry.record)
        if at is None:
            location = Location.objects.create(**values)
            ServiceAtLocation.objects.create(service=service, location=location)
            counts["added"] += 1
            continue
        kept.add(at.location.uuid)
        location = at.location
        if not _assign(location, values):
            continue
        if location.services_here.exclude(service=service).exists():
            copy = Location.objects.create(
                location_type=location.location_type,
                description=location.description,
                state_province=location.state_province,
                country=location.country,
                **values,
            )
            at.location = copy
            at.save(update_fields=["location", "updated_at"])
        else:
            location.save()
        counts["changed"] += 1
    for record, at in links.items():
        if record in kept:
            continue
        location = at.location
        at.delete()
        if not location.services_here.exists():
            location.delete()
        counts["removed"] += 1
    _verified(service, actor)
    audit_record(
        actor=actor,
        action="directory.listing_locations_updated",
        target=service,
        request=request,
        details=counts,
    )
    return service


@transaction.atomic
def service_schedules_update(
    *,
    service: Service,
    actor: Any,
    entries: list[ScheduleEntry],
    request: HttpRequest | None = None,
) -> Service:
    """Replace a service's weekly opening hours."""
    rows = {row.uuid: row for row in Schedule.objects.select_for_update().filter(service=service)}
    kept: set[UUID] = set()
    counts = {"added": 0, "changed": 0, "removed": 0}
    for entry in entries:
        values = {
            "freq": "WEEKLY",
            "byday": entry.byday,
            "opens_at": entry.opens_at,
            "closes_at": entry.closes_at,
            "description": entry.description,
        }
        row = _lookup(rows, entry.record)
        if row is None:
            Schedule.objects.create(service=service, **values)
            counts["added"] += 1
            continue
        kept.add(row.uuid)
        if _assign(row, values):
            row.save()
            counts["changed"] += 1
    removed = [row.pk for uuid, row in rows.items() if uuid not in kept]
    Schedule.objects.filter(pk__in=removed).delete()
    counts["removed"] = len(removed)
    _verified(service, actor)
    audit_record(
        actor=actor,
        action="directory.listing_hours_updated",
        target=service,
        request=request,
        details=counts,
    )
    return service


@transaction.atomic
def service_contacts_update(
    *,
    service: Service,
    actor: Any,
    phones: list[PhoneEntry],
    contacts: list[ContactEntry],
    request: HttpRequest | None = None,
) -> Service:
    """Replace a service's own phone numbers and its named contacts."""
    counts = {
        "phones": {"added": 0, "changed": 0, "removed": 0},
        "contacts": {"added": 0, "changed": 0, "removed": 0},
    }
    phone_rows = {
        row.uuid: row
        for row in Phone.objects.select_for_update().filter(service=service, contact__isnull=True)
    }
    kept: set[UUID] = set()
    for phone in phones:
        values: dict[str, Any] = {"number": phone.number, "description": phone.description}
        row = _lookup(phone_rows, phone.record)
        if row is None:
            Phone.objects.create(service=service, **values)
            counts["phones"]["added"] += 1
            continue
        kept.add(row.uuid)
        if _assign(row, values):
            row.save()
            counts["phones"]["changed"] += 1
    gone = [row.pk for uuid, row in phone_rows.items() if uuid not in kept]
    Phone.objects.filter(pk__in=gone).delete()
    counts["phones"]["removed"] = len(gone)

    contact_rows = {
        row.uuid: row for row in Contact.objects.select_for_update().filter(service=service)
    }
    kept = set()
    for contact in contacts:
        values = {"name": contact.name, "title": contact.title, "email": contact.email}
        row = _lookup(contact_rows, contact.record)
        if row is None:
            Contact.objects.create(service=service, **values)
            counts["contacts"]["added"] += 1
            continue
        kept.add(row.uuid)
        if _assign(row, values):
            row.save()
            counts["contacts"]["changed"] += 1
    gone = [row.pk for uuid, row in contact_rows.items() if uuid not in kept]
    Contact.objects.filter(pk__in=gone).delete()
    counts["contacts"]["removed"] = len(gone)
    _verified(service, actor)
    audit_record(
        actor=actor,
        action="directory.listing_contacts_updated",
        target=service,
        request=request,
        details=counts,
    )
    return service
