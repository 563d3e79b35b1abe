"""Import Open Referral UK 3.0 data: JSON (a service, a page of them, taxonomies) or the CSV
package (a folder or ZIP of the tables). All or nothing: any error imports nothing, and the
report says which row was wrong.

Records keep their Open Referral UK ids as the portal's public ids, so importing the same
file again updates rather than duplicates.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.text import slugify

from accounts.models import Area, Organisation
from core.services import audit_record
from core.uploads import ZipTooLarge, zip_open
from referrals import postcodes
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

MAX_ROWS = 20_000
TABLES = (
    "taxonomies",
    "taxonomy_terms",
    "organizations",
    "services",
    "locations",
    "addresses",
    "service_at_locations",
    "schedules",
    "contacts",
    "phones",
    "cost_options",
    "languages",
    "service_areas",
    "attributes",
)
# CSV file names (as published, singular or plural) for each table.
CSV_FILES = {
    "taxonomies": ("taxonomies.csv", "taxonomy.csv"),
    "taxonomy_terms": ("taxonomy_terms.csv", "taxonomy_term.csv"),
    "organizations": ("organizations.csv", "organization.csv"),
    "services": ("services.csv", "service.csv"),
    "locations": ("locations.csv", "location.csv"),
    "addresses": ("addresses.csv", "address.csv"),
    "service_at_locations": ("service_at_locations.csv", "service_at_location.csv"),
    "schedules": ("schedules.csv", "schedule.csv"),
    "contacts": ("contacts.csv", "contact.csv"),
    "phones": ("phones.csv", "phone.csv"),
    "cost_options": ("cost_options.csv", "cost_option.csv"),
    "languages": ("languages.csv", "language.csv"),
    "service_areas": ("service_areas.csv", "service_area.csv"),
    "attributes": ("attributes.csv", "attribute.csv"),
}
DAY_CODES = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not JSON, not a ZIP, no known tables)."""


@dataclass
class RowError:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        parts = [f"{count} {table.replace('_', ' ')}" for table, count in self.counts.items()]
        return ", ".join(parts) if parts else "nothing"


@dataclass
class Row:
    where: str
    data: dict[str, Any]


Bundle = dict[str, list[Row]]


class _RowInvalid(Exception):
    pass


# --- Reading files into tables ------------------------------------------------------------


def _empty_bundle() -> Bundle:
    return {table: [] for table in TABLES}


def bundle_from_csv(files: Mapping[str, str]) -> tuple[Bundle, list[str]]:
    """Tables from CSV texts keyed by file name; also the names of files left out."""
    bundle = _empty_bundle()
    used: set[str] = set()
    for table, names in CSV_FILES.items():
        for name in names:
            if name not in files:
                continue
            used.add(name)
            reader = csv.DictReader(io.StringIO(files[name].lstrip("\ufeff")))
            for line, record in enumerate(reader, start=2):
                data = {k.strip(): (v or "").strip() for k, v in record.items() if k}
                bundle[table].append(Row(f"{name} line {line}", data))
    ignored = sorted(name for name in files if name.endswith(".csv") and name not in used)
    if not used:
        raise ImportFileError("The package has none of the Open Referral UK tables")
    return bundle, ignored


def _add_service(bundle: Bundle, service: dict[str, Any], where: str) -> None:
    service_id = service.get("id", "")
    bundle["services"].append(Row(where, service))
    organization = service.get("organization")
    if isinstance(organization, dict):
        bundle["organizations"].append(Row(f"{where}.organization", organization))
        service.setdefault("organization_id", organization.get("id", ""))
    nested = (
        ("schedules", "schedules"),
        ("contacts", "contacts"),
        ("cost_options", "cost_options"),
        ("languages", "languages"),
        ("service_areas", "service_areas"),
        ("phones", "phones"),
    )
    for key, table in nested:
        for index, item in enumerate(_items(service.get(key))):
            item.setdefault("service_id", service_id)
            bundle[table].append(Row(f"{where}.{key}[{index}]", item))
            if table == "contacts":
                for p_index, phone in enumerate(_items(item.get("phones"))):
                    phone.setdefault("contact_id", item.get("id", ""))
                    bundle["phones"].append(Row(f"{where}.{key}[{index}].phones[{p_index}]", phone))
    for index, item in enumerate(_items(service.get("service_at_locations"))):
        _add_service_at_location(bundle, item, f"{where}.service_at_locations[{index}]", service_id)
    for index, item in enumerate(_items(service.get("attributes"))):
        item.setdefault("link_id", service_id)
        term = item.get("taxonomy_term")
        if isinstance(term, dict):
            bundle["taxonomy_terms"].append(Row(f"{where}.attributes[{index}].taxonomy_term", term))
            item.setdefault("taxonomy_term_id", term.get("id", ""))
        bundle["attributes"].append(Row(f"{where}.attributes[{index}]", item))


def _add_service_at_location(
    bundle: Bundle, item: dict[str, Any], where: str, service_id: str
) -> None:
    location = item.get("location")
    if isinstance(location, dict):
        bundle["locations"].append(Row(f"{where}.location", location))
        item.setdefault("location_id", location.get("id", ""))
        for index, address in enumerate(_items(location.get("addresses"))):
            address.setdefault("location_id", location.get("id", ""))
            bundle["addresses"].append(Row(f"{where}.location.addresses[{index}]", address))
    item.setdefault("service_id", service_id)
    bundle["service_at_locations"].append(Row(where, item))


def _items(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _kind_of(record: dict[str, Any]) -> str:
    if "location" in record and "service" in record:
        return "service_at_location"
    if "status" in record or "organization" in record or "service_at_locations" in record:
        return "service"
    if "services" in record or "organization_identifiers" in record or "website" in record:
        return "organization"
    if "version" in record or "taxonomy_terms" in record or "uri" in record:
        return "taxonomy"
    return "taxonomy_term"


def bundle_from_json(document: Any, name: str = "file") -> Bundle:
    """Tables from an Open Referral UK JSON document (one record, a list, or a Page)."""
    bundle = _empty_bundle()
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        records, where = document["contents"], f"{name} contents"
    elif isinstance(document, list):
        records, where = document, name
    elif isinstance(document, dict):
        records, where = [document], name
    else:
        raise ImportFileError("The JSON is not an Open Referral UK record or page")
    if len(records) > MAX_ROWS:
        raise ImportFileError(f"The file has more than {MAX_ROWS} records")
    for index, record in enumerate(records):
        label = f"{where}[{index}]" if where != name or len(records) > 1 else name
        if not isinstance(record, dict):
            bundle["services"].append(Row(label, {}))
            continue
        kind = _kind_of(record)
        if kind == "service":
            _add_service(bundle, record, label)
        elif kind == "service_at_location":
            service = record.get("service")
            if isinstance(service, dict):
                _add_service(bundle, service, f"{label}.service")
            _add_service_at_location(
                bundle, record, label, service.get("id", "") if isinstance(service, dict) else ""
            )
        elif kind == "organization":
            bundle["organizations"].append(Row(label, record))
            for s_index, service in enumerate(_items(record.get("services"))):
                service.setdefault("organization_id", record.get("id", ""))
                _add_service(bundle, service, f"{label}.services[{s_index}]")
        elif kind == "taxonomy":
            bundle["taxonomies"].append(Row(label, record))
            for t_index, term in enumerate(_items(record.get("taxonomy_terms"))):
                term.setdefault("taxonomy_id", record.get("id", ""))
                bundle["taxonomy_terms"].append(Row(f"{label}.taxonomy_terms[{t_index}]", term))
        else:
            bundle["taxonomy_terms"].append(Row(label, record))
    return bundle


def read_path(path: Path) -> tuple[Bundle, list[str]]:
    """Tables from a JSON file, a ZIP of CSVs, or a folder of CSVs."""
    if path.is_dir():
        files = {p.name: p.read_text(encoding="utf-8") for p in sorted(path.glob("*.csv"))}
        return bundle_from_csv(files)
    with path.open("rb") as handle:
        return read_bytes(handle.read(), path.name)


def read_bytes(content: bytes, name: str) -> tuple[Bundle, list[str]]:
    if name.lower().endswith(".zip"):
        try:
            archive = zip_open(content)
            files = {
                Path(info.filename).name: archive.read(info).decode("utf-8")
                for info in archive.infolist()
                if info.filename.lower().endswith(".csv") and info.file_size < 5 * 1024 * 1024
            }
        except ZipTooLarge as exc:
            raise ImportFileError(str(exc)) from exc
        except (zipfile.BadZipFile, UnicodeDecodeError, KeyError) as exc:
            raise ImportFileError("The ZIP file cannot be read, or its CSVs are not UTF-8") from exc
        return bundle_from_csv(files)
    try:
        document = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFileError(f"The file is not valid JSON: {exc}") from exc
    return bundle_from_json(document, name), []


# --- Validating and saving ----------------------------------------------------------------


def _uuid(row: Row, key: str = "id", *, required: bool = True) -> UUID | None:
    raw = str(row.data.get(key) or "").strip()
    if not raw:
        if required:
            raise _RowInvalid(f"{key} is missing")
        return None
    try:
        return UUID(raw)
    except ValueError as exc:
        raise _RowInvalid(f"{key} {raw!r} is not a UUID") from exc


def _required_uuid(row: Row, key: str = "id") -> UUID:
    value = _uuid(row, key)
    if value is None:  # pragma: no cover - _uuid raises for a missing required id
        raise _RowInvalid(f"{key} is missing")
    return value


def _text(row: Row, key: str, *, required: bool = False, limit: int = 0) -> str:
    value = row.data.get(key)
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _RowInvalid(f"{key} is missing")
    if limit and len(text) > limit:
        raise _RowInvalid(f"{key} is longer than {limit} characters")
    return text


def _number(row: Row, key: str) -> Decimal | None:
    raw = row.data.get(key)
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise _RowInvalid(f"{key} {raw!r} is not a number") from exc
    if not value.is_finite():
        raise _RowInvalid(f"{key} {raw!r} is not a number")
    return value


def _age(row: Row, key: str) -> int | None:
    value = _number(row, key)
    if value is None:
        return None
    if value < 0 or value > 130 or value != value.to_integral_value():
        raise _RowInvalid(f"{key} {row.data.get(key)!r} is not an age in whole years")
    return int(value)


def _date(row: Row, key: str) -> datetime.date | None:
    raw = _text(row, key)
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError as exc:
        raise _RowInvalid(f"{key} {raw!r} is not a date (YYYY-MM-DD)") from exc


def _time(row: Row, key: str) -> datetime.time | None:
    raw = _text(row, key)
    if not raw:
        return None
    try:
        return datetime.time.fromisoformat(raw[:8])
    except ValueError as exc:
        raise _RowInvalid(f"{key} {raw!r} is not a time (HH:MM:SS)") from exc


class _Importer:
    def __init__(self, bundle: Bundle, *, default_area: Area, report: ImportReport) -> None:
        self.bundle = bundle
        self.area = default_area
        self.report = report
        self.organisations: dict[UUID, Organisation] = {}
        self.services: dict[UUID, Service] = {}
        self.locations: dict[UUID, Location] = {}
        self.sals: dict[UUID, ServiceAtLocation] = {}
        self.contacts: dict[UUID, Contact] = {}
        self.taxonomies: dict[UUID, Taxonomy] = {}
        self.topics: dict[UUID, Topic] = {}
        self.areas = {area.name.lower(): area for area in Area.objects.all()}

    def run(self) -> None:
        steps = (
            ("taxonomies", self.taxonomy),
            ("taxonomy_terms", self.taxonomy_term),
            ("organizations", self.organization),
            ("services", self.service),
            ("locations", self.location),
            ("addresses", self.address),
            ("service_at_locations", self.service_at_location),
            ("schedules", self.schedule),
            ("contacts", self.contact),
            ("phones", self.phone),
            ("cost_options", self.cost_option),
            ("languages", self.language),
            ("service_areas", self.service_area),
            ("attributes", self.attribute),
        )
        for table, handler in steps:
            seen: set[str] = set()
            for row in self.bundle[table]:
                try:
                    key = handler(row)
                except _RowInvalid as exc:
                    self.report.errors.append(RowError(row.where, str(exc)))
                    continue
                if key:
                    seen.add(key)
            if seen:
                self.report.counts[table] = len(seen)

    def _service_of(self, row: Row, key: str = "service_id") -> Service:
        service_id = _required_uuid(row, key)
        service = self.services.get(service_id) or Service.objects.filter(uuid=service_id).first()
        if service is None:
            raise _RowInvalid(f"{key} {service_id} is not a service in the file or the portal")
        return service

    def taxonomy(self, row: Row) -> str:
        uid = _required_uuid(row)
        taxonomy, _ = Taxonomy.objects.update_or_create(
            uuid=uid,
            defaults={
                "name": _text(row, "name", required=True, limit=200),
                "description": _text(row, "description"),
                "uri": _text(row, "uri", limit=200),
                "version": _text(row, "version", limit=50),
            },
        )
        self.taxonomies[uid] = taxonomy
        return str(uid)

    def taxonomy_term(self, row: Row) -> str:
        uid = _required_uuid(row)
        name = _text(row, "name", required=True, limit=100)
        taxonomy_id = _uuid(row, "taxonomy_id", required=False)
        taxonomy = self.taxonomies.get(taxonomy_id) if taxonomy_id else None
        if taxonomy_id and taxonomy is None:
            taxonomy = Taxonomy.objects.filter(uuid=taxonomy_id).first()
        topic = Topic.objects.filter(uuid=uid).first() or Topic.objects.filter(name=name).first()
        if topic is None:
            topic = Topic.objects.create(
                uuid=uid,
                name=name,
                slug=f"{slugify(name)[:40] or 'term'}-{str(uid)[:8]}",
                description=_text(row, "description"),
                term_uri=_text(row, "term_uri", limit=200),
                taxonomy=taxonomy,
                is_active=False,
            )
        elif topic.uuid == uid and taxonomy is not None and topic.taxonomy_id is None:
            topic.taxonomy = taxonomy
            topic.save(update_fields=["taxonomy", "updated_at"])
        self.topics[uid] = topic
        return str(uid)

    def organization(self, row: Row) -> str:
        uid = _required_uuid(row)
        name = _text(row, "name", required=True, limit=200)
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = Organisation.objects.create(
                name=name, kind=Organisation.Kind.OTHER, area=self.area
            )
            self.report.warnings.append(f"{row.where}: added the organisation {name}")
        self.organisations[uid] = organisation
        return str(uid)

    def service(self, row: Row) -> str:
        uid = _required_uuid(row)
        organisation_id = _uuid(row, "organization_id", required=False)
        organisation = self.organisations.get(organisation_id) if organisation_id else None
        existing = Service.objects.filter(uuid=uid).select_related("provider").first()
        if organisation is None:
            if existing is None:
                raise _RowInvalid(
                    "organization_id is missing or not an organization in the file"
                    if organisation_id is None
                    else f"organization_id {organisation_id} is not an organization in the file"
                )
            organisation = existing.provider
        status = _text(row, "status", required=True)
        if status not in Service.Status.values:
            raise _RowInvalid(f"status {status!r} is not one of {', '.join(Service.Status.values)}")
        youngest, oldest = _age(row, "minimum_age"), _age(row, "maximum_age")
        if youngest is not None and oldest is not None and youngest > oldest:
            raise _RowInvalid("minimum_age is more than maximum_age")
        fees = _text(row, "fees")
        defaults = {
            "provider": organisation,
            "name": _text(row, "name", required=True, limit=200),
            "description": _text(row, "description"),
            "status": status,
            "url": _text(row, "url", limit=200),
            "email": _text(row, "email", limit=254),
            "alert": _text(row, "alert")[:300],
            "minimum_age": youngest,
            "maximum_age": oldest,
            "fees_description": fees,
            "is_free": not fees,
            "last_verified_on": _date(row, "assured_date"),
        }
        if uid in self.services:
            return str(uid)
        service, _ = Service.objects.update_or_create(uuid=uid, defaults=defaults)
        self.services[uid] = service
        return str(uid)

    def location(self, row: Row) -> str:
        uid = _required_uuid(row)
        kind = _text(row, "location_type") or Location.Kind.PHYSICAL
        if kind not in Location.Kind.values:
            raise _RowInvalid(f"location_type {kind!r} is not physical, postal or virtual")
        latitude, longitude = _number(row, "latitude"), _number(row, "longitude")
        if (
            latitude is not None
            and longitude is not None
            and (abs(latitude) > 90 or abs(longitude) > 180)
        ):
            self.report.warnings.append(
                f"{row.where}: latitude {latitude} and longitude {longitude} are not a place "
                "on Earth, so they were left out"
            )
            latitude = longitude = None
        location, _ = Location.objects.update_or_create(
            uuid=uid,
            defaults={
                "location_type": kind,
                "name": _text(row, "name", limit=200) or "Unnamed location",
                "description": _text(row, "description"),
                "latitude": float(latitude) if latitude is not None else None,
                "longitude": float(longitude) if longitude is not None else None,
            },
        )
        self.locations[uid] = location
        return str(uid)

    def address(self, row: Row) -> str:
        uid = _required_uuid(row)
        location_id = _required_uuid(row, "location_id")
        location = (
            self.locations.get(location_id) or Location.objects.filter(uuid=location_id).first()
        )
        if location is None:
            raise _RowInvalid(f"location_id {location_id} is not a location in the file")
        postcode = _text(row, "postal_code", limit=10)
        parsed = None
        with contextlib.suppress(postcodes.PostcodeError):
            parsed = postcodes.parse(postcode, allow_district=False)
        location.address_uuid = uid
        location.address_1 = _text(row, "address_1", limit=200)
        location.city = _text(row, "city", limit=100)
        location.state_province = _text(row, "state_province", limit=100)
        location.postcode = parsed.text if parsed else postcode
        location.country = (_text(row, "country") or "GB")[:2].upper()
        if parsed and location.latitude is None:
            point = postcodes.try_locate(parsed.text)
            if point is not None:
                location.latitude, location.longitude = point.latitude, point.longitude
        location.save()
        return str(uid)

    def service_at_location(self, row: Row) -> str:
        uid = _required_uuid(row)
        service = self._service_of(row)
        location_id = _required_uuid(row, "location_id")
        location = (
            self.locations.get(location_id) or Location.objects.filter(uuid=location_id).first()
        )
        if location is None:
            raise _RowInvalid(f"location_id {location_id} is not a location in the file")
        sal, _ = ServiceAtLocation.objects.update_or_create(
            uuid=uid, defaults={"service": service, "location": location}
        )
        self.sals[uid] = sal
        return str(uid)

    def schedule(self, row: Row) -> str:
        uid = _required_uuid(row)
        service = self._service_of(row)
        sal_id = _uuid(row, "service_at_location_id", required=False)
        sal = (
            self.sals.get(sal_id) or ServiceAtLocation.objects.filter(uuid=sal_id).first()
            if sal_id
            else None
        )
        byday = _text(row, "byday").upper().replace(" ", "")
        bad = [code for code in byday.split(",") if code and code not in DAY_CODES]
        if bad:
            raise _RowInvalid(f"byday {byday!r} has days that are not MO to SU")
        freq = _text(row, "freq").upper() or "WEEKLY"
        if freq not in ("WEEKLY", "MONTHLY"):
            raise _RowInvalid(f"freq {freq!r} is not WEEKLY or MONTHLY")
        Schedule.objects.update_or_create(
            uuid=uid,
            defaults={
                "service": service,
                "service_at_location": sal,
                "freq": freq,
                "byday": byday[:30],
                "opens_at": _time(row, "opens_at"),
                "closes_at": _time(row, "closes_at"),
                "description": _text(row, "description")[:300],
                "valid_from": _date(row, "valid_from"),
                "valid_to": _date(row, "valid_to"),
            },
        )
        return str(uid)

    def contact(self, row: Row) -> str:
        uid = _required_uuid(row)
        service = self._service_of(row)
        contact, _ = Contact.objects.update_or_create(
            uuid=uid,
            defaults={
                "service": service,
                "name": _text(row, "name", limit=150),
                "title": _text(row, "title", limit=150),
                "email": _text(row, "email", limit=254),
            },
        )
        self.contacts[uid] = contact
        return str(uid)

    def phone(self, row: Row) -> str:
        uid = _required_uuid(row)
        contact_id = _uuid(row, "contact_id", required=False)
        contact = (
            self.contacts.get(contact_id) or Contact.objects.filter(uuid=contact_id).first()
            if contact_id
            else None
        )
        if contact is not None:
            service = contact.service
        elif row.data.get("service_id"):
            service = self._service_of(row)
        else:
            raise _RowInvalid("the phone belongs to no service or contact in the file")
        number = _text(row, "number", required=True).strip("\"' ")
        if len(number) > 30:
            raise _RowInvalid("number is longer than 30 characters")
        Phone.objects.update_or_create(
            uuid=uid,
            defaults={
                "service": service,
                "contact": contact,
                "number": number,
                "description": _text(row, "description")[:200],
            },
        )
        return str(uid)

    def cost_option(self, row: Row) -> str:
        uid = _required_uuid(row)
        service = self._service_of(row)
        amount = _number(row, "amount")
        if amount is not None and (amount < 0 or amount >= Decimal("1000000")):
            raise _RowInvalid(f"amount {amount} is not a price")
        CostOption.objects.update_or_create(
            uuid=uid,
            defaults={
                "service": service,
                "option": _text(row, "option")[:200],
                "amount": amount,
                "amount_description": _text(row, "amount_description")[:200],
                "valid_from": _date(row, "valid_from"),
                "valid_to": _date(row, "valid_to"),
            },
        )
        if amount:
            Service.objects.filter(pk=service.pk).update(is_free=False)
        return str(uid)

    def language(self, row: Row) -> str:
        uid = _required_uuid(row)
        service = self._service_of(row)
        ServiceLanguage.objects.update_or_create(
            uuid=uid,
            defaults={
                "service": service,
                "name": _text(row, "name", limit=100),
                "code": _text(row, "code", limit=10),
            },
        )
        return str(uid)

    def service_area(self, row: Row) -> str:
        uid = _required_uuid(row)
        service = self._service_of(row)
        name = _text(row, "name").lower()
        area = self.areas.get(name)
        if area is None:
            self.report.warnings.append(
                f"{row.where}: the service area is not a borough the portal knows, so it "
                "was left out"
            )
        else:
            service.areas_served.add(area)
        return str(uid)

    def attribute(self, row: Row) -> str:
        uid = _required_uuid(row)
        link_id = _required_uuid(row, "link_id")
        term_id = _required_uuid(row, "taxonomy_term_id")
        service = self.services.get(link_id) or Service.objects.filter(uuid=link_id).first()
        topic = self.topics.get(term_id) or Topic.objects.filter(uuid=term_id).first()
        if topic is None:
            raise _RowInvalid(f"taxonomy_term_id {term_id} is not a taxonomy term in the file")
        if service is None:
            self.report.warnings.append(
                f"{row.where}: link_id {link_id} is not a service, so the term was not linked"
            )
        else:
            service.topics.add(topic)
        return str(uid)


def import_bundle(
    bundle: Bundle,
    *,
    default_area: Area,
    actor: Any = None,
    request: HttpRequest | None = None,
    source: str = "",
    ignored: Iterable[str] = (),
) -> ImportReport:
    """Save the tables in one transaction; any row error rolls all of it back."""
    report = ImportReport()
    report.warnings += [f"{name}: this table is not imported" for name in ignored]
    if sum(len(rows) for rows in bundle.values()) > MAX_ROWS:
        report.errors.append(RowError(source or "file", f"more than {MAX_ROWS} rows"))
        return report
    try:
        with transaction.atomic():
            _Importer(bundle, default_area=default_area, report=report).run()
            if report.errors:
                raise _RollBack
            audit_record(
                actor=actor,
                action="directory.imported",
                request=request,
                details={"source": source[:200], "counts": report.counts},
            )
    except _RollBack:
        report.counts = {}
    except IntegrityError as exc:
        report.errors.append(RowError(source or "file", f"the data conflicts: {exc}"[:300]))
        report.counts = {}
    return report


class _RollBack(Exception):
    pass


def import_path(path: Path, *, default_area: Area, actor: Any = None) -> ImportReport:
    try:
        bundle, ignored = read_path(path)
    except ImportFileError as exc:
        return ImportReport(errors=[RowError(path.name, str(exc))])
    return import_bundle(
        bundle, default_area=default_area, actor=actor, source=path.name, ignored=ignored
    )


def import_upload(
    upload: Any, *, default_area: Area, actor: Any = None, request: HttpRequest | None = None
) -> ImportReport:
    name = str(upload.name or "upload")
    try:
        bundle, ignored = read_bytes(upload.read(), name)
    except ImportFileError as exc:
        return ImportReport(errors=[RowError(name, str(exc))])
    return import_bundle(
        bundle,
        default_area=default_area,
        actor=actor,
        request=request,
        source=name,
        ignored=ignored,
    )
