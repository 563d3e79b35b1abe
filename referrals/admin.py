from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from referrals.models import (
    Contact,
    CostOption,
    ListingProblemReport,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    Taxonomy,
    Topic,
)

# Web addresses typed without a scheme are read as https (Django 6's default).
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin[Taxonomy]):
    formfield_overrides = URL_FIELDS
    list_display = ("name", "version", "uuid")
    search_fields = ("name",)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    formfield_overrides = URL_FIELDS
    list_display = ("name", "snomed_code", "urgent_support_first", "is_active", "display_order")
    list_filter = ("urgent_support_first", "is_active", "taxonomy")
    search_fields = ("name", "slug", "snomed_code")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("taxonomy",)


class ServiceAtLocationInline(admin.TabularInline[ServiceAtLocation, Service]):
    model = ServiceAtLocation
    extra = 0
    autocomplete_fields = ("location",)


class ScheduleInline(admin.TabularInline[Schedule, Service]):
    model = Schedule
    extra = 0
    fields = ("byday", "opens_at", "closes_at", "description")


class ContactInline(admin.TabularInline[Contact, Service]):
    model = Contact
    extra = 0


class PhoneInline(admin.TabularInline[Phone, Service]):
    model = Phone
    extra = 0
    fields = ("number", "description", "contact")


class CostOptionInline(admin.TabularInline[CostOption, Service]):
    model = CostOption
    extra = 0


class LanguageInline(admin.TabularInline[ServiceLanguage, Service]):
    model = ServiceLanguage
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    formfield_overrides = URL_FIELDS
    list_display = ("name", "provider", "status", "referral_route", "last_verified_on")
    list_filter = ("status", "referral_route", "areas_served", "topics")
    search_fields = ("name", "description", "provider__name")
    list_select_related = ("provider",)
    autocomplete_fields = ("provider",)
    filter_horizontal = ("topics", "areas_served")
    readonly_fields = ("uuid", "last_verified_by")
    inlines = [
        ServiceAtLocationInline,
        ScheduleInline,
        ContactInline,
        PhoneInline,
        CostOptionInline,
        LanguageInline,
    ]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin[Location]):
    list_display = ("name", "postcode", "latitude", "longitude")
    search_fields = ("name", "postcode", "address_1")


@admin.register(ListingProblemReport)
class ListingProblemReportAdmin(admin.ModelAdmin[ListingProblemReport]):
    list_display = ("service", "kind", "created_at", "resolved_at")
    list_filter = ("kind",)
    list_select_related = ("service",)
    readonly_fields = ("service", "reported_by", "kind", "details", "created_at")

    # Staff report problems from the listing page; a report made here would have no listing.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
