"""Reports: requested from the dashboard or monthly, built by a task, emailed, downloaded
only by the requester; PDF and XLSX parsed back."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from core.models import AuditEvent, OutboxMessage
from evaluation.models import Report
from evaluation.selectors.dashboard import DashboardFilters, Period
from evaluation.services.reports import (
    monthly_packs_request,
    report_build,
    report_request,
    reports_sweep,
)
from evaluation.services.rollups import rollups_rebuild
from evaluation.tasks import monthly_packs_task, report_build_task
from tests.factories import UserFactory
from tests.query_budget import session_reads
from tests.referrals.activity_factories import ActivityTopicFactory, ConversationFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
REPORTS = reverse("evaluation:reports")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def data(camden_trust, haringey_council):
    topic = ActivityTopicFactory(slug="alcohol", name="Alcohol")
    for month in range(1, 6):
        when = timezone.make_aware(datetime.datetime(2026, month, 10, 10))
        for org, n in ((camden_trust, 10 + month), (haringey_council, 3)):
            ConversationFactory.create_batch(
                n, author=UserFactory(organisation=org), occurred_at=when, topics=[topic]
            )
    rollups_rebuild()


@pytest.fixture
def commissioner(make_user, partnership):
    return make_user(Role.COMMISSIONER, partnership, with_mfa=True, email="comm@icb.example")


def _request(user, fmt="pdf", **filters):
    return report_request(
        user=user, filters=DashboardFilters(period=Period.last(6), **filters), format=fmt
    )


def test_requesting_a_report_from_the_dashboard_builds_it_and_emails_a_link(
    client, commissioner, camden, data, django_capture_on_commit_callbacks
):
    client.force_login(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evaluation:report_new") + f"?area={camden.pk}&period=6", {"format": "pdf"}
        )
    assert response.status_code == 302
    assert response["Location"] == REPORTS
    report = Report.objects.get()
    assert report.status == Report.Status.READY  # eager task in tests
    assert report.scope["area"] == camden.pk
    message = OutboxMessage.objects.get(idempotency_key=f"evaluation:report-ready:{report.uuid}")
    assert message.recipients == ["comm@icb.example"]
    assert "/evaluation/reports/" in message.body_text
    assert AuditEvent.objects.filter(action="report.requested", actor=commissioner).exists()


def test_the_pdf_parses_back_with_charts_as_tables_and_spc_summaries(commissioner, camden, data):
    report = _request(commissioner, area=camden)
    assert report_build(report_id=report.pk)
    report.refresh_from_db()
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(report.file.read())).pages
    )
    assert "Borough: Camden" in text
    assert "Conversations each month" in text
    assert "Statistical process control chart" in text
    assert "Conversations by topic" in text
    assert "Alcohol" in text
    assert "Haringey" not in text.split("Borough: Camden")[1].split("Headline")[0]


def test_the_spreadsheet_parses_back_with_disclosed_counts(commissioner, haringey, data):
    report = _request(commissioner, "xlsx", area=haringey)
    report_build(report_id=report.pk)
    report.refresh_from_db()
    book = load_workbook(io.BytesIO(report.file.read()))
    topic_rows = list(book["Conversations by topic"].iter_rows(values_only=True))
    assert ("Alcohol", 15) in topic_rows  # 15 conversations in Haringey: rounded, not exact


def test_building_twice_does_nothing_the_second_time(commissioner, data):
    report = _request(commissioner)
    assert report_build_task.delay(report.pk)
    report.refresh_from_db()
    first = report.file.name
    assert report_build(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.file.name == first
    assert OutboxMessage.objects.filter(subject__startswith="Your report is ready").count() == 1


def test_a_report_outside_the_requesters_scope_fails_with_a_reason(
    make_user, camden, haringey, data
):
    user = make_user(Role.COMMISSIONER, camden, with_mfa=True)
    report = _request(user, area=haringey)
    assert report_build(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "no longer one you can see" in report.error
    assert not report.file


def test_only_the_requester_can_download(client, commissioner, make_user, partnership, data):
    report = _request(commissioner)
    report_build(report_id=report.pk)
    url = reverse("evaluation:report_download", args=[report.uuid])
    client.force_login(commissioner)
    response = client.get(url)
    assert response.status_code == 200
    assert response.getvalue().startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="report.downloaded").count() == 1
    colleague = make_user(Role.COMMISSIONER, partnership, with_mfa=True)
    client.force_login(colleague)
    assert client.get(url).status_code == 404


def test_the_reports_page_shows_progress_and_polls_while_a_report_is_building(
    client, commissioner, data
):
    _request(commissioner)
    client.force_login(commissioner)
    page = client.get(REPORTS).content.decode()
    assert "Waiting to start" in page
    assert 'hx-trigger="every 5s"' in page
    assert "Refresh to see progress" in page
    report_build(report_id=Report.objects.get().pk)
    page = client.get(REPORTS).content.decode()
    assert "Ready" in page and "Download" in page
    assert "hx-trigger" not in page


def test_people_without_dashboard_access_have_no_reports(client, make_user, camden_trust):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert client.get(REPORTS).status_code == 404
    assert client.post(reverse("evaluation:report_new"), {"format": "pdf"}).status_code == 404


def test_a_bad_format_shows_the_error_summary(client, commissioner, data):
    client.force_login(commissioner)
    response = client.post(reverse("evaluation:report_new"), {"format": "docx"})
    assert response.status_code == 400
    assert "nhsuk-error-summary" in response.content.decode()
    assert not Report.objects.exists()


def test_monthly_packs_are_made_once_per_commissioner_and_format(
    commissioner, make_user, camden, camden_trust, data, django_capture_on_commit_callbacks
):
    make_user(Role.COMMISSIONER, camden, with_mfa=True)
    make_user(Role.FRONTLINE_WORKER, camden_trust)
    first_of_july = datetime.datetime(2026, 7, 1, 6, 0, tzinfo=datetime.UTC)
    with (
        time_machine.travel(first_of_july),
        django_capture_on_commit_callbacks(execute=True),
    ):
        monthly_packs_task.delay()
        monthly_packs_request()  # beat ran twice: nothing new
    packs = Report.objects.filter(kind=Report.Kind.MONTHLY)
    assert packs.count() == 4
    assert {p.period_end for p in packs} == {datetime.date(2026, 6, 1)}
    assert {p.period_start for p in packs} == {datetime.date(2025, 7, 1)}
    assert set(packs.values_list("status", flat=True)) == {Report.Status.READY}


def test_the_sweeper_sends_again_reports_whose_build_never_started(commissioner, data):
    report = _request(commissioner)
    assert reports_sweep() == 0
    with time_machine.travel(NOW + datetime.timedelta(minutes=11)):
        assert reports_sweep() == 1
    report.refresh_from_db()
    assert report.status == Report.Status.READY


@pytest.mark.parametrize("rows", [1, 50])
def test_reports_page_query_count_does_not_grow(
    client, commissioner, rows, django_assert_num_queries
):
    for _ in range(rows):
        Report.objects.create(
            requested_by=commissioner,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 1),
            format="pdf",
        )
    client.force_login(commissioner)
    client.get(REPORTS)
    with django_assert_num_queries(REPORTS_QUERIES + session_reads()):
        client.get(REPORTS)


REPORTS_QUERIES = 4  # without the session: see tests/query_budget.py
