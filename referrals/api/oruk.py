"""The Open Referral UK 3.0 API at /openreferral/: public, read-only, no key, CORS open.

Every endpoint and filter of the published OpenAPI document (shared/standards/openreferral-uk).
Bad parameters get a 400 with a reason; unknown ids a 404; every response, errors included,
carries `Access-Control-Allow-Origin: *`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import Any, TypeVar

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals import postcodes
from referrals.api import oruk_serializers as to_json
from referrals.models import (
    Contact,
    Service,
    ServiceAtLocation,
    Taxonomy,
    Topic,
)
from referrals.postcodes import Point

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
# The published Open Referral UK 3.0 OpenAPI document this API implements.
OPENAPI_URL = (
    "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/"
    "ecdfabf78944d480d7f580d08b702b08cbec4b09/schema/openapi.json"
)
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
LISTED = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)
DAYS = {
    "MO": "MO", "MONDAY": "MO", "TU": "TU", "TUESDAY": "TU", "WE": "WE", "WEDNESDAY": "WE",
    "TH": "TH", "THURSDAY": "TH", "FR": "FR", "FRIDAY": "FR", "SA": "SA", "SATURDAY": "SA",
    "SU": "SU", "SUNDAY": "SU",
}  # fmt: skip
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$")


R = TypeVar("R", bound=HttpResponseBase)


def _cors(response: R) -> R:
    response["Access-Control-Allow-Origin"] = "*"
    return response


class OpenReferralView(APIView):
    """Public: no authentication (so no CSRF), anyone may read, not in the portal's schema."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    schema = None

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        return _cors(super().finalize_response(request, response, *args, **kwargs))


# --- Query parameters ---------------------------------------------------------------------


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ParseError(f"{name} must be a whole number") from exc
    if not low <= value <= high:
        raise ParseError(f"{name} must be between {low} and {high}")
    return value


def _float(request: Request, name: str) -> float | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError as exc:
        raise ParseError(f"{name} must be a number") from exc
    if not math.isfinite(value):
        raise ParseError(f"{name} must be a number")
    return value


def _time(request: Request, name: str) -> time | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    match = _TIME.match(raw.strip())
    if not match:
        raise ParseError(f"{name} must be a time, like 09:30:00")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 60:
        raise ParseError(f"{name} must be a time, like 09:30:00")
    return time(hour, minute, min(second, 59))


def _uuid_param(request: Request, name: str) -> Any:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    value = to_json.uuid_or_none(raw)
    if value is None:
        raise ParseError(f"{name} must be a UUID")
    return value


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int


def _paging(request: Request) -> Paging:
    return Paging(
        page=_int(request, "page", 1, 1, 1_000_000),
        per_page=_int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    )


def _page(items: Any, total: int, paging: Paging, render: Callable[[Any], Any]) -> Response:
    total_pages = math.ceil(total / paging.per_page) if total else 0
    contents = [render(item) for item in items]
    return Response(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": paging.page,
            "size": len(contents),
            "first_page": paging.page == 1,
            "last_page": paging.page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _slice(queryset: QuerySet[Any], paging: Paging) -> tuple[list[Any], int]:
    total = queryset.count()
    start = (paging.page - 1) * paging.per_page
    return list(queryset[start : start + paging.per_page]) if start < total else [], total


# --- Filters shared by /services and /service_at_locations --------------------------------


def _service_filter(request: Request) -> Q:
    """A Q over Service for search, taxonomy, age and schedule filters."""
    q = Q(status__in=LISTED)
    text = (request.query_params.get("search") or "").strip()
    if text:
        q &= Q(name__icontains=text) | Q(description__icontains=text)
    term_id = _uuid_param(request, "taxonomy_term_id")
    if term_id is not None:
        q &= Q(
            Exists(
                Service.topics.through.objects.filter(
                    service_id=OuterRef("pk"), topic__uuid=term_id
                )
            )
        )
    taxonomy_id = _uuid_param(request, "taxonomy_id")
    if taxonomy_id is not None:
        q &= Q(
            Exists(
                Service.topics.through.objects.filter(
                    service_id=OuterRef("pk"), topic__taxonomy__uuid=taxonomy_id
                )
            )
        )
    minimum_age = _float(request, "minimum_age")
    if minimum_age is not None:
        q &= Q(minimum_age__gte=minimum_age)
    maximum_age = _float(request, "maximum_age")
    if maximum_age is not None:
        q &= Q(maximum_age__lte=maximum_age)
    start, end = _time(request, "start_time"), _time(request, "end_time")
    raw_day = (request.query_params.get("day") or "").strip().upper()
    if raw_day and raw_day not in DAYS:
        raise ParseError("day must be a day of the week, like MO or Monday")
    day = DAYS.get(raw_day)
    if start or end or day:
        schedules = Q(service_id=OuterRef("pk"))
        if start:
            schedules &= Q(opens_at__gte=start)
        if end:
            schedules &= Q(closes_at__lte=end)
        if day:
            schedules &= Q(byday__contains=day)
        from referrals.models import Schedule

        q &= Q(Exists(Schedule.objects.filter(schedules)))
    return q


def _full_services() -> QuerySet[Service]:
    return Service.objects.select_related("provider__area").prefetch_related(
        "schedules__service",
        "areas_served",
        "languages__service",
        "cost_options__service",
        "phones",
        Prefetch(
            "contacts",
            queryset=Contact.objects.select_related("service").prefetch_related("phones"),
        ),
        Prefetch("at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
        Prefetch("topics", queryset=Topic.objects.select_related("taxonomy", "parent")),
    )


# --- Endpoints ----------------------------------------------------------------------------


class ApiRoot(OpenReferralView):
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": HSDS_VERSION,
                "profile": PROFILE_URL,
                "openapi_url": OPENAPI_URL,
            }
        )


class ServiceList(OpenReferralView):
    def get(self, request: Request) -> Response:
        paging = _paging(request)
        queryset = (
            Service.objects.filter(_service_filter(request))
            .select_related("provider__area")
            .order_by("name", "pk")
        )
        items, total = _slice(queryset, paging)
        return _page(items, total, paging, to_json.service_summary)


class ServiceDetail(OpenReferralView):
    def get(self, request: Request, id: str) -> Response:
        service_id = to_json.uuid_or_none(id)
        service = _full_services().filter(uuid=service_id).first() if service_id else None
        if service is None:
            raise NotFound("No service has this id")
        return Response(to_json.service_full(service))


def _near(request: Request) -> tuple[Point | None, float | None]:
    raw = (request.query_params.get("postcode") or "").strip()
    proximity = _float(request, "proximity")
    if proximity is not None and proximity < 0:
        raise ParseError("proximity must be a distance in metres, 0 or more")
    if not raw:
        if proximity is not None:
            raise ParseError("proximity needs a postcode")
        return None, None
    try:
        return postcodes.locate(raw), proximity
    except postcodes.PostcodeError as exc:
        raise ParseError(f"postcode: {exc}") from exc


class ServiceAtLocationList(OpenReferralView):
    def get(self, request: Request) -> Response:
        paging = _paging(request)
        near, proximity = _near(request)
        services = Service.objects.filter(_service_filter(request))
        queryset = ServiceAtLocation.objects.filter(service__in=services).select_related(
            "location", "service__provider__area"
        )
        if near is None:
            items, total = _slice(queryset.order_by("service__name", "pk"), paging)
            return _page(items, total, paging, to_json.service_at_location_summary)
        if proximity is not None:
            min_lat, max_lat, min_lon, max_lon = postcodes.bounding_box(near, proximity)
            queryset = queryset.filter(
                location__latitude__range=(min_lat, max_lat),
                location__longitude__range=(min_lon, max_lon),
            )
        ranked = []
        for sal in queryset:
            latitude, longitude = sal.location.latitude, sal.location.longitude
            if latitude is None or longitude is None:
                continue
            metres = postcodes.distance_m(near, Point(latitude, longitude))
            if proximity is None or metres <= proximity:
                ranked.append((metres, sal.service.name, sal.pk, sal))
        ranked.sort(key=lambda item: item[:3])
        start = (paging.page - 1) * paging.per_page
        window = [item[3] for item in ranked[start : start + paging.per_page]]
        return _page(window, len(ranked), paging, to_json.service_at_location_summary)


class ServiceAtLocationDetail(OpenReferralView):
    def get(self, request: Request, id: str) -> Response:
        sal_id = to_json.uuid_or_none(id)
        sal = (
            ServiceAtLocation.objects.select_related("location", "service")
            .filter(uuid=sal_id)
            .first()
            if sal_id
            else None
        )
        if sal is None:
            raise NotFound("No service_at_location has this id")
        service = _full_services().get(pk=sal.service_id)
        return Response(to_json.service_at_location_full(sal, service))


class TaxonomyList(OpenReferralView):
    def get(self, request: Request) -> Response:
        paging = _paging(request)
        items, total = _slice(Taxonomy.objects.order_by("name", "pk"), paging)
        return _page(items, total, paging, to_json.taxonomy)


class TaxonomyDetail(OpenReferralView):
    def get(self, request: Request, id: str) -> Response:
        taxonomy_id = to_json.uuid_or_none(id)
        taxonomy = Taxonomy.objects.filter(uuid=taxonomy_id).first() if taxonomy_id else None
        if taxonomy is None:
            raise NotFound("No taxonomy has this id")
        terms = list(taxonomy.topics.select_related("taxonomy", "parent"))
        return Response(to_json.taxonomy(taxonomy, terms=terms))


class TaxonomyTermList(OpenReferralView):
    def get(self, request: Request) -> Response:
        paging = _paging(request)
        queryset = Topic.objects.select_related("taxonomy", "parent").order_by("name", "pk")
        items, total = _slice(queryset, paging)
        return _page(items, total, paging, to_json.taxonomy_term)


class TaxonomyTermDetail(OpenReferralView):
    def get(self, request: Request, id: str) -> Response:
        term_id = to_json.uuid_or_none(id)
        topic = (
            Topic.objects.select_related("taxonomy", "parent").filter(uuid=term_id).first()
            if term_id
            else None
        )
        if topic is None:
            raise NotFound("No taxonomy term has this id")
        return Response(to_json.taxonomy_term(topic))


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return _cors(JsonResponse({"detail": "There is no such endpoint"}, status=404))
