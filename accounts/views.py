"""Administrators' pages in the portal: the audit log, searched, and its CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import presenters, selectors
from accounts.access import Permission
from accounts.decorators import permission_required
from accounts.forms import AuditFilterForm
from core.services import audit_record
from core.spreadsheets import Echo

PAGE_SIZE = 50


def _form(request: HttpRequest) -> AuditFilterForm:
    return AuditFilterForm(request.GET if request.GET.keys() - {"page"} else None)


def _invalid(request: HttpRequest, form: AuditFilterForm) -> HttpResponse:
    return render(request, "accounts/audit_log.html", {"form": form, "page": None}, status=400)


@permission_required(Permission.VIEW_AUDIT_LOG, hidden=True)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return _invalid(request, form)
    events = selectors.audit_events_search(filters=form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": [presenters.audit_row(event) for event in page.object_list],
            "query": query.urlencode(),
        },
    )


@permission_required(Permission.VIEW_AUDIT_LOG, hidden=True)
@require_GET
def audit_log_csv(request: HttpRequest) -> HttpResponseBase:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return _invalid(request, form)
    filters = form.filters()
    events = selectors.audit_events_search(filters=filters)
    # Exporting the log is itself recorded (the filters, never the rows).
    audit_record(
        actor=request.user,
        action="audit.exported",
        request=request,
        details={"filters": presenters.audit_filters_summary(filters)},
    )

    def rows() -> Iterator[Any]:
        writer = csv.writer(Echo())
        yield writer.writerow(presenters.AUDIT_CSV_HEADER)
        for event in events.iterator(chunk_size=1000):
            yield writer.writerow(presenters.audit_csv_row(event))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    filename = f"audit-log-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
