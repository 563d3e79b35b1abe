"""A commissioner signs in with their authenticator app, filters the dashboard, opens the
benchmark, asks for a report and downloads it. Every page on the way is checked with axe.

The report is built by the eager Celery task the test settings use (the real worker is
proved by tests/integration/test_report_job.py)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Area, Organisation, Role, StaffGroup, User
from evaluation.models import BenchmarkIndicator, Report, Standard
from evaluation.services.rollups import rollups_rebuild
from tests.factories import UserFactory
from tests.referrals.activity_factories import ActivityTopicFactory, ConversationFactory
from tests.system.axe import axe_violations, describe_violations
from tests.system.harness import PageProblems
from tests.system.screens import screenshot
from tests.system.test_returns_journey import sign_in_with_mfa
from tests.training.factories import CompletionFactory

pytestmark = pytest.mark.browser


def _demo_activity(camden_trust: Organisation, haringey_council: Organisation) -> None:
    smoking = ActivityTopicFactory(slug="smoking", name="Smoking")
    alcohol = ActivityTopicFactory(slug="alcohol", name="Alcohol")
    now = timezone.now()
    for months_ago in range(8):
        when = now - datetime.timedelta(days=30 * months_ago + 1)
        for org, n in ((camden_trust, 20 + 3 * months_ago), (haringey_council, 12)):
            author = UserFactory(organisation=org, staff_group=StaffGroup.NURSING)
            ConversationFactory.create_batch(n, author=author, occurred_at=when, topics=[smoking])
            ConversationFactory.create_batch(4, author=author, occurred_at=when, topics=[alcohol])
        for _ in range(3):
            CompletionFactory(
                learner=UserFactory(organisation=camden_trust), completed_on=when.date()
            )
    Standard.objects.create(
        indicator=BenchmarkIndicator.SIGNPOSTS_PER_100, area=camden_trust.area, target=30
    )
    rollups_rebuild()


def test_a_commissioner_filters_the_dashboard_benchmarks_and_downloads_a_report(
    page: Page,
    page_problems: PageProblems,
    make_user: Callable[..., User],
    partnership: Area,
    camden_trust: Organisation,
    haringey_council: Organisation,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    _demo_activity(camden_trust, haringey_council)
    commissioner = make_user(
        Role.COMMISSIONER, partnership, with_mfa=True, full_name="Cora Commissioner"
    )
    audit: dict[str, list[dict[str, Any]]] = {}

    def check(name: str) -> None:
        screenshot(page, f"dashboard-{name}-desktop")
        audit[f"{name} ({page.url})"] = axe_violations(page, f"dashboard-{name}")

    sign_in_with_mfa(page, commissioner)
    page.locator("main").get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("main")).to_contain_text("Data up to")
    # Chart.js drew the charts from the JSON blocks; each chart has its data table.
    expect(page.locator("canvas#chart-conversations-by-month")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Conversations by topic"))).to_be_visible()
    check("all")

    # Filter to Camden and smoking with the plain GET form.
    page.locator("select[name=area]").select_option(label="Camden")
    page.locator("select[name=topic]").select_option(label="Smoking")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"area=\d+.*topic=\d+"))
    expect(page.locator(".nhsuk-lede-text")).to_contain_text("in Camden")
    topic_table = page.get_by_role("table", name=re.compile("Conversations by topic"))
    expect(topic_table).to_contain_text("Smoking")
    expect(topic_table).not_to_contain_text("Alcohol")
    expect(page.locator("main")).to_contain_text("counts of 1 to 7 are shown as *")
    check("filtered")

    # The benchmark sets the boroughs side by side, rated in words.
    page.goto(reverse("evaluation:benchmark"))
    expect(page.locator("h1")).to_have_text("Benchmark the boroughs")
    signposts = page.get_by_role("table", name=re.compile("Signposts per 100 conversations"))
    expect(signposts).to_contain_text("Camden")
    expect(signposts).to_contain_text("Haringey")
    expect(signposts.locator(".nhsuk-tag").first).to_have_text(
        re.compile("Standard met|Close to the standard|Standard not met")
    )
    check("benchmark")

    # Back to the filtered dashboard to ask for a spreadsheet report of those figures.
    page.go_back()
    page.get_by_label("Spreadsheet (XLSX)").check()
    page.get_by_role("button", name="Request a report").click()
    expect(page.locator("h1")).to_have_text("Your reports")
    expect(page.locator("main")).to_contain_text("We will email you")
    expect(page.locator("main .nhsuk-tag").first).to_have_text("Ready")
    check("reports")
    report = Report.objects.get(requested_by=commissioner)
    assert report.scope["area"] == camden_trust.area_id

    with page.expect_download() as download_info:
        page.locator("main").get_by_role("link", name=re.compile("^Download")).first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / "downloaded.xlsx"
    download.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"  # a zip: the XLSX container

    # Chromium ends the navigation a download started with ERR_ABORTED: that one is expected.
    page_problems.failed_requests = [
        r for r in page_problems.failed_requests if not r.endswith("/download/: net::ERR_ABORTED")
    ]
    found = {name: v for name, v in audit.items() if v}
    assert not found, "\n\n".join(describe_violations(n, "", v) for n, v in found.items())
    page_problems.assert_none()
