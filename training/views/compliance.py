"""A training lead's view of their staff's training, and its CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import Permission
from accounts.models import StaffGroup
from core.spreadsheets import Echo, safe_cell
from training import selectors
from training.forms import ComplianceFilterForm
from training.models import Programme
from training.views._access import needs

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> tuple[ComplianceFilterForm, Programme, str]:
    form = ComplianceFilterForm(
        request.GET or None, initial={"programme": Programme.Code.MECC, "status": "all"}
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    programme = (
        data.get("programme")
        or Programme.objects.filter(code=Programme.Code.MECC).first()
        or Programme.objects.first()
    )
    if programme is None:
        raise Http404("No programmes are set up")
    status = data.get("status", "all")
    return form, programme, "" if status == "all" else status


def _staff(request: HttpRequest, programme: Programme, status: str) -> Any:
    staff = selectors.staff_compliance(
        request.user, programme=programme, today=timezone.localdate()
    )
    return staff.filter(**{"compliance": status}) if status else staff


@needs(Permission.MANAGE_STAFF)
def compliance(request: HttpRequest) -> HttpResponse:
    form, programme, status = _filters(request)
    all_staff = _staff(request, programme, "")
    page = Paginator(_staff(request, programme, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/compliance.html",
        {
            "form": form,
            "programme": programme,
            "summary": selectors.compliance_by_staff_group(all_staff),
            "statuses": selectors.Compliance,
            "staff_groups": dict(StaffGroup.choices),
            "page": page,
            "query": query.urlencode(),
        },
    )


@needs(Permission.MANAGE_STAFF)
def compliance_csv(request: HttpRequest) -> StreamingHttpResponse:
    _, programme, status = _filters(request)
    staff = _staff(request, programme, status)
    labels = dict(selectors.Compliance.choices)
    groups = dict(StaffGroup.choices)

    def rows() -> Iterator[str]:
        writer = csv.writer(Echo())
        yield writer.writerow(
            [
                "Name",
                "Email",
                "Organisation",
                "Staff group",
                "Job title",
                "Programme",
                "Status",
                "Last completed",
                "Certificate expires",
            ]
        )
        for person in staff.iterator(chunk_size=500):
            yield writer.writerow(
                safe_cell(cell)
                for cell in [
                    person.full_name,
                    person.email,
                    person.organisation.name if person.organisation else "",
                    groups.get(person.staff_group, ""),
                    person.job_title,
                    programme.name,
                    labels[person.compliance],
                    person.last_completed or "",
                    person.last_expires or "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    filename = f"training-compliance-{programme.code}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
