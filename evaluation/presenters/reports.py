"""Report list wording: status tags and what the person can do next."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from evaluation.models import Report
from evaluation.selectors.dashboard import Period

STATUS_TAGS = {
    Report.Status.QUEUED: "nhsuk-tag--grey",
    Report.Status.RUNNING: "nhsuk-tag--blue",
    Report.Status.READY: "nhsuk-tag--green",
    Report.Status.FAILED: "nhsuk-tag--red",
}


@dataclass(frozen=True)
class ReportRow:
    title: str
    requested: str
    format: str
    status: str
    status_class: str
    download_url: str
    error: str
    finished: bool


def report_rows(reports: list[Report]) -> list[ReportRow]:
    return [
        ReportRow(
            title=("Monthly commissioner pack" if r.kind == Report.Kind.MONTHLY else "Your report")
            + f": {Period(r.period_start, r.period_end)}",
            requested=f"{timezone.localtime(r.created_at):%-d %B %Y at %H:%M}",
            format=r.get_format_display(),
            status=r.get_status_display(),
            status_class=STATUS_TAGS[Report.Status(r.status)],
            download_url=reverse("evaluation:report_download", args=[r.uuid])
            if r.status == Report.Status.READY
            else "",
            error=r.error,
            finished=r.is_finished,
        )
        for r in reports
    ]
