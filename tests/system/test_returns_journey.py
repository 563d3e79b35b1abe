"""A training lead fills in and submits their organisation's return; a commissioner sees it
in the summary of returns. Both sign in with their authenticator app (MFA is required for
their roles). Every page on the way is checked with axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import Area, Organisation, Role, User
from evaluation.models import OrganisationReturn
from tests.evaluation.factories import ReturnPeriodFactory
from tests.factories import TEST_PASSWORD
from tests.system.axe import axe_violations, describe_violations
from tests.system.harness import PageProblems, path_of
from tests.system.screens import screenshot
from tests.system.test_commissioner_journey import current_totp, sign_in, submit_button

pytestmark = pytest.mark.browser

# The TOTP secret make_user(..., with_mfa=True) gives every user (tests/conftest.py).
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def sign_in_with_mfa(page: Page, user: User) -> None:
    sign_in(page, user.email, TEST_PASSWORD)
    expect(page.locator("input[name=code]")).to_be_visible()
    form = page.locator("form:has(input[name=code])")
    form.locator("input[name=code]").fill(current_totp(TOTP_SECRET))
    submit_button(form).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("home")) + "$"))


def sign_out(page: Page) -> None:
    page.locator(f"form[action='{reverse('account_logout')}'] button").click()
    if path_of(page.url) == reverse("account_logout"):
        submit_button(page.locator("main form")).click()


def test_a_training_lead_submits_a_return_and_a_commissioner_sees_it(
    page: Page,
    page_problems: PageProblems,
    make_user: Callable[..., User],
    camden: Area,
    camden_trust: Organisation,
) -> None:
    ReturnPeriodFactory(name="2026 to 2027")
    lead = make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True, full_name="Lena Lead")
    commissioner = make_user(Role.COMMISSIONER, camden, with_mfa=True, full_name="Cora Comm")
    audit: dict[str, list[dict[str, Any]]] = {}

    def check(name: str) -> None:
        screenshot(page, f"returns-{name}-desktop")
        audit[f"{name} ({page.url})"] = axe_violations(page, f"returns-{name}")

    # The training lead starts from their home page.
    sign_in_with_mfa(page, lead)
    page.get_by_role("link", name="Submit your organisation's return").click()
    expect(page.locator("h1")).to_have_text("Your organisation's returns")
    check("mine")
    page.get_by_role("link", name=re.compile(r"^Start")).click()
    expect(page.locator("h1")).to_have_text("Return for 2026 to 2027")
    check("form")

    # Submitting with gaps shows the NHS error summary.
    page.get_by_label("What you deliver").fill("MECC level 1 every month for ward staff")
    page.get_by_role("button", name="Submit return").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    check("form-errors")
    assert not OrganisationReturn.objects.exists()

    page.get_by_label("Making Every Contact Count").check()
    page.get_by_label("Mental Health First Aid").check()
    page.get_by_label("Staff trained in the period").fill("42")
    resources_now = page.locator("fieldset", has_text="Your resources this year")
    resources_now.get_by_label("Trainers").fill("3")
    resources_now.get_by_label("Training budget, in pounds").fill("12000")
    resources_now.get_by_label("Hours of training delivered").fill("300")
    next_year = page.locator("fieldset", has_text="Your resources next year")
    next_year.get_by_label("Trainers").fill("5")
    next_year.get_by_label("Training budget, in pounds").fill("15000")
    next_year.get_by_label("Hours of training planned").fill("400")
    page.get_by_label("Plans and priorities").fill("Every ward trained by March")
    page.get_by_label("Joint working").fill("Shared trainers with Camden Council")
    page.get_by_label("Evaluations done").fill("Pre and post-course surveys")
    page.get_by_role("button", name="Submit return").click()

    expect(page.locator(".nhsuk-tag", has_text="Submitted")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Every ward trained by March")
    check("submitted")
    submitted = OrganisationReturn.objects.get()
    assert submitted.is_submitted
    assert submitted.programmes == ["mecc", "mhfa"]
    sign_out(page)

    # The commissioner sees it in the summary, with counts of people disclosure-controlled.
    sign_in_with_mfa(page, commissioner)
    page.get_by_role("link", name="Organisation returns").click()
    expect(page.locator("h1")).to_have_text("Organisation returns for 2026 to 2027")
    expect(page.locator("main")).to_contain_text("1 of 1 organisation has submitted")
    row = page.locator("tbody tr", has_text="Camden Trust")
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("40")  # 42 staff trained, rounded to the nearest 5
    expect(row).to_contain_text("£12,000")
    check("summary")
    row.get_by_role("link", name="Camden Trust").click()
    expect(page.locator("h1")).to_have_text("Return for 2026 to 2027")
    expect(page.get_by_role("link", name="Reopen this return")).to_be_visible()
    check("commissioner-detail")

    found = {name: v for name, v in audit.items() if v}
    assert not found, "\n\n".join(describe_violations(n, "", v) for n, v in found.items())
    page_problems.assert_none()


def test_the_public_resources_and_glossary_pages_have_no_accessibility_violations(
    page: Page, page_problems: PageProblems
) -> None:
    from tests.evaluation.factories import GlossaryTermFactory, ResourceFactory

    ResourceFactory(title="Making Every Contact Count (MECC): implementation guide")
    GlossaryTermFactory(term="Very brief advice", slug="very-brief-advice")
    audit: dict[str, list[dict[str, Any]]] = {}
    page.goto(reverse("evaluation:resources"))
    expect(page.locator("h1")).to_have_text("MECC resources")
    audit["resources"] = axe_violations(page, "resources")
    page.get_by_role("contentinfo").get_by_role("link", name="Public health glossary").click()
    expect(page.locator("h1")).to_have_text("Public health glossary")
    audit["glossary"] = axe_violations(page, "glossary")
    page.get_by_label("Search the glossary").fill("brief")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("1 term found")
    audit["glossary search"] = axe_violations(page, "glossary-search")
    found = {name: v for name, v in audit.items() if v}
    assert not found, "\n\n".join(describe_violations(n, "", v) for n, v in found.items())
    page_problems.assert_none()
