"""Listing upkeep, one small page per section: places, opening hours, phone numbers and contacts.

Each page is a formset with a blank row to add one more and a "remove" box on each row, so it
works on a phone and without JavaScript. Only the listing's provider (MANAGE_LISTINGS in
scope) and administrators reach them; anyone else gets a 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.access import Permission
from accounts.decorators import permission_required
from referrals.forms import directory_sections as forms
from referrals.models import Contact, Phone, Schedule, Service, ServiceAtLocation
from referrals.services import directory_sections as services
from referrals.views.directory import _managed_service_or_404

STALE_MESSAGE = "Someone else changed this part of the listing: check it and save again"


def _saved(request: HttpRequest, service: Service, what: str) -> HttpResponse:
    messages.success(request, f"The {what} for this listing have been updated")
    return redirect("referrals:service_detail", service_uuid=service.uuid)


def _page(request: HttpRequest, template: str, service: Service, **context: Any) -> HttpResponse:
    return render(request, f"referrals/directory/{template}", {"service": service, **context})


def _stale(request: HttpRequest, service: Service, view_name: str) -> HttpResponse:
    messages.error(request, STALE_MESSAGE)
    return redirect(f"referrals:{view_name}", service_uuid=service.uuid)


@permission_required(Permission.MANAGE_LISTINGS)
def service_locations_edit(request: HttpRequest, service_uuid: UUID) -> HttpResponse:
    service = _managed_service_or_404(request, service_uuid)
    links = ServiceAtLocation.objects.filter(service=service).select_related("location")
    initial = [
        {
            "record": at.location.uuid,
            "name": at.location.name,
            "address_1": at.location.address_1,
            "city": at.location.city,
            "postcode": at.location.postcode,
        }
        for at in links
    ]
    formset = forms.location_formset(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        try:
            services.service_locations_update(
                service=service, actor=request.user, entries=formset.entries(), request=request
            )
        except services.StaleSectionError:
            return _stale(request, service, "service_locations_edit")
        return _saved(request, service, "places")
    return _page(request, "service_locations.html", service, formset=formset)


@permission_required(Permission.MANAGE_LISTINGS)
def service_hours_edit(request: HttpRequest, service_uuid: UUID) -> HttpResponse:
    service = _managed_service_or_404(request, service_uuid)
    initial = [
        {
            "record": row.uuid,
            "days": [day for day in row.byday.split(",") if day],
            "opens_at": row.opens_at,
            "closes_at": row.closes_at,
            "description": row.description,
        }
        for row in Schedule.objects.filter(service=service)
    ]
    formset = forms.schedule_formset(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        try:
            services.service_schedules_update(
                service=service, actor=request.user, entries=formset.entries(), request=request
            )
        except services.StaleSectionError:
            return _stale(request, service, "service_hours_edit")
        return _saved(request, service, "opening times")
    return _page(request, "service_hours.html", service, formset=formset)


@permission_required(Permission.MANAGE_LISTINGS)
def service_contacts_edit(request: HttpRequest, service_uuid: UUID) -> HttpResponse:
    service = _managed_service_or_404(request, service_uuid)
    phones = [
        {"record": row.uuid, "number": row.number, "description": row.description}
        for row in Phone.objects.filter(service=service, contact__isnull=True)
    ]
    contacts = [
        {"record": row.uuid, "name": row.name, "title": row.title, "email": row.email}
        for row in Contact.objects.filter(service=service)
    ]
    data = request.POST or None
    phone_formset = forms.phone_formset(data, initial=phones)
    contact_formset = forms.contact_formset(data, initial=contacts)
    if request.method == "POST" and all([phone_formset.is_valid(), contact_formset.is_valid()]):
        try:
            services.service_contacts_update(
                service=service,
                actor=request.user,
                phones=phone_formset.entries(),
                contacts=contact_formset.entries(),
                request=request,
            )
        except services.StaleSectionError:
            return _stale(request, service, "service_contacts_edit")
        return _saved(request, service, "phone numbers and contacts")
    return _page(
        request,
        "service_contacts.html",
        service,
        phone_formset=phone_formset,
        contact_formset=contact_formset,
    )
