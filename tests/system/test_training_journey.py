"""A trainer creates a session of 2 places; three learners book (one is waitlisted); one
cancels and the waitlisted learner is promoted; the trainer takes the register; a learner
downloads the certificate and verifies it. Every page is checked with axe."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, FilePayload, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from accounts.models import Organisation, Role, User
from tests.factories import TEST_PASSWORD
from tests.system.axe import axe_violations, describe_violations
from tests.system.conftest import DEFAULT_TIMEOUT_MS
from tests.system.harness import PageProblems
from tests.system.screens import DESKTOP, screenshot
from tests.system.test_commissioner_journey import current_totp, sign_in
from tests.training.factories import CourseFactory, programme
from training.models import Booking, Completion, Session

pytestmark = pytest.mark.browser
# The TOTP secret make_user(with_mfa=True) gives (tests/conftest.py).
MFA_SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def open_page(browser: Browser, live_server: LiveServer) -> Iterator[Callable[[], Page]]:
    """Fresh browser contexts (one per person), closed at the end."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London"
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_trainer_runs_a_session_from_booking_to_verified_certificate(
    page: Page,
    page_problems: PageProblems,
    open_page: Callable[[], Page],
    make_user: Callable[..., User],
    camden_trust: Organisation,
) -> None:
    course = CourseFactory(
        title="Dementia Awareness for frontline staff",
        programme=programme("dementia"),
        level=None,
        provider=camden_trust,
    )
    trainer = make_user(Role.TRAINER, camden_trust, full_name="Tess Trainer")
    learners = [
        make_user(Role.FRONTLINE_WORKER, camden_trust, full_name=name)
        for name in ("Ann Early", "Ben Second", "Cat Waiting")
    ]
    audit: dict[str, list[dict[str, Any]]] = {}

    def check(on: Page, name: str) -> None:
        screenshot(on, f"training-{name}")
        audit[f"{name} ({on.url})"] = axe_violations(on, f"training-{name}")

    # The trainer creates a session with 2 places.
    sign_in(page, trainer.email, TEST_PASSWORD)
    page.goto(reverse("training:sessions_manage"))
    check(page, "your-sessions")
    page.get_by_role("link", name="Create a session").click()
    check(page, "create-session")
    day = timezone.localdate() + timedelta(days=10)
    page.get_by_label("Run by").select_option(label=camden_trust.name)
    page.get_by_label("Course").select_option(label=course.title)
    page.locator("#id_date_day").fill(str(day.day))
    page.locator("#id_date_month").fill(str(day.month))
    page.locator("#id_date_year").fill(str(day.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Number of places").fill("2")
    page.locator("#id_venue_name").fill("Crowndale Centre")
    page.get_by_role("button", name="Create session").click()
    expect(page.locator("h1")).to_have_text(course.title)
    check(page, "session-page-trainer")
    session = Session.objects.get(course=course)
    assert session.capacity == 2
    session_url = reverse("training:session_detail", args=[session.pk])

    # Three learners book: the third joins the waiting list.
    pages = []
    for index, learner in enumerate(learners):
        learner_page = open_page()
        pages.append(learner_page)
        sign_in(learner_page, learner.email, TEST_PASSWORD)
        learner_page.goto(session_url)
        if index == 0:
            check(learner_page, "session-page-learner")
        button = "Join the waiting list" if index == 2 else "Book a place"
        learner_page.get_by_role("button", name=button).click()
        expect(learner_page.locator("main")).to_contain_text(
            "You are number 1 on the waiting list" if index == 2 else "Booked"
        )
    check(pages[2], "session-page-waitlisted")

    # The first learner cancels; the waiting learner gets the place.
    pages[0].get_by_role("link", name=re.compile("Cancel your place")).click()
    check(pages[0], "cancel-booking")
    pages[0].get_by_role("button", name="Yes, cancel my booking").click()
    expect(pages[0].locator("main")).to_contain_text("Your booking is cancelled")
    pages[2].goto(session_url)
    expect(pages[2].locator("main .nhsuk-tag").first).to_have_text("Booked")
    promoted = Booking.objects.get(session=session, learner=learners[2])
    assert promoted.status == Booking.Status.BOOKED

    # The session starts; the trainer takes the register on a phone-sized screen.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("training:session_register", args=[session.pk]))
    check(page, "register")
    page.get_by_role("group", name="Ben Second").get_by_label("Attended").check()
    page.get_by_role("group", name="Cat Waiting").get_by_label("Did not attend").check()
    page.get_by_role("button", name="Save the register").click()
    expect(page.locator("main")).to_contain_text("The register is saved")
    completion = Completion.objects.get(learner=learners[1])

    # The learner downloads the certificate and checks it on the public page.
    pages[1].goto(reverse("training:my_training"))
    check(pages[1], "my-training")
    with pages[1].expect_download() as download_info:
        pages[1].get_by_role("link", name=re.compile("Download certificate")).click()
    pdf_path = download_info.value.path()
    text = PdfReader(io.BytesIO(open(pdf_path, "rb").read())).pages[0].extract_text()  # noqa: SIM115
    assert "Ben Second" in text
    assert completion.certificate_number in text
    verify = re.search(r"(/certificates/verify/[\w-]+/)", text.replace("\n", ""))
    assert verify, text
    visitor = open_page()
    visitor.goto(verify.group(1))
    expect(visitor.locator("h1")).to_have_text("This certificate is genuine")
    expect(visitor.locator("main")).to_contain_text("Ben Second")
    check(visitor, "verify-certificate")

    found = {name: v for name, v in audit.items() if v}
    assert not found, "\n\n".join(describe_violations(n, "", v) for n, v in found.items())
    page_problems.assert_none()


def test_training_lead_pages_have_no_accessibility_violations(
    page: Page,
    page_problems: PageProblems,
    make_user: Callable[..., User],
    camden_trust: Organisation,
) -> None:
    lead = make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True, full_name="Lena Lead")
    make_user(Role.FRONTLINE_WORKER, camden_trust, full_name="Sam Staff", staff_group="nursing")
    course = CourseFactory(title="MECC level 2: brief advice", provider=camden_trust)
    sign_in(page, lead.email, TEST_PASSWORD)
    page.locator("input[name=code]").fill(current_totp(MFA_SECRET))
    page.locator("form:has(input[name=code])").locator("button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^\s*Hello"))
    audit: dict[str, list[dict[str, Any]]] = {}
    for name, url in (
        ("catalogue", reverse("training:catalogue")),
        ("course", reverse("training:course_detail", args=[course.pk])),
        ("compliance", reverse("training:compliance")),
        ("quality-list", reverse("training:quality_list")),
        ("quality-new", reverse("training:quality_create")),
        ("trainers", reverse("training:trainers")),
        ("import-upload", reverse("training:import_upload")),
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        screenshot(page, f"training-lead-{name}")
        audit[f"{name} ({page.url})"] = axe_violations(page, f"training-lead-{name}")
    # An import with errors: the row-by-row report.
    page.goto(reverse("training:import_upload"))
    bad_csv = FilePayload(
        name="export.csv",
        mimeType="text/csv",
        buffer=b"email,course,completed_on\nnobody@nowhere.example,Nope,2024-13-01\n",
    )
    page.locator("input[type=file]").set_input_files(files=bad_csv)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    screenshot(page, "training-lead-import-preview")
    audit[f"import-preview ({page.url})"] = axe_violations(page, "training-lead-import-preview")
    found = {name: v for name, v in audit.items() if v}
    assert not found, "\n\n".join(describe_violations(n, "", v) for n, v in found.items())
    page_problems.assert_none()
