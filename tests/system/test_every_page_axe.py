"""Every page of the portal, as each role sees it, meets WCAG 2.2 AA (issue 6, items 1, 3, 6).

The pages come from the URL configuration (tests/system/crawl.py): a URL pattern that is
neither visited here nor listed in crawl.NOT_VISITED with a reason fails the test. Each role
of the demo data (`seed_demo`) plus an anonymous visitor opens every route once; on each page
that role can see, the test runs axe-core (WCAG 2.0/2.1/2.2 A and AA), checks the title,
language and headings, and checks reflow at 320 CSS px. An error page (403/404) or a redirect
to a page already checked is checked once, not again for every route.
All findings are reported together at the end, each naming the role, page, rule and element.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

from accounts.models import Organisation, User
from evaluation.models import Invitation, OrganisationReturn, ReturnPeriod
from referrals.models import Conversation, Referral, Service, Topic
from referrals.presenters.activity import short_code
from tests.system.axe import axe_violations, describe_violations
from tests.system.crawl import (
    NOT_VISITED,
    PAGE_CHECKS_JS,
    Route,
    not_visited_reason,
    reflow_problems,
    structure_problems,
    url_patterns,
)
from tests.system.harness import path_of
from tests.system.screens import DESKTOP
from training.models import Booking, Completion, CompletionImport, Course, QualityAssessment
from training.models import Session as TrainingSession
from training.services.imports import completion_import_upload

pytestmark = pytest.mark.browser

REFLOW_WIDTH = 320
REFLOW = ViewportSize(width=REFLOW_WIDTH, height=800)
# The demo users by role (accounts/demo.py), and the anonymous visitor.
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "frontline worker": "frontline@fleetvalley.nhs.example",
    "trainer": "trainer@camden.council.example",
    "training lead": "training.lead@fleetvalley.nhs.example",
    "service provider": "provider@woodgreenva.org.example",
    "commissioner (partnership)": "commissioner@nclicb.nhs.example",
    "commissioner (borough)": "commissioner@haringey.council.example",
    "administrator": "admin@nclicb.nhs.example",
}
PROVIDER_ORGANISATION = "Wood Green Voluntary Action"
FRONTLINE_EMAIL = "frontline@fleetvalley.nhs.example"
# The crawl must stay bounded (the brief: under about three minutes).
TIME_BUDGET_SECONDS = 360

Kwargs = dict[str, Any]
T = TypeVar("T")


def _first(value: T | None, what: str) -> T:
    assert value is not None, f"the demo data has no {what}: the crawl cannot open its page"
    return value


def route_kwargs() -> dict[str, Callable[[], Kwargs]]:
    """How to fill each parameterised route from the demo data (one object per route)."""
    now = timezone.now()

    def service() -> Service:
        found = Service.objects.filter(provider__name=PROVIDER_ORGANISATION).order_by("pk").first()
        return _first(found, f"service run by {PROVIDER_ORGANISATION}")

    def conversation() -> Conversation:
        found = Conversation.objects.filter(author__email=FRONTLINE_EMAIL).order_by("-pk").first()
        return _first(found, "conversation logged by the frontline worker")

    def referral() -> Referral:
        found = (
            Referral.objects.filter(service__provider__name=PROVIDER_ORGANISATION)
            .order_by("-pk")
            .first()
        ) or Referral.objects.order_by("-pk").first()
        return _first(found, "referral")

    def session() -> TrainingSession:
        found = (
            TrainingSession.objects.filter(starts_at__gte=now)
            .exclude(status=TrainingSession.Status.CANCELLED)
            .order_by("starts_at")
            .first()
        )
        return _first(found, "upcoming training session")

    def past_session() -> TrainingSession:
        found = (
            TrainingSession.objects.filter(starts_at__lt=now, bookings__status="attended")
            .order_by("-starts_at")
            .first()
        )
        return _first(found, "past session with attendees")

    def booking() -> Booking:
        found = (
            Booking.objects.filter(learner__email=FRONTLINE_EMAIL, status=Booking.Status.BOOKED)
            .order_by("pk")
            .first()
        )
        return _first(found, "booking of the frontline worker")

    def invitation() -> Invitation:
        found = (
            Invitation.objects.filter(learner__email=FRONTLINE_EMAIL, response__isnull=True)
            .order_by("pk")
            .first()
        ) or Invitation.objects.filter(response__isnull=True).order_by("pk").first()
        return _first(found, "open survey invitation")

    def submitted_return() -> OrganisationReturn:
        found = (
            OrganisationReturn.objects.filter(submitted_at__isnull=False).order_by("-pk").first()
        )
        return _first(found, "submitted organisation return")

    def organisation() -> Organisation:
        return Organisation.objects.get(email_domains__domain="fleetvalley.nhs.example")

    def period() -> ReturnPeriod:
        return _first(ReturnPeriod.objects.order_by("-pk").first(), "return period")

    def attended_booking() -> Booking:
        found = Booking.objects.filter(status="attended").order_by("-pk").first()
        return _first(found, "attended booking")

    def completion() -> Completion:
        return _first(Completion.objects.order_by("pk").first(), "completion")

    def completion_import() -> CompletionImport:
        """The demo has no uploads: the training lead uploads one (one good row, one bad)."""
        found = CompletionImport.objects.order_by("pk").first()
        if found is not None:
            return found
        lead = User.objects.get(email=ROLES["training lead"])
        course = _first(Course.objects.order_by("pk").first(), "course")
        return completion_import_upload(
            actor=lead,
            organisation=organisation(),
            filename="lms-export.csv",
            content=(
                "Email,Course,Completed_on,Certificate_number\n"
                f"{FRONTLINE_EMAIL},{course.title},2024-03-27,LMS-001\n"
                "nobody@example.org,No such course,2024-13-01,\n"
            ),
        )

    return {
        "account_confirm_email": lambda: {"key": "no-such-key"},
        "account_reset_password_from_key": lambda: {"uidb36": "0", "key": "no-such-key"},
        "mfa_remove_webauthn": lambda: {"pk": 0},
        "mfa_edit_webauthn": lambda: {"pk": 0},
        "certificate_verify": lambda: {
            "code": _first(
                Completion.objects.order_by("pk").first(), "completion"
            ).verification_code
        },
        "training:course_detail": lambda: {"pk": session().course_id},
        "training:course_edit": lambda: {"pk": session().course_id},
        "training:session_detail": lambda: {"pk": session().pk},
        "training:session_book_staff": lambda: {"pk": session().pk},
        "training:booking_cancel": lambda: {"pk": booking().pk},
        "training:session_edit": lambda: {"pk": session().pk},
        "training:session_cancel": lambda: {"pk": session().pk},
        "training:session_register": lambda: {"pk": past_session().pk},
        "training:quality_detail": lambda: {
            "pk": _first(QualityAssessment.objects.order_by("pk").first(), "quality assessment").pk
        },
        "training:quality_edit": lambda: {
            "pk": _first(QualityAssessment.objects.order_by("pk").first(), "quality assessment").pk
        },
        "training:import_preview": lambda: {"pk": completion_import().pk},
        "referrals:service_detail": lambda: {"service_uuid": service().uuid},
        "referrals:service_edit": lambda: {"service_uuid": service().uuid},
        "referrals:service_report_problem": lambda: {"service_uuid": service().uuid},
        "referrals:service_locations_edit": lambda: {"service_uuid": service().uuid},
        "referrals:service_hours_edit": lambda: {"service_uuid": service().uuid},
        "referrals:service_contacts_edit": lambda: {"service_uuid": service().uuid},
        "referrals:topic_edit": lambda: {
            "slug": _first(Topic.objects.order_by("pk").first(), "topic").slug
        },
        "referrals:service_public": lambda: {"service_uuid": service().uuid},
        "referrals:conversation_detail": lambda: {"conversation_uuid": conversation().uuid},
        "referrals:conversation_edit": lambda: {"conversation_uuid": conversation().uuid},
        "referrals:referral_create": lambda: {
            "conversation_uuid": conversation().uuid,
            "service_uuid": service().uuid,
        },
        "referrals:service_share": lambda: {"service_uuid": service().uuid},
        "referrals:service_short_link": lambda: {"code": short_code(service().pk)},
        "referrals:referral_detail": lambda: {"referral_uuid": referral().uuid},
        "evaluation:workforce_edit": lambda: {"organisation_id": organisation().pk},
        "evaluation:return_edit": lambda: {
            "organisation_id": organisation().pk,
            "period_id": period().pk,
        },
        "evaluation:return_detail": lambda: {"pk": submitted_return().pk},
        "evaluation:return_reopen": lambda: {"pk": submitted_return().pk},
        "evaluation:survey_take": lambda: {"token": invitation().token},
        "evaluation:survey_done": lambda: {"token": invitation().token},
        "evaluation:post_course_survey": lambda: {"booking_id": attended_booking().pk},
        "evaluation:session_results": lambda: {"session_id": past_session().pk},
    }


def crawl_plan() -> tuple[list[tuple[Route, str]], list[str]]:
    """The routes to visit with their paths, and the routes nobody said what to do with."""
    fillers = route_kwargs()
    to_visit: list[tuple[Route, str]] = []
    unaccounted: list[str] = []
    names = {route.name for route in url_patterns()}
    # A stale entry (the route was renamed or removed) is reported too.
    unaccounted.extend(
        f"{name} is listed in crawl.NOT_VISITED or route_kwargs() but is not a URL name"
        for name in sorted((set(NOT_VISITED) | set(fillers)) - names)
    )
    for route in url_patterns():
        if not_visited_reason(route):
            continue
        if route.params:
            filler = fillers.get(route.name)
            if filler is None:
                unaccounted.append(f"{route.name} ({route.pattern})")
                continue
            to_visit.append((route, reverse(route.name, kwargs=filler())))
        else:
            to_visit.append((route, reverse(route.name)))
    return to_visit, unaccounted


def sign_in_context(browser: Browser, live_server: LiveServer, email: str | None) -> Page:
    """A fresh context, signed in as `email` via the session cookie (no MFA prompt)."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(15_000)
    if email is not None:
        user = User.objects.get(email=email)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def test_every_page_meets_wcag_22_aa_for_every_role(
    browser: Browser, live_server: LiveServer
) -> None:
    started = time.monotonic()
    call_command("seed_demo", verbosity=0)
    to_visit, unaccounted = crawl_plan()
    assert not unaccounted, (
        "These URL patterns are neither visited by the accessibility crawl nor listed in "
        "tests/system/crawl.py NOT_VISITED with a reason (add a filler in route_kwargs() or "
        "a reason):\n  " + "\n  ".join(unaccounted)
    )

    findings: dict[str, list[str]] = defaultdict(list)
    titles: dict[str, set[str]] = defaultdict(set)
    checked_once: set[str] = set()  # error pages and redirect targets already checked
    pages_checked = 0

    for role, email in ROLES.items():
        page = sign_in_context(browser, live_server, email)
        checked_for_role: set[str] = set()
        try:
            for route, path in to_visit:
                response = page.goto(path)
                status = response.status if response is not None else 0
                if status >= 500:
                    findings[f"{role}: {route.name} ({path})"].append(f"HTTP {status}")
                    continue
                final = path_of(page.url)
                if status >= 400:
                    key = f"error {status}"
                elif final != path:
                    key = f"redirect {role} {final}"
                else:
                    key = f"page {role} {final}"
                if key in checked_once or key in checked_for_role:
                    continue
                (checked_once if status >= 400 else checked_for_role).add(key)
                where = f"{role}: {route.name} ({page.url}, HTTP {status})"
                problems = check_page(page, where)
                pages_checked += 1
                if problems:
                    findings[where].extend(problems)
                if status < 400 and final == path:
                    titles[page.title()].add(route.name)
        finally:
            page.context.close()

    for title, names in titles.items():
        if len(names) > 1:
            findings[f"title {title!r}"].append(
                f"shared by different pages: {', '.join(sorted(names))}"
            )
    elapsed = time.monotonic() - started
    report = "\n\n".join(
        f"{where}:\n  " + "\n  ".join(problems) for where, problems in findings.items()
    )
    assert not findings, f"{len(findings)} page(s) with problems:\n\n{report}"
    assert pages_checked > len(to_visit), f"only {pages_checked} pages were checked"
    assert elapsed < TIME_BUDGET_SECONDS, f"the crawl took {elapsed:.0f}s"


def check_page(page: Page, where: str) -> list[str]:
    """axe-core, title/lang/headings at desktop width, then reflow at 320 CSS px."""
    problems: list[str] = []
    violations = axe_violations(page, where)
    if violations:
        problems.append(describe_violations("axe", "", violations))
    problems.extend(structure_problems(page.evaluate(PAGE_CHECKS_JS)))
    page.set_viewport_size(REFLOW)
    try:
        problems.extend(reflow_problems(page.evaluate(PAGE_CHECKS_JS), REFLOW_WIDTH))
    finally:
        page.set_viewport_size(DESKTOP)
    return problems
