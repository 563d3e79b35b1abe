"""A commissioner signs in, is made to set up two-factor authentication, and reaches home.

Commissioners must use MFA (accounts.middleware.MFARequiredMiddleware), so the first sign-in
goes through allauth's authenticator-app set-up before any other page.
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from accounts.models import Area, Role, User
from tests.factories import TEST_PASSWORD
from tests.system.axe import assert_no_axe_violations, axe_violations, describe_violations
from tests.system.harness import PageProblems, path_of
from tests.system.screens import at_each_width, screenshot

pytestmark = pytest.mark.browser

SIGN_IN_BUTTON = re.compile(r"^\s*(sign|log)\s*in\s*$", re.IGNORECASE)
# Enter a code only with this much of its 30-second window left, so it is still valid
# when the server checks it (allauth's default tolerance is zero windows).
MIN_SECONDS_LEFT = 5


def submit_button(form: Locator) -> Locator:
    return form.locator("button[type=submit], input[type=submit]").first


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto(reverse("account_login"))
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    button = form.get_by_role("button", name=SIGN_IN_BUTTON)
    (button if button.count() == 1 else submit_button(form)).click()


def read_totp_secret(page: Page) -> str:
    """The secret shown beside the QR code (#totp-secret), or allauth's default field."""
    portal = page.locator("#totp-secret")
    if portal.count():
        secret = portal.first.inner_text()
    else:
        warnings.warn(
            "The TOTP page has no #totp-secret element: read allauth's default "
            "#authenticator_secret field instead (templates/mfa/totp/activate_form.html).",
            stacklevel=2,
        )
        secret = page.locator("#authenticator_secret").input_value()
    secret = re.sub(r"\s+", "", secret)
    assert re.fullmatch(r"[A-Z2-7]+=*", secret, re.IGNORECASE), f"not a base32 secret: {secret!r}"
    return secret


def current_totp(secret: str) -> str:
    """RFC 6238 code for now (allauth's own HOTP), waiting out the end of a window."""
    period = mfa_settings.TOTP_PERIOD
    deadline = time.monotonic() + MIN_SECONDS_LEFT + 1
    while period - time.time() % period < MIN_SECONDS_LEFT:
        assert time.monotonic() < deadline, "the clock did not move on to the next window"
        time.sleep(0.25)
    code: str = format_hotp_value(hotp_value(secret, int(time.time()) // period))
    return code


def test_the_sign_in_page_has_no_accessibility_violations(
    page: Page, page_problems: PageProblems
) -> None:
    page.goto(reverse("account_login"))
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("input[name=login]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()
    for width in at_each_width(page):
        screenshot(page, f"sign-in-{width}")
        assert_no_axe_violations(page, f"sign-in page ({width})")
    page_problems.assert_none()


def test_a_commissioner_signs_in_sets_up_two_factor_and_reaches_home(
    page: Page,
    page_problems: PageProblems,
    make_user: Callable[..., User],
    camden: Area,
) -> None:
    user = make_user(Role.COMMISSIONER, camden, full_name="Cora Commissioner")
    assert not Authenticator.objects.filter(user=user).exists()
    # Every page on the way is checked; all findings are reported together at the end so
    # one page's problems do not hide the rest of the journey.
    audit: dict[str, list[dict[str, Any]]] = {}

    def check(name: str) -> None:
        screenshot(page, f"{name}-desktop")
        audit[f"{name} ({page.url})"] = axe_violations(page, name)

    sign_in(page, user.email, TEST_PASSWORD)

    # The role needs MFA: the portal sends the commissioner to set it up first.
    activate = reverse("mfa_activate_totp")
    expect(page).to_have_url(re.compile(re.escape(reverse("mfa_index")) + "$"))
    check("mfa-required")
    page.locator(f'main a[href="{activate}"]').first.click()
    if path_of(page.url) == reverse("account_reauthenticate"):
        # allauth asks for the password again before adding an authenticator.
        check("mfa-reauthenticate")
        form = page.locator("form:has(input[name=password])")
        form.locator("input[name=password]").fill(TEST_PASSWORD)
        submit_button(form).click()
    expect(page).to_have_url(re.compile(re.escape(activate) + "$"))
    expect(page.locator("input[name=code]")).to_be_visible()
    check("mfa-activate-totp")

    secret = read_totp_secret(page)
    form = page.locator("form:has(input[name=code])")
    form.locator("input[name=code]").fill(current_totp(secret))
    submit_button(form).click()

    # The code was accepted: the user has an authenticator app now.
    expect(page).not_to_have_url(re.compile(re.escape(activate) + "$"))
    activated = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert activated, f"TOTP not activated; {page.url} says:\n{page.locator('body').inner_text()}"
    if path_of(page.url) == reverse("mfa_view_recovery_codes"):
        # The recovery codes the user must keep are on the page.
        codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
        expect(page.locator("main")).to_contain_text(RecoveryCodes(codes).get_unused_codes()[0])
        check("mfa-recovery-codes")

    page.goto(reverse("home"))
    expect(page).to_have_url(re.compile(re.escape(reverse("home")) + "$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^\s*Hello"))
    expect(page.get_by_role("heading", name="Commissioner", level=2)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Camden")
    for width in at_each_width(page):
        screenshot(page, f"home-commissioner-{width}")
        audit[f"home page, commissioner ({width})"] = axe_violations(page, f"home-{width}")

    found = {name: v for name, v in audit.items() if v}
    assert not found, "\n\n".join(describe_violations(n, "", v) for n, v in found.items())
    page_problems.assert_none()
