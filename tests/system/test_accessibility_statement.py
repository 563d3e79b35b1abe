"""The accessibility statement says what the tests check, and stays true to them.

If a test's settings change (axe rule sets, widths, the demo roles, the forms checked
without JavaScript), this fails until templates/core/accessibility.html says so too.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

import tests.system.test_every_page_axe as crawl_test
from tests.system.axe import AXE_TAGS, assert_no_axe_violations
from tests.system.test_keyboard_journeys import JOURNEYS
from tests.system.test_screenshots import WIDTHS

pytestmark = pytest.mark.browser


def test_the_statement_says_how_the_portal_was_tested(page: Page) -> None:
    page.goto(reverse("accessibility"))
    expect(page.locator("h1")).to_have_text("Accessibility statement for the MECC Portal")
    tested = page.locator("#how-we-tested ~ ul").first
    text = page.locator("main").inner_text()
    for heading in (
        "Compliance status",
        "Non-accessible content",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Preparation of this accessibility statement",
        "How we tested this website",
        "What the tests do not check",
    ):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    for tag in AXE_TAGS:
        assert tag in text, f"the statement does not name the axe rule set {tag}"
    for width in (*WIDTHS, str(crawl_test.REFLOW_WIDTH)):
        assert f"{width} pixels" in text, f"the statement does not mention {width} pixels"
    for role in crawl_test.ROLES:
        words = role.split(" (")[0].replace("anonymous", "not signed in")
        assert words in text.lower(), f"the statement does not mention the {role} role"
    for journey in JOURNEYS:
        assert journey in text, f"the statement does not mention the keyboard journey {journey!r}"
    expect(tested).to_contain_text("axe-core")
    expect(page.locator("main")).to_contain_text("manual audit with screen readers")
    assert_no_axe_violations(page, "accessibility-statement")
