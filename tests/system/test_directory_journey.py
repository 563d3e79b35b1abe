"""The directory in a browser: a frontline worker finds a service near a postcode on a phone
and reports a problem; the provider confirms the listing; a resident opens the public page.
Every page is checked with axe at desktop and phone widths."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Area, Organisation, Role, User
from referrals.models import ListingProblemReport, Service, Topic
from tests.factories import TEST_PASSWORD, OrganisationFactory
from tests.referrals.factories import LocationFactory, ServiceAtLocationFactory, ServiceFactory
from tests.system.axe import axe_violations, describe_violations
from tests.system.harness import PageProblems
from tests.system.screens import at_each_width, screenshot

pytestmark = pytest.mark.browser


def sign_in(page: Page, email: str) -> None:
    page.goto(reverse("account_login"))
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(TEST_PASSWORD)
    form.locator("button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^\s*Hello"))


def test_find_a_service_report_a_problem_and_confirm_the_listing(
    page: Page,
    page_problems: PageProblems,
    make_user: Callable[..., User],
    camden_trust: Organisation,
    haringey: Area,
) -> None:
    import_module("referrals.migrations.0003_directory_topics").add_topics(apps, None)
    provider = OrganisationFactory(name="Wood Green Voluntary Action", area=haringey)
    service: Service = ServiceFactory(
        name="Wood Green befriending",
        provider=provider,
        topics=[Topic.objects.get(slug="loneliness")],
        areas_served=[haringey],
        last_verified_on=timezone.localdate().replace(year=timezone.localdate().year - 1),
    )
    ServiceAtLocationFactory(service=service, location=LocationFactory(postcode="N22 8HQ"))
    worker = make_user(Role.FRONTLINE_WORKER, camden_trust, email="worker@camden.example")
    provider_user = make_user(Role.SERVICE_PROVIDER, provider, email="grace@wgva.example")
    audit: dict[str, list[dict[str, Any]]] = {}

    def check(name: str) -> None:
        for width in at_each_width(page):
            screenshot(page, f"directory-{name}-{width}")
            audit[f"{name} ({width}, {page.url})"] = axe_violations(page, f"{name}-{width}")

    sign_in(page, worker.email)
    page.get_by_role("link", name="Find a service").first.click()
    expect(page.locator("h1")).to_have_text("Find a service")
    page.get_by_label("Near postcode").fill("n22 6xx")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("less than 1 km away")
    check("search-results")

    page.get_by_label("Near postcode").fill("nowhere")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a real postcode")
    check("search-error")

    page.goto(reverse("referrals:service_detail", args=[service.uuid]))
    expect(page.locator("h1")).to_have_text("Wood Green befriending")
    expect(page.locator("main")).to_contain_text("This listing may be out of date")
    check("service")

    page.get_by_role("link", name="Report a problem with this listing").click()
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select what is wrong")
    check("report-error")
    page.get_by_label("The opening times are wrong").check()
    page.get_by_label("Tell us more").fill("It is closed on Wednesdays now.")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("main")).to_contain_text("we have told the service")
    assert ListingProblemReport.objects.filter(service=service, reported_by=worker).exists()

    page.context.clear_cookies()
    sign_in(page, provider_user.email)
    page.get_by_role("link", name="Your service listings").first.click()
    expect(page.locator("main")).to_contain_text("Needs checking")
    check("your-listings")
    page.get_by_role("link", name="Wood Green befriending").click()
    page.get_by_role("button", name="Confirm this listing is still correct").click()
    expect(page.locator("main")).to_contain_text("marked as checked today")
    service.refresh_from_db()
    assert service.last_verified_on == timezone.localdate()
    page.get_by_role("link", name="Edit this listing").click()
    check("edit")

    page.context.clear_cookies()
    page.goto(reverse("referrals:service_public", args=[service.uuid]))
    expect(page.locator("h1")).to_have_text("Wood Green befriending")
    check("public")

    found = {name: v for name, v in audit.items() if v}
    assert not found, "\n\n".join(describe_violations(n, "", v) for n, v in found.items())
    page_problems.assert_none()
