"""Directory pages: search, a service's page (signed in and public), listing upkeep, import."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from accounts.access import Permission
from accounts.decorators import permission_required
from referrals import importers
from referrals.forms.directory import (
    DirectorySearchForm,
    OrukImportForm,
    ProblemReportForm,
    ServiceListingForm,
)
from referrals.models import Service
from referrals.presenters.directory import distance, listing_summary, route_tag
from referrals.selectors import directory as selectors
from referrals.services import directory as services

View = Callable[..., HttpResponse]


def _service_or_404(service_uuid: UUID) -> Service:
    service = selectors.service_for_display(service_uuid=service_uuid)
    if service is None:
        raise Http404("Not found")
    return service


def _managed_service_or_404(request: HttpRequest, service_uuid: UUID) -> Service:
    return access.get_in_scope(
        Service.objects.select_related("provider"),
        request.user,
        Permission.MANAGE_LISTINGS,
        via="provider",
        uuid=service_uuid,
    )


@login_required
@require_GET
def directory_search(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        criteria = selectors.SearchCriteria(
            text=data.get("q") or "",
            topic=data.get("topic"),
            area=data.get("area"),
            near=data.get("near"),
            within_m=data.get("within_m") if data.get("near") else None,
        )
        page = selectors.service_search(criteria, page_number=request.GET.get("page", 1))
    elif not form.is_bound:
        page = selectors.service_search(
            selectors.SearchCriteria(), page_number=request.GET.get("page", 1)
        )
    query = request.GET.copy()
    query.pop("page", None)
    results = [
        {"hit": hit, "distance": distance(hit.distance_m), "route": route_tag(hit.service)}
        for hit in (page.object_list if page is not None else [])
    ]
    context = {"form": form, "page": page, "results": results, "query": query.urlencode()}
    return render(request, "referrals/directory/search.html", context)


@login_required
@require_GET
def service_detail(request: HttpRequest, service_uuid: UUID) -> HttpResponse:
    service = _service_or_404(service_uuid)
    context = {
        "service": service,
        "summary": listing_summary(service),
        "is_stale": selectors.service_is_stale(service),
        "can_manage": selectors.can_manage_service(request.user, service),
    }
    return render(request, "referrals/directory/service_detail.html", context)


@require_GET
def service_public(request: HttpRequest, service_uuid: UUID) -> HttpResponse:
    """The page a resident opens from a QR code: public listing information only."""
    service = _service_or_404(service_uuid)
    if service.status not in selectors.LISTED_STATUSES:
        raise Http404("Not found")
    context = {"service": service, "summary": listing_summary(service)}
    return render(request, "referrals/directory/service_public.html", context)


@permission_required(Permission.MANAGE_LISTINGS)
@require_GET
def my_listings(request: HttpRequest) -> HttpResponse:
    listings = [
        {"service": service, "is_stale": selectors.service_is_stale(service)}
        for service in selectors.services_managed_by(request.user)
    ]
    return render(request, "referrals/directory/my_listings.html", {"listings": listings})


@permission_required(Permission.MANAGE_LISTINGS)
def service_edit(request: HttpRequest, service_uuid: UUID) -> HttpResponse:
    service = _managed_service_or_404(request, service_uuid)
    form = ServiceListingForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        services.service_update(
            service=Service.objects.get(pk=service.pk),
            actor=request.user,
            data=form.cleaned_data,
            request=request,
        )
        messages.success(request, "Your listing has been updated")
        return redirect("referrals:service_detail", service_uuid=service.uuid)
    return render(
        request, "referrals/directory/service_edit.html", {"form": form, "service": service}
    )


@require_POST
@permission_required(Permission.MANAGE_LISTINGS)
def service_verify(request: HttpRequest, service_uuid: UUID) -> HttpResponse:
    service = _managed_service_or_404(request, service_uuid)
    services.service_verify(service=service, actor=request.user, request=request)
    messages.success(request, "Thank you: the listing is marked as checked today")
    return redirect("referrals:service_detail", service_uuid=service.uuid)


@login_required
def service_report_problem(request: HttpRequest, service_uuid: UUID) -> HttpResponse:
    service = _service_or_404(service_uuid)
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.problem_report_create(
            service=service,
            reporter=request.user,
            kind=form.cleaned_data["kind"],
            details=form.cleaned_data["details"],
            request=request,
        )
        messages.success(request, "Thank you: we have told the service about the problem")
        return redirect("referrals:service_detail", service_uuid=service.uuid)
    return render(
        request, "referrals/directory/report_problem.html", {"form": form, "service": service}
    )


@permission_required(Permission.ADMINISTER)
def directory_import(request: HttpRequest) -> HttpResponse:
    form = OrukImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = importers.import_upload(
            form.cleaned_data["file"],
            default_area=form.cleaned_data["area"],
            actor=request.user,
            request=request,
        )
        if report.ok:
            messages.success(request, f"Imported {report.summary()}")
            return redirect("referrals:directory_import")
    return render(request, "referrals/directory/import.html", {"form": form, "report": report})
