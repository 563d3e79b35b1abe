"""A learner opens the post-course survey link from their email, signs in, leaves a question
unanswered (the error summary says which), answers it, and their certificate, held back for
the survey, becomes downloadable. Every page is checked with axe."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.models import Organisation, Role, User
from evaluation.models import Invitation, SurveyKind
from tests.factories import TEST_PASSWORD
from tests.system.axe import axe_violations, describe_violations
from tests.system.harness import PageProblems, path_of
from tests.system.screens import screenshot
from tests.training.factories import (
    BookingFactory,
    CompletionFactory,
    CourseFactory,
    SessionFactory,
)
from training.models import Booking

pytestmark = pytest.mark.browser


def test_learner_answers_the_post_course_survey_and_gets_their_certificate(
    page: Page,
    page_problems: PageProblems,
    make_user: Callable[..., User],
    camden_trust: Organisation,
) -> None:
    learner = make_user(Role.FRONTLINE_WORKER, camden_trust, full_name="Lena Learner")
    course = CourseFactory(title="MECC level 1: very brief advice", provider=camden_trust)
    assert course.programme.requires_post_course_evaluation
    starts = timezone.now() - timedelta(days=2)
    session = SessionFactory(course=course, starts_at=starts, ends_at=starts + timedelta(hours=3))
    booking = BookingFactory(session=session, learner=learner, status=Booking.Status.ATTENDED)
    completion = CompletionFactory(learner=learner, course=course, booking=booking)
    audit: dict[str, list[dict[str, Any]]] = {}

    def check(name: str) -> None:
        screenshot(page, f"survey-{name}")
        audit[f"{name} ({page.url})"] = axe_violations(page, f"survey-{name}")

    # The link in training's post-course email, opened while signed out.
    page.goto(reverse("evaluation:post_course_survey", args=[booking.pk]))
    expect(page).to_have_url(re.compile(re.escape(reverse("account_login"))))
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=login]").fill(learner.email)
    form.locator("input[name=password]").fill(TEST_PASSWORD)
    form.locator("button[type=submit], input[type=submit]").first.click()

    invitation = Invitation.objects.get(learner=learner, kind=SurveyKind.POST_COURSE)
    take = reverse("evaluation:survey_take", args=[invitation.token])
    expect(page).to_have_url(re.compile(re.escape(take) + "$"))
    expect(page.locator("h1")).to_have_text("After your course")
    check("take")

    # Everything but satisfaction: the error summary names the missing answer.
    for legend in (
        "How confident do you feel",
        "How well do you know the local services",
        "How likely are you to have MECC conversations",
    ):
        page.locator("fieldset", has_text=legend).get_by_label(re.compile("^4: ")).check()
    page.locator("fieldset", has_text="Would you recommend").get_by_label("Yes").check()
    page.get_by_role("button", name="Send your answers").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Select an answer to: Overall, how satisfied are you")
    expect(page).to_have_title(re.compile("^Error: "))
    check("take-error")

    # The link in the summary takes the learner to the question; they answer it.
    summary.get_by_role("link").first.click()
    satisfaction = page.locator("fieldset", has_text="Overall, how satisfied")
    satisfaction.get_by_label("5: Very satisfied").check()
    page.get_by_role("button", name="Send your answers").click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("evaluation:survey_done", args=[invitation.token])))
    )
    expect(page.locator("h1")).to_have_text("Thank you for your answers")
    check("done")

    # The certificate is released: My training offers the download.
    page.get_by_role("link", name="download it from My training").click()
    assert path_of(page.url) == reverse("training:my_training")
    link = page.get_by_role(
        "link", name=re.compile(f"Download certificate {completion.certificate_number}")
    )
    expect(link).to_be_visible()
    check("my-training")
    # Fetched with the learner's cookies (a click would start a download, which the browser
    # reports as an aborted navigation).
    download = page.request.get(link.get_attribute("href") or "")
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(download.body()))
    assert "Lena Learner" in "".join(p.extract_text() for p in pdf.pages)

    # Opening the survey again says it has been answered, rather than asking twice.
    page.goto(take)
    expect(page.locator("h1")).to_have_text("You have already answered this survey.")
    check("already-answered")

    found = {name: v for name, v in audit.items() if v}
    assert not found, "\n\n".join(describe_violations(n, "", v) for n, v in found.items())
    page_problems.assert_none()
