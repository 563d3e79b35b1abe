"""CSV and XLSX exports of a dashboard view: same filters, disclosure control, audited."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from core.models import AuditEvent
from core.spreadsheets import safe_cell as safe
from evaluation.services.rollups import rollups_rebuild
from tests.factories import UserFactory
from tests.referrals.activity_factories import ActivityTopicFactory, ConversationFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
CSV_URL = reverse("evaluation:dashboard_csv")
XLSX_URL = reverse("evaluation:dashboard_xlsx")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def data(camden_trust, haringey_council):
    when = timezone.make_aware(datetime.datetime(2026, 5, 10, 10, 0))
    topic = ActivityTopicFactory(slug="diet", name="Healthy eating")
    for org, n in ((camden_trust, 3), (haringey_council, 12)):
        ConversationFactory.create_batch(
            n, author=UserFactory(organisation=org), occurred_at=when, topics=[topic]
        )
    rollups_rebuild()


def _csv(response):
    assert isinstance(response, StreamingHttpResponse)
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_is_streamed_with_disclosure_control_and_the_same_filters(
    client, make_user, partnership, haringey_council, data
):
    client.force_login(make_user(Role.COMMISSIONER, partnership, with_mfa=True))
    response = client.get(CSV_URL, {"area": haringey_council.area_id})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert ["Borough: Haringey"] in rows
    assert ["Conversations", "10"] in rows  # 12 rounded to the nearest 5
    assert ["Haringey", "10"] in rows
    assert not any(row and row[0] == "Camden" for row in rows)


def test_csv_shows_small_borough_counts_as_a_star(client, make_user, partnership, data):
    client.force_login(make_user(Role.COMMISSIONER, partnership, with_mfa=True))
    rows = _csv(client.get(CSV_URL))
    assert ["Camden", "*"] in rows
    assert ["Conversations", "15"] in rows  # partnership total: exact


def test_xlsx_export_parses_back_with_a_sheet_per_chart(
    client, make_user, camden, camden_trust, data
):
    client.force_login(make_user(Role.COMMISSIONER, camden, with_mfa=True))
    response = client.get(XLSX_URL)
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Summary"
    assert "Conversations by topic" in book.sheetnames
    summary = [tuple(r) for r in book["Summary"].iter_rows(values_only=True)]
    assert ("Conversations", "*") in summary  # Camden only: 3 conversations
    topic_rows = list(book["Conversations by topic"].iter_rows(values_only=True))
    assert ("Healthy eating", "*") in topic_rows


def test_exports_are_audited(client, make_user, partnership, data):
    user = make_user(Role.COMMISSIONER, partnership, with_mfa=True)
    client.force_login(user)
    _csv(client.get(CSV_URL, {"period": "6"}))
    client.get(XLSX_URL)
    events = AuditEvent.objects.filter(action="dashboard.exported", actor=user)
    assert sorted(e.details["format"] for e in events) == ["csv", "xlsx"]


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_people_without_dashboard_access_cannot_export(client, make_user, camden_trust, url):
    client.force_login(make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True))
    assert client.get(url).status_code == 404


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused():
    assert safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe("Smoking") == "Smoking"
    assert safe(12) == 12
