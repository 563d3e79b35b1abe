"""A report task delivered again while the first run is still building (a broker
redelivery) keeps exactly one result: one stored file, one "ready" email."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from accounts.models import Role
from core.models import OutboxMessage
from evaluation.models import Report
from evaluation.selectors.dashboard import DashboardFilters, Period
from evaluation.services import reports
from evaluation.services.reports import report_build, report_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(make_user, partnership, settings, tmp_path: Path) -> Report:
    settings.MEDIA_ROOT = tmp_path
    commissioner = make_user(Role.COMMISSIONER, partnership, with_mfa=True)
    with transaction.atomic():  # the test's transaction never commits: nothing is queued
        return report_request(
            user=commissioner, filters=DashboardFilters(period=Period.last(3)), format="pdf"
        )


def _overlapping(monkeypatch: pytest.MonkeyPatch, report_id: int, outcome: list[bool]) -> None:
    """While the first run builds, the same task runs again and finishes first."""
    build, extension = reports.BUILDERS[Report.Format.PDF]
    calls = []

    def building(**kwargs: Any) -> bytes:
        calls.append(1)
        if len(calls) == 1:
            outcome.append(report_build(report_id=report_id))
        return build(**kwargs)

    monkeypatch.setitem(reports.BUILDERS, Report.Format.PDF, (building, extension))


def test_an_overlapping_rerun_keeps_one_file_and_one_email(queued, monkeypatch, tmp_path):
    second: list[bool] = []
    _overlapping(monkeypatch, queued.pk, second)

    first = report_build(report_id=queued.pk)

    assert (second, first) == ([True], False)
    queued.refresh_from_db()
    assert queued.status == Report.Status.READY
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [p.name for p in files] == [Path(queued.file.name).name]
    assert (
        OutboxMessage.objects.filter(idempotency_key=f"evaluation:report-ready:{queued.uuid}")
        .values_list("status", flat=True)
        .count()
        == 1
    )


def test_a_stale_run_that_fails_does_not_overwrite_a_finished_report(queued, monkeypatch):
    second: list[bool] = []
    build, extension = reports.BUILDERS[Report.Format.PDF]
    calls = []

    def failing_after_the_rerun(**kwargs: Any) -> bytes:
        calls.append(1)
        if len(calls) == 1:
            second.append(report_build(report_id=queued.pk))
            raise RuntimeError("the first run's builder broke")
        return build(**kwargs)

    monkeypatch.setitem(reports.BUILDERS, Report.Format.PDF, (failing_after_the_rerun, extension))

    assert report_build(report_id=queued.pk) is False
    assert second == [True]
    queued.refresh_from_db()
    assert (queued.status, queued.error) == (Report.Status.READY, "")
