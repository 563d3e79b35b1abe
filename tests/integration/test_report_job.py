"""A requested report is built end to end by a real Celery worker on PostgreSQL and Redis:
queued on commit, built from the rollups, stored, announced by email, downloaded."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role, StaffGroup
from core.models import OutboxMessage
from evaluation.models import Report
from evaluation.selectors.dashboard import DashboardFilters, Period
from evaluation.services.reports import STALLED_AFTER, report_request, reports_sweep
from evaluation.services.rollups import rollups_rebuild
from tests.factories import UserFactory
from tests.integration.support import (
    Mailbox,
    RedisServer,
    Worker,
    clear_celery_queue,
    subprocess_env,
    wait_for,
)
from tests.referrals.activity_factories import ActivityTopicFactory, ConversationFactory

pytestmark = pytest.mark.integration

BUILD_TIMEOUT = 60.0
# Publishing to a broker that is down gives up after CELERY_BROKER_CONNECTION_TIMEOUT (2 s)
# without retrying; a request that waited for Redis to come back would take far longer.
PUBLISH_FAILS_WITHIN_SECONDS = 6.0


@pytest.fixture
def media(tmp_path: Path, settings: pytest.FixtureRequest) -> Path:
    """One media folder for this process and the worker (default storage on disk)."""
    folder = tmp_path / "media"
    folder.mkdir()
    settings.MEDIA_ROOT = folder  # type: ignore[attr-defined]
    return folder


@pytest.fixture
def report_worker(
    tmp_path: Path, redis_url: str, mailbox: Mailbox, media: Path
) -> Callable[..., Worker]:
    workers: list[Worker] = []

    def start(broker_url: str | None = None) -> Worker:
        var_dir = tmp_path / "var"
        var_dir.mkdir()
        clear_celery_queue(broker_url or redis_url)
        env = subprocess_env(
            redis_url=broker_url or redis_url,
            mail_dir=mailbox.path,
            var_dir=var_dir,
            MEDIA_ROOT=str(media),
            OUTBOX_SWEEP_SECONDS="2",
            HEARTBEAT_SECONDS="2",
        )
        worker = Worker(env=env, log_path=tmp_path / "worker.log")
        workers.append(worker)
        worker.start()
        return worker

    yield start  # type: ignore[misc]
    for worker in workers:
        worker.stop()


def test_a_worker_builds_a_requested_report_and_emails_the_link(
    make_user,
    partnership,
    camden_trust,
    redis_url: str,
    use_broker: Callable[[str], None],
    report_worker: Callable[[], Worker],
    mailbox: Mailbox,
) -> None:
    commissioner = make_user(Role.COMMISSIONER, partnership, with_mfa=True)
    topic = ActivityTopicFactory(slug="smoking", name="Smoking")
    author = UserFactory(organisation=camden_trust, staff_group=StaffGroup.NURSING)
    for months_ago in range(6):
        ConversationFactory.create_batch(
            10 + months_ago,
            author=author,
            topics=[topic],
            occurred_at=timezone.now() - timedelta(days=30 * months_ago),
        )
    rollups_rebuild()

    use_broker(redis_url)
    worker = report_worker()
    worker.wait_until_beating()
    reports = []
    for format in (Report.Format.PDF, Report.Format.XLSX):
        with transaction.atomic():
            reports.append(
                report_request(
                    user=commissioner,
                    filters=DashboardFilters(period=Period.last(6)),
                    format=format,
                )
            )

    def built() -> bool:
        worker.assert_alive()
        return all(
            Report.objects.get(pk=r.pk).status in (Report.Status.READY, Report.Status.FAILED)
            for r in reports
        )

    wait_for(
        built, timeout=BUILD_TIMEOUT, message=lambda: f"reports not built\n{worker.log_tail()}"
    )
    pdf, xlsx = (Report.objects.get(pk=r.pk) for r in reports)
    assert (pdf.status, pdf.error) == (Report.Status.READY, "")
    assert xlsx.status == Report.Status.READY

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.file.read())).pages)
    assert "Conversations each month" in text
    assert "Smoking" in text
    book = load_workbook(io.BytesIO(xlsx.file.read()))
    assert ("Smoking", sum(range(10, 16))) in list(
        book["Conversations by topic"].iter_rows(values_only=True)
    )

    key = f"evaluation:report-ready:{pdf.uuid}"
    wait_for(
        lambda: mailbox.files_for(key),
        timeout=BUILD_TIMEOUT,
        message=lambda: f"no ready email: {mailbox.describe()}\n{worker.log_tail()}",
    )
    assert OutboxMessage.objects.get(idempotency_key=key).status == OutboxMessage.Status.SENT

    client = Client()
    client.force_login(commissioner)
    response = client.get(reverse("evaluation:report_download", args=[pdf.uuid]))
    assert response.status_code == 200
    assert response.getvalue().startswith(b"%PDF")


def test_a_report_asked_for_while_redis_is_down_is_saved_then_built_once_redis_is_back(
    make_user,
    partnership,
    camden_trust,
    private_redis: RedisServer,
    use_broker: Callable[[str], None],
    report_worker: Callable[..., Worker],
    mailbox: Mailbox,
) -> None:
    commissioner = make_user(Role.COMMISSIONER, partnership, with_mfa=True)
    topic = ActivityTopicFactory(slug="alcohol", name="Alcohol")
    author = UserFactory(organisation=camden_trust, staff_group=StaffGroup.NURSING)
    ConversationFactory.create_batch(12, author=author, topics=[topic])
    rollups_rebuild()
    use_broker(private_redis.url)
    private_redis.stop()

    # The request publishes the build after its commit, to a broker that is not there: the
    # commissioner still gets the reports page at once, and the report is kept, queued.
    client = Client()
    client.force_login(commissioner)
    started = time.monotonic()
    response = client.post(reverse("evaluation:report_new") + "?period=6", {"format": "pdf"})
    took = time.monotonic() - started
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("evaluation:reports")
    assert took < PUBLISH_FAILS_WITHIN_SECONDS, f"the request took {took:.1f}s"
    report = Report.objects.get(requested_by=commissioner)
    assert report.status == Report.Status.QUEUED
    assert not report.file

    # Redis is back: the sweeper (beat, every few minutes) sends the stalled build again.
    private_redis.start()
    worker = report_worker(private_redis.url)
    worker.wait_until_beating()
    assert reports_sweep(now=timezone.now() + STALLED_AFTER + timedelta(seconds=1)) == 1

    def built() -> bool:
        worker.assert_alive()
        report.refresh_from_db()
        return report.status in (Report.Status.READY, Report.Status.FAILED)

    wait_for(built, timeout=BUILD_TIMEOUT, message=lambda: f"report not built\n{worker.log_tail()}")
    assert (report.status, report.error) == (Report.Status.READY, "")
    assert report.file.read().startswith(b"%PDF")
    key = f"evaluation:report-ready:{report.uuid}"
    files = wait_for(
        lambda: mailbox.files_for(key),
        timeout=BUILD_TIMEOUT,
        message=lambda: f"no ready email: {mailbox.describe()}\n{worker.log_tail()}",
    )
    assert len(files) == 1
