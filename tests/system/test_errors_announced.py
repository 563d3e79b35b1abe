"""Errors are announced and linked (issue 6, item 6): with JavaScript on, a form sent with
mistakes puts focus on the NHS.UK error summary (an alert, read out at once), and following
each of its links with the keyboard moves focus to the field in error.

The forms are one of each kind of field: checkboxes and radios (log a conversation), text
(a new topic), a date in three boxes and selects (a new training session).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

import tests.system.test_every_page_axe as crawl_test
from tests.system.keyboard import tab_to

pytestmark = pytest.mark.browser

# (role, page, the submit button's name)
FORMS = [
    ("frontline worker", "referrals:conversation_log", "save"),
    ("commissioner (partnership)", "referrals:topic_create", ""),
    ("trainer", "training:session_create", "save"),
]


def submit_with_the_keyboard(page: Page, button: str) -> None:
    selector = f"main form button[name={button}]" if button else "main form button[type=submit]"
    tab_to(page, selector)
    page.keyboard.press("Enter")


def check_error_summary(page: Page, where: str) -> int:
    """The summary has focus and is an alert; each link, followed, focuses its field."""
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("[role=alert]")).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    hrefs: list[str] = summary.locator("a").evaluate_all(
        "links => links.map((a) => a.getAttribute('href'))"
    )
    assert hrefs, f"{where}: the error summary has no links to the fields"
    for href in hrefs:
        summary.focus()
        tab_to(page, f'.nhsuk-error-summary a[href="{href}"]')
        page.keyboard.press("Enter")
        focused = page.evaluate("() => document.activeElement && document.activeElement.id")
        assert f"#{focused}" == href, (
            f"{where}: following the error link {href} put focus on #{focused}, not the field"
        )
        # The field and its label (or legend) are on screen: the user sees what the error is.
        visible = page.evaluate(
            """(id) => {
                const el = document.getElementById(id);
                const shown = (node) => {
                  if (!node) return false;
                  const box = node.getBoundingClientRect();
                  return box.bottom > 0 && box.top < window.innerHeight;
                };
                const legend = el.closest('fieldset')?.querySelector('legend');
                return shown(el) && (shown(el.labels?.[0]) || shown(legend));
            }""",
            href[1:],
        )
        assert visible, f"{where}: after following {href}, the field's label is off screen"
    return len(hrefs)


def test_errors_are_announced_and_each_link_moves_focus_to_its_field(
    browser: Browser, live_server: LiveServer
) -> None:
    call_command("seed_demo", verbosity=0)
    links = 0
    for role, route, button in FORMS:
        page = crawl_test.sign_in_context(browser, live_server, crawl_test.ROLES[role])
        try:
            page.goto(reverse(route))
            submit_with_the_keyboard(page, button)
            links += check_error_summary(page, f"{route} as {role}")
        finally:
            page.context.close()
    assert links >= 6, f"only {links} error links were followed"
