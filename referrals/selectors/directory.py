"""Reads for the service directory: search, listings, and freshness."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts import access
from accounts.access import Permission
from accounts.models import Area, Role, RoleMembership
from referrals import postcodes
from referrals.models import (
    Contact,
    Location,
    Service,
    ServiceAtLocation,
    Topic,
)
from referrals.postcodes import Point

# A listing nobody has confirmed for this long is flagged and its provider reminded.
STALE_AFTER = datetime.timedelta(days=183)
SEARCH_PAGE_SIZE = 20
LISTED_STATUSES = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)


@dataclass(frozen=True)
class SearchCriteria:
    text: str = ""
    topic: Topic | None = None
    area: Area | None = None
    near: Point | None = None
    within_m: float | None = None


@dataclass(frozen=True)
class ServiceHit:
    service: Service
    distance_m: float | None
    location: Location | None
    is_stale: bool


def topics_active() -> QuerySet[Topic]:
    """Topics offered to people searching the directory or logging a conversation."""
    return Topic.objects.filter(is_active=True)


def boroughs() -> QuerySet[Area]:
    return Area.objects.filter(kind=Area.Kind.BOROUGH)


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """Listings last verified before this date are out of date."""
    return (today or timezone.localdate()) - STALE_AFTER


def service_is_stale(service: Service, today: datetime.date | None = None) -> bool:
    verified = service.last_verified_on or timezone.localdate(service.created_at)
    return verified < stale_before(today)


def _stale_q(today: datetime.date | None = None) -> Q:
    cutoff = stale_before(today)
    return Q(last_verified_on__lt=cutoff) | Q(
        last_verified_on__isnull=True, created_at__date__lt=cutoff
    )


def _with_listing_data(queryset: QuerySet[Service]) -> QuerySet[Service]:
    locations = ServiceAtLocation.objects.select_related("location")
    return queryset.select_related("provider").prefetch_related(
        Prefetch("at_locations", queryset=locations),
        Prefetch("topics", queryset=Topic.objects.all()),
    )


def _urgent_first(queryset: QuerySet[Service]) -> QuerySet[Service]:
    urgent = Service.topics.through.objects.filter(
        service_id=OuterRef("pk"), topic__urgent_support_first=True
    )
    return queryset.annotate(urgent=Exists(urgent))


def _filtered(criteria: SearchCriteria) -> QuerySet[Service]:
    queryset = Service.objects.filter(status__in=LISTED_STATUSES)
    if criteria.text:
        text = criteria.text
        topic_match = Service.topics.through.objects.filter(
            service_id=OuterRef("pk"), topic__name__icontains=text
        )
        queryset = queryset.filter(
            Q(name__icontains=text)
            | Q(description__icontains=text)
            | Q(provider__name__icontains=text)
            | Exists(topic_match)
        )
    if criteria.topic is not None:
        queryset = queryset.filter(
            Exists(
                Service.topics.through.objects.filter(
                    service_id=OuterRef("pk"), topic_id=criteria.topic.pk
                )
            )
        )
    if criteria.area is not None:
        queryset = queryset.filter(
            Exists(
                Service.areas_served.through.objects.filter(
                    service_id=OuterRef("pk"), area_id=criteria.area.pk
                )
            )
        )
    return _urgent_first(queryset)


def _nearest(service: Service, near: Point) -> tuple[float | None, Location | None]:
    best: tuple[float | None, Location | None] = (None, None)
    for at in service.at_locations.all():
        location = at.location
        if location.latitude is None or location.longitude is None:
            continue
        distance = postcodes.distance_m(near, Point(location.latitude, location.longitude))
        if best[0] is None or distance < best[0]:
            best = (distance, location)
    return best


def _first_location(service: Service) -> Location | None:
    at = next(iter(service.at_locations.all()), None)
    return at.location if at is not None else None


def service_search(
    criteria: SearchCriteria, *, page_number: Any = 1, per_page: int = SEARCH_PAGE_SIZE
) -> Page[ServiceHit]:
    """Services matching the criteria: urgent-support first, then nearest (or by name)."""
    today = timezone.localdate()
    queryset = _filtered(criteria)
    if criteria.near is None:
        paginator: Paginator[Any] = Paginator(
            queryset.order_by(F("urgent").desc(), "name", "pk"), per_page
        )
        page = paginator.get_page(page_number)
        services = list(_with_listing_data(queryset.filter(pk__in=[s.pk for s in page])))
        by_pk = {service.pk: service for service in services}
        page.object_list = [
            ServiceHit(by_pk[s.pk], None, _first_location(by_pk[s.pk]), service_is_stale(s, today))
            for s in page
        ]
        return page
    if criteria.within_m is not None:
        min_lat, max_lat, min_lon, max_lon = postcodes.bounding_box(
            criteria.near, criteria.within_m
        )
        in_box = ServiceAtLocation.objects.filter(
            service_id=OuterRef("pk"),
            location__latitude__range=(min_lat, max_lat),
            location__longitude__range=(min_lon, max_lon),
        )
        queryset = queryset.filter(Exists(in_box))
    hits = []
    for service in _with_listing_data(queryset):
        distance, location = _nearest(service, criteria.near)
        if criteria.within_m is not None and (distance is None or distance > criteria.within_m):
            continue
        hits.append(ServiceHit(service, distance, location, service_is_stale(service, today)))
    hits.sort(
        key=lambda hit: (
            not getattr(hit.service, "urgent", False),
            hit.distance_m if hit.distance_m is not None else float("inf"),
            hit.service.name,
        )
    )
    return Paginator(hits, per_page).get_page(page_number)


def service_for_display(*, service_uuid: UUID | str) -> Service | None:
    """One listed service with everything its page shows, or None."""
    contacts = Contact.objects.prefetch_related("phones")
    return (
        _with_listing_data(Service.objects.all())
        .prefetch_related(
            "areas_served",
            "schedules",
            "cost_options",
            "languages",
            "phones",
            Prefetch("contacts", queryset=contacts),
        )
        .filter(uuid=service_uuid)
        .first()
    )


def services_managed_by(user: Any) -> QuerySet[Service]:
    """Listings the user may edit (their provider organisations, or all for administrators)."""
    return access.scope(
        Service.objects.select_related("provider"), user, Permission.MANAGE_LISTINGS, via="provider"
    ).order_by("provider__name", "name")


def can_manage_service(user: Any, service: Service) -> bool:
    return access.can(user, Permission.MANAGE_LISTINGS, service.provider)


def stale_services(today: datetime.date | None = None) -> QuerySet[Service]:
    """Listed services nobody has confirmed for six months, with their providers."""
    return (
        Service.objects.filter(status__in=LISTED_STATUSES)
        .filter(_stale_q(today))
        .select_related("provider")
        .order_by("pk")
    )


def listing_contacts(service: Service) -> list[str]:
    """Who hears about a listing: the provider's service-provider users, else its email."""
    emails = sorted(
        set(
            RoleMembership.objects.filter(
                role=Role.SERVICE_PROVIDER,
                organisation_id=service.provider_id,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )
    if not emails and service.email:
        emails = [service.email]
    return emails
