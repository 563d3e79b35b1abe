"""On a phone, a worker logs a conversation, signposts, and refers; the provider accepts and
completes the referral; the worker sees the timeline. Every page is checked with axe."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import Area, Organisation, Role, User
from core.models import AuditEvent
from referrals.models import Conversation, Referral, Service
from tests.factories import TEST_PASSWORD
from tests.referrals.activity_factories import ActivityServiceFactory, ActivityTopicFactory
from tests.system.axe import assert_no_axe_violations
from tests.system.conftest import DEFAULT_TIMEOUT_MS
from tests.system.harness import PageProblems
from tests.system.screens import DESKTOP, PHONE, screenshot
from tests.system.test_commissioner_journey import sign_in

pytestmark = pytest.mark.browser


def check(page: Page, name: str) -> None:
    screenshot(page, f"referral-journey-{name}")
    assert_no_axe_violations(page, name)


def test_a_worker_refers_on_a_phone_and_the_provider_completes_the_referral(
    browser: Browser,
    page: Page,
    page_problems: PageProblems,
    live_server: LiveServer,
    make_user: Callable[..., User],
    camden_trust: Organisation,
    haringey: Area,
) -> None:
    provider_org = Organisation.objects.create(
        name="Wood Green Voluntary Action",
        kind=Organisation.Kind.VOLUNTARY_SECTOR,
        area=haringey,
    )
    worker = make_user(Role.FRONTLINE_WORKER, camden_trust, full_name="Wendy Worker")
    provider = make_user(Role.SERVICE_PROVIDER, provider_org, full_name="Pat Provider")
    smoking = ActivityTopicFactory(slug="smoking", name="Smoking", snomed_code="710081004")
    stop_smoking = ActivityServiceFactory(
        name="Stop Smoking Camden", provider=provider_org, topics=[smoking]
    )
    quitline = ActivityServiceFactory(
        name="Quitline",
        provider=provider_org,
        topics=[smoking],
        referral_route=Service.ReferralRoute.SIGNPOST_ONLY,
    )

    # --- The worker, on a 390 px wide phone --------------------------------------------
    page.set_viewport_size(PHONE)
    sign_in(page, worker.email, TEST_PASSWORD)
    page.goto(reverse("referrals:conversation_log"))
    expect(page.locator("h1")).to_have_text("Log a conversation")
    check(page, "log-a-conversation")

    page.get_by_label("Smoking").check()
    # htmx swaps in the services for the topic and borough.
    expect(page.get_by_label("Quitline")).to_be_visible()
    page.get_by_label("Quitline").check()
    page.get_by_label("Very brief advice").check()
    page.get_by_label("Referred").check()
    page.get_by_label("Where were you?").select_option("outpatients")
    check(page, "log-a-conversation-with-services")
    page.get_by_role("button", name="Save", exact=True).click()

    conversation = Conversation.objects.get(author=worker)
    expect(page).to_have_url(
        re.compile(re.escape(reverse("referrals:conversation_detail", args=[conversation.uuid])))
    )
    assert conversation.referrals.get().service_id == quitline.pk
    check(page, "conversation")

    page.get_by_role("button", name="Refer to Stop Smoking Camden").click()
    expect(page.locator("h1")).to_have_text("Refer to Stop Smoking Camden")
    check(page, "referral-form")
    page.get_by_label("The resident agrees to share these contact details").check()
    page.get_by_label("Resident's name").fill("Ada Resident")
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_text("Referral sent to Stop Smoking Camden")).to_be_visible()
    referral = Referral.objects.get(kind=Referral.Kind.REFERRAL)
    assert referral.service_id == stop_smoking.pk
    check(page, "referral-sent")

    # --- The provider, in a browser of their own ----------------------------------------
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    provider_page = context.new_page()
    provider_page.on("pageerror", page_problems.on_page_error)
    provider_page.on("response", page_problems.on_response)
    try:
        sign_in(provider_page, provider.email, TEST_PASSWORD)
        provider_page.goto(reverse("referrals:referral_inbox"))
        check(provider_page, "referral-inbox")
        provider_page.get_by_role(
            "link", name=re.compile(referral.created_at.strftime("%Y"))
        ).click()
        expect(provider_page.locator("h1")).to_have_text("Referral to Stop Smoking Camden")
        check(provider_page, "provider-referral")

        provider_page.get_by_role("button", name="Show contact details").click()
        expect(provider_page.locator("#contact-details")).to_contain_text("07700 900123")
        assert AuditEvent.objects.filter(action="referral.contact_viewed").count() == 1
        check(provider_page, "provider-contact-details")

        provider_page.get_by_label("Accept").check()
        provider_page.get_by_role("button", name="Save").click()
        expect(provider_page.get_by_text("Referral updated.")).to_be_visible()
        provider_page.get_by_label("Completed").check()
        provider_page.get_by_role("button", name="Save").click()
        expect(provider_page.locator(".nhsuk-tag").first).to_have_text("Completed")
        check(provider_page, "provider-completed")
    finally:
        context.close()

    # --- Back to the worker: the timeline -------------------------------------------------
    page.goto(reverse("referrals:referral_detail", args=[referral.uuid]))
    timeline = page.locator(".referrals-timeline")
    expect(timeline).to_contain_text("Referral sent")
    expect(timeline).to_contain_text("Accepted by the service")
    expect(timeline).to_contain_text("Completed")
    expect(page.locator("main")).not_to_contain_text("07700 900123")
    check(page, "referrer-timeline")
    page_problems.assert_none()
