"""Reports: requested from the dashboard or made for every commissioner on the 1st of the
month, built in the background, stored in default storage, announced by email.

The build re-checks the requester's scope, so a report never shows more than its requester
could see on the dashboard when it was built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.access import Permission
from accounts.models import Role, User
from core.db_routers import replica_reads
from core.services import audit_record, outbox_enqueue
from evaluation.documents import report_pdf, report_xlsx
from evaluation.models import Report
from evaluation.presenters.dashboard import dashboard_view
from evaluation.selectors.dashboard import (
    DashboardFilters,
    DashboardScope,
    Period,
    add_months,
    dashboard_scope,
)

logger = logging.getLogger(__name__)

MONTHLY_PACK_MONTHS = 12
# A queued report not started after this long lost its message (broker down): send again.
STALLED_AFTER = timedelta(minutes=10)


class ReportScopeError(Exception):
    """The report asks for data outside what its requester may see now."""


def _enqueue(report_id: int) -> None:
    from evaluation.tasks import report_build_task

    try:
        report_build_task.apply_async(args=(report_id,), retry=False)
    except Exception as exc:  # broker down: the sweeper sends it again later
        logger.warning(
            "reports: broker unavailable for report %s: %s", report_id, type(exc).__name__
        )


@transaction.atomic
def report_request(
    *,
    user: User,
    filters: DashboardFilters,
    format: str,
    kind: str = Report.Kind.ON_DEMAND,
    idempotency_key: str | None = None,
    request: HttpRequest | None = None,
) -> Report:
    """Queue a report of these dashboard filters; built after the transaction commits."""
    defaults: dict[str, Any] = {
        "requested_by": user,
        "kind": kind,
        "scope": filters.as_scope(),
        "period_start": filters.period.start,
        "period_end": filters.period.end,
        "format": format,
    }
    if idempotency_key is None:
        report = Report.objects.create(**defaults)
    else:
        report, created = Report.objects.get_or_create(
            idempotency_key=idempotency_key, defaults=defaults
        )
        if not created:
            return report
    audit_record(
        actor=user,
        action="report.requested",
        target=report,
        request=request,
        details={"format": format, "kind": kind},
    )
    report_id = report.pk
    transaction.on_commit(lambda: _enqueue(report_id))
    return report


def _filters_for(report: Report, scope: DashboardScope) -> DashboardFilters:
    wanted = report.scope or {}
    area = organisation = None
    if wanted.get("area") is not None:
        area = scope.boroughs.filter(pk=wanted["area"]).first()
        if area is None:
            raise ReportScopeError("The borough is no longer one you can see.")
    if wanted.get("organisation") is not None:
        organisation = scope.organisations.filter(pk=wanted["organisation"]).first()
        if organisation is None:
            raise ReportScopeError("The organisation is no longer one you can see.")
    return DashboardFilters(
        period=Period(report.period_start, report.period_end),
        area=area,
        organisation=organisation,
        programme_id=wanted.get("programme"),
        staff_group=wanted.get("staff_group") or "",
        topic_id=wanted.get("topic"),
    )


def _claim(report_id: int) -> Report | None:
    """Mark the report running, unless it is finished or another worker has it."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(skip_locked=True)
            .select_related("requested_by")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.status == Report.Status.READY:
            return None
        report.status = Report.Status.RUNNING
        report.started_at = timezone.now()
        report.error = ""
        report.save(update_fields=["status", "started_at", "error", "updated_at"])
    return report


def report_title(report: Report) -> str:
    kind = "Monthly commissioner pack" if report.kind == Report.Kind.MONTHLY else "MECC report"
    return f"{kind}: {Period(report.period_start, report.period_end)}"


BUILDERS: dict[str, tuple[Callable[..., bytes], str]] = {
    Report.Format.PDF: (report_pdf, "pdf"),
    Report.Format.XLSX: (report_xlsx, "xlsx"),
}


def report_build(*, report_id: int) -> bool:
    """Build the report's file; True if this call finished it. Safe to run twice."""
    report = _claim(report_id)
    if report is None:
        return False
    try:
        # The figures are read from the replica (if any); the claim and the result, default.
        with replica_reads():
            scope = dashboard_scope(report.requested_by)
            if not access.can(report.requested_by, Permission.VIEW_DASHBOARDS):
                raise ReportScopeError("You no longer have access to the dashboard.")
            view = dashboard_view(scope, _filters_for(report, scope))
        build, extension = BUILDERS[report.format]
        content = build(
            title=report_title(report),
            filter_words=view.filter_words,
            headlines=view.headlines,
            charts=view.charts,
        )
    except ReportScopeError as exc:
        _fail(report, str(exc))
        return False
    except Exception as exc:
        logger.exception("reports: report %s failed", report.pk)
        _fail(report, f"The report could not be built ({type(exc).__name__}). Try again.")
        return False
    with transaction.atomic():
        if not _still_ours(report):
            return False
        report.file.save(f"mecc-report-{report.uuid}.{extension}", ContentFile(content), save=False)
        report.status = Report.Status.READY
        report.finished_at = timezone.now()
        report.save(update_fields=["file", "status", "finished_at", "updated_at"])
        _tell_ready(report)
    return True


def _still_ours(report: Report) -> bool:
    """Lock the report; True if no later run has claimed it since this one did (a message
    delivered again while this run was still building) and nothing has finished it."""
    return (
        Report.objects.select_for_update()
        .filter(pk=report.pk, status=Report.Status.RUNNING, started_at=report.started_at)
        .exists()
    )


def _fail(report: Report, error: str) -> None:
    with transaction.atomic():
        if not _still_ours(report):
            return
        report.status = Report.Status.FAILED
        report.error = error[:300]
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error", "finished_at", "updated_at"])


def _tell_ready(report: Report) -> None:
    url = settings.SITE_URL + reverse("evaluation:reports")
    outbox_enqueue(
        idempotency_key=f"evaluation:report-ready:{report.uuid}",
        recipients=[report.requested_by.email],
        subject=f"Your report is ready: {report_title(report)}",
        body_text=(
            f'Your report "{report_title(report)}" ({report.get_format_display()}) is ready.\n\n'
            f"Sign in to the MECC Portal to download it:\n{url}\n"
        ),
    )


def monthly_packs_request(*, today: date | None = None) -> int:
    """Queue this month's pack (PDF and spreadsheet) for every commissioner; once each."""
    today = today or timezone.localdate()
    last_month = add_months(today.replace(day=1), -1)
    period = Period(add_months(last_month, 1 - MONTHLY_PACK_MONTHS), last_month)
    commissioners = User.objects.filter(
        is_active=True, role_memberships__role=Role.COMMISSIONER
    ).distinct()
    queued = 0
    for user in commissioners:
        for format in (Report.Format.PDF, Report.Format.XLSX):
            key = f"monthly:{user.pk}:{last_month:%Y-%m}:{format}"
            report = report_request(
                user=user,
                filters=DashboardFilters(period=period),
                format=format,
                kind=Report.Kind.MONTHLY,
                idempotency_key=key,
            )
            queued += report.status == Report.Status.QUEUED
    return queued


def reports_sweep(*, now: datetime | None = None) -> int:
    """Send again the reports whose build never started or whose worker died."""
    now = now or timezone.now()
    time_limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 2)
    stalled = list(
        Report.objects.filter(
            status=Report.Status.QUEUED, created_at__lte=now - STALLED_AFTER
        ).values_list("pk", flat=True)
    ) + list(
        Report.objects.filter(
            status=Report.Status.RUNNING, started_at__lte=now - time_limit
        ).values_list("pk", flat=True)
    )
    for report_id in stalled:
        _enqueue(report_id)
    return len(stalled)
