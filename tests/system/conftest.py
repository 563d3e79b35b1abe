"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

Never `playwright install`: the browser is /usr/bin/chromium from apt (`.ci/run` installs it).
Without it these tests fail, saying so; `make test` deselects them by marker.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.system.harness import PageProblems
from tests.system.screens import ARTIFACTS, DESKTOP, safe_name

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 15_000
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/system is a browser test, even if a marker is missed."""
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item so the page fixture can save evidence on failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install -y chromium`; "
            "`.ci/run` does this). Browser tests never use `playwright install`.",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # (making users, checking rows) are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page_problems(live_server: LiveServer) -> PageProblems:
    return PageProblems(origin=live_server.url)


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: LiveServer,
    page_problems: PageProblems,
) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test, at desktop size, on the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    new_page = context.new_page()
    new_page.on("console", page_problems.on_console)
    new_page.on("pageerror", page_problems.on_page_error)
    new_page.on("response", page_problems.on_response)
    new_page.on("requestfailed", page_problems.on_request_failed)
    try:
        yield new_page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            failures = ARTIFACTS / "failures"
            failures.mkdir(parents=True, exist_ok=True)
            name = safe_name(request.node.name)
            try:
                new_page.screenshot(path=str(failures / f"{name}.png"), full_page=True)
                (failures / f"{name}.html").write_text(new_page.content(), encoding="utf-8")
                (failures / f"{name}.url.txt").write_text(new_page.url, encoding="utf-8")
            except Exception as exc:  # evidence is best effort; the test already failed
                (failures / f"{name}.error.txt").write_text(repr(exc), encoding="utf-8")
        context.close()
