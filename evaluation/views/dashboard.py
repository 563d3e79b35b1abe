"""The commissioner dashboard and its CSV and spreadsheet exports."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from accounts.access import Permission
from core.db_routers import reads_from_replica
from core.services import audit_record
from evaluation import exports
from evaluation.forms.dashboard import DashboardFilterForm, ReportRequestForm
from evaluation.presenters.dashboard import dashboard_view, freshness
from evaluation.selectors.dashboard import (
    DashboardFilters,
    DashboardScope,
    dashboard_scope,
    data_refreshed_at,
)
from evaluation.views._access import needs, signed_in


def filters_from(
    request: HttpRequest,
) -> tuple[DashboardScope, DashboardFilterForm, DashboardFilters]:
    """The user's scope and the filters in the query string (invalid ones dropped)."""
    scope = dashboard_scope(request.user)
    form = DashboardFilterForm(request.GET or None, scope=scope)
    if form.is_bound:
        form.is_valid()
    return scope, form, form.filters()


def dashboard_context(request: HttpRequest) -> dict[str, Any]:
    scope, form, filters = filters_from(request)
    view = dashboard_view(scope, filters)
    return {
        "form": form,
        "filters": filters,
        "scope": scope,
        "headlines": view.headlines,
        "charts": view.charts,
        "disclosed": view.disclosed,
        "filter_words": view.filter_words,
        "freshness": freshness(data_refreshed_at()),
        "querystring": request.GET.urlencode(),
    }


@needs(Permission.VIEW_DASHBOARDS)
@reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    context = dashboard_context(request)
    context["report_form"] = ReportRequestForm()
    return render(request, "evaluation/dashboard/dashboard.html", context)


@needs(Permission.VIEW_DASHBOARDS)
@reads_from_replica
def dashboard_csv(request: HttpRequest) -> StreamingHttpResponse:
    context = dashboard_context(request)
    audit_record(
        actor=signed_in(request),
        action="dashboard.exported",
        request=request,
        details={"format": "csv", "filters": context["filters"].as_scope()},
    )
    response = StreamingHttpResponse(
        exports.csv_rows(context["headlines"], context["charts"], context["filter_words"]),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mecc-dashboard.csv"'
    return response


@needs(Permission.VIEW_DASHBOARDS)
@reads_from_replica
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    context = dashboard_context(request)
    audit_record(
        actor=signed_in(request),
        action="dashboard.exported",
        request=request,
        details={"format": "xlsx", "filters": context["filters"].as_scope()},
    )
    response = HttpResponse(
        exports.workbook_bytes(context["headlines"], context["charts"], context["filter_words"]),
        content_type=exports.XLSX_MIMETYPE,
    )
    response["Content-Disposition"] = 'attachment; filename="mecc-dashboard.xlsx"'
    return response
