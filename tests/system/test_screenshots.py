"""Screenshots of each demo role's main pages at desktop and phone width (issue 6, item 8).

A role's main pages are its home page and every page its header navigation links to (so a
new navigation item is photographed without a change here). Each is saved, full length, as
test-artifacts/screenshots/<role>/<page>-<width>.png at 1280 and 390 CSS px wide; CI keeps
test-artifacts/, for people to look at. Each page must also fit its width (no sideways
scrolling).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

import tests.system.test_every_page_axe as crawl_test
from tests.system.harness import path_of
from tests.system.screens import DESKTOP, PHONE, SCREENSHOTS, safe_name

pytestmark = pytest.mark.browser

WIDTHS: dict[str, ViewportSize] = {"1280": DESKTOP, "390": PHONE}
NAV_LINKS_JS = """
() => [...document.querySelectorAll('nav.nhsuk-header__navigation a[href^="/"]')]
  .map((a) => ({href: a.getAttribute('href'), text: a.textContent.trim()}))
"""


def main_pages(page: Page) -> dict[str, str]:
    """Page name -> path: home, then each page the header navigation links to."""
    page.goto(reverse("home"))
    pages = {"home": path_of(page.url)}
    if page.locator("header").get_by_text("Sign out").count() == 0:
        pages["sign-in"] = reverse("account_login")  # a visitor's main page besides home
    for link in page.evaluate(NAV_LINKS_JS):
        name = safe_name(link["text"].lower()) or safe_name(link["href"])
        if link["href"] not in pages.values():
            pages[name] = link["href"]
    return pages


def test_each_role_s_main_pages_are_photographed_at_desktop_and_phone_width(
    browser: Browser, live_server: LiveServer
) -> None:
    call_command("seed_demo", verbosity=0)
    saved = []
    problems = []
    for role, email in crawl_test.ROLES.items():
        folder = SCREENSHOTS / safe_name(role)
        folder.mkdir(parents=True, exist_ok=True)
        page = crawl_test.sign_in_context(browser, live_server, email)
        try:
            pages = main_pages(page)
            if email is not None and len(pages) < 2:
                problems.append(f"{role}: the header has no navigation links")
            for name, path in pages.items():
                for width, size in WIDTHS.items():
                    page.set_viewport_size(size)
                    response = page.goto(path)
                    if response is None or response.status >= 400:
                        problems.append(f"{role}: {path} answered {response and response.status}")
                        continue
                    overflow = page.evaluate(
                        "() => document.documentElement.scrollWidth - window.innerWidth"
                    )
                    if overflow > 0:
                        problems.append(f"{role}: {path} is {overflow}px too wide at {width}px")
                    target = folder / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    saved.append(target)
        finally:
            page.context.close()
    assert not problems, "\n".join(problems)
    assert all(path.stat().st_size > 5_000 for path in saved), "an empty screenshot was saved"
    assert len(saved) >= 2 * len(crawl_test.ROLES) * 2
