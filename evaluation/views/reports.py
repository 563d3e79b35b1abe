"""Reports: ask for one from the dashboard, follow its progress, download it."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import Permission
from core.services import audit_record
from evaluation.forms.dashboard import ReportRequestForm
from evaluation.models import Report
from evaluation.presenters.reports import report_rows
from evaluation.services.reports import report_request
from evaluation.views._access import needs, signed_in
from evaluation.views.dashboard import dashboard_context, filters_from

REPORTS_SHOWN = 50


@require_POST
@needs(Permission.VIEW_DASHBOARDS)
def report_new(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        context = dashboard_context(request)
        context["report_form"] = form
        return render(request, "evaluation/dashboard/dashboard.html", context, status=400)
    _, _, filters = filters_from(request)
    report_request(
        user=signed_in(request),
        filters=filters,
        format=form.cleaned_data["format"],
        request=request,
    )
    messages.success(
        request, "Your report is being built. We will email you when it is ready to download."
    )
    return redirect("evaluation:reports")


@needs(Permission.VIEW_DASHBOARDS)
def reports(request: HttpRequest) -> HttpResponse:
    mine = list(
        Report.objects.filter(requested_by=signed_in(request)).order_by("-created_at", "-id")[
            :REPORTS_SHOWN
        ]
    )
    rows = report_rows(mine)
    return render(
        request,
        "evaluation/reports/list.html",
        {"rows": rows, "in_progress": any(not row.finished for row in rows)},
    )


@needs(Permission.VIEW_DASHBOARDS)
def report_download(request: HttpRequest, uuid: str) -> FileResponse:
    report = Report.objects.filter(
        uuid=uuid, requested_by=signed_in(request), status=Report.Status.READY
    ).first()
    if report is None or not report.file.name:
        raise Http404("Not found")
    audit_record(
        actor=signed_in(request), action="report.downloaded", target=report, request=request
    )
    extension = str(report.file.name).rsplit(".", 1)[-1]
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=f"mecc-report-{report.period_end:%Y-%m}.{extension}",
    )
