"""The main journeys with the keyboard only (issue 6, item 2), on the demo data.

Each journey is driven with Tab, Shift+Tab, Enter, Space, arrow keys and typing — never a
mouse click. On every page it passes through, `tab_through` checks that every control can be
reached with Tab, that each shows a visible focus indicator, and that Tab carries on to the
end of the page (no keyboard trap). Each journey then checks its result was saved.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

import tests.system.test_every_page_axe as crawl_test
from referrals.models import Conversation, Referral
from tests.system.keyboard import focus_is, start_from_top, tab_through, tab_to
from training.models import Booking
from training.models import Session as TrainingSession

pytestmark = pytest.mark.browser

FRONTLINE = crawl_test.ROLES["frontline worker"]
TRAINER = crawl_test.ROLES["trainer"]
COMMISSIONER = crawl_test.ROLES["commissioner (partnership)"]
# The journeys below, as the accessibility statement names them.
JOURNEYS = (
    "logging a conversation and signposting",
    "booking a training session",
    "taking a register",
    "filtering the dashboard",
)


@pytest.fixture
def demo(live_server: LiveServer) -> None:
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def signed_in(browser: Browser, live_server: LiveServer) -> Iterator[dict[str, Page]]:
    pages: dict[str, Page] = {}

    yield pages
    for page in pages.values():
        page.context.close()


def open_as(
    browser: Browser, live_server: LiveServer, pages: dict[str, Page], email: str | None
) -> Page:
    page = crawl_test.sign_in_context(browser, live_server, email)
    pages[email or "anonymous"] = page
    return page


def assert_keyboard_accessible(page: Page, where: str) -> None:
    walk = tab_through(page)
    assert walk.controls, f"{where}: no controls found: the check would prove nothing"
    problems = walk.problems(where)
    assert not problems, "\n".join(problems)
    start_from_top(page)


def press_on(page: Page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


def test_frontline_worker_logs_a_conversation_and_signposts_with_the_keyboard(
    browser: Browser, live_server: LiveServer, demo: None, signed_in: dict[str, Page]
) -> None:
    assert FRONTLINE is not None
    page = open_as(browser, live_server, signed_in, FRONTLINE)
    before = Conversation.objects.filter(author__email=FRONTLINE).count()
    page.goto(reverse("home"))
    assert_keyboard_accessible(page, "home (frontline worker)")

    # From the home page to "Log a conversation" by following the link with Enter.
    press_on(page, f'a[href="{reverse("referrals:conversation_log")}"]')
    expect(page.locator("h1")).to_have_text("Log a conversation")
    assert_keyboard_accessible(page, "log a conversation")

    # Choose a topic with Space; htmx lists the matching services.
    press_on(page, "input[name=topics]", "Space")
    expect(page.locator("input[name=signposts]").first).to_be_visible()
    assert_keyboard_accessible(page, "log a conversation, services listed")
    start_from_top(page)
    press_on(page, "input[name=signposts]", "Space")
    signposted = page.evaluate(
        "() => document.querySelector('input[name=signposts]:checked').value"
    )
    # Radio groups: Tab into the group, arrow keys choose.
    tab_to(page, "input[name=mecc_level]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=outcome]")
    page.keyboard.press("Space")
    tab_to(page, "select[name=setting]")
    page.keyboard.press("ArrowDown")
    tab_to(page, "button[name=save]")
    assert focus_is(page, "button[name=save]")
    page.keyboard.press("Enter")

    expect(page.locator("h1")).not_to_have_text("Log a conversation")
    conversations = Conversation.objects.filter(author__email=FRONTLINE)
    assert conversations.count() == before + 1
    conversation = conversations.order_by("-pk").first()
    assert conversation is not None
    assert conversation.referrals.filter(
        kind=Referral.Kind.SIGNPOST, service__uuid=signposted
    ).exists()
    assert_keyboard_accessible(page, "conversation page")


def test_frontline_worker_books_a_session_with_the_keyboard(
    browser: Browser, live_server: LiveServer, demo: None, signed_in: dict[str, Page]
) -> None:
    assert FRONTLINE is not None
    session = (
        TrainingSession.objects.filter(starts_at__gte=timezone.now())
        .exclude(status=TrainingSession.Status.CANCELLED)
        .exclude(bookings__learner__email=FRONTLINE)
        .annotate(booked=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED)))
        .filter(booked__lt=F("capacity"))
        .order_by("starts_at")
        .first()
    )
    assert session is not None, "the demo data has no session with a place for the worker"
    page = open_as(browser, live_server, signed_in, FRONTLINE)
    page.goto(reverse("training:catalogue"))
    assert_keyboard_accessible(page, "training catalogue")
    page.goto(reverse("training:session_detail", args=[session.pk]))
    assert_keyboard_accessible(page, "session page")
    press_on(page, "main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("Booked")
    assert Booking.objects.filter(
        session=session, learner__email=FRONTLINE, status=Booking.Status.BOOKED
    ).exists()
    assert_keyboard_accessible(page, "session page, booked")


def test_trainer_takes_a_register_with_the_keyboard(
    browser: Browser, live_server: LiveServer, demo: None, signed_in: dict[str, Page]
) -> None:
    assert TRAINER is not None
    session = (
        TrainingSession.objects.filter(
            starts_at__lt=timezone.now(), trainers__email=TRAINER, bookings__isnull=False
        )
        .order_by("-starts_at")
        .first()
    )
    assert session is not None, "the demo data has no past session of the trainer's"
    page = open_as(browser, live_server, signed_in, TRAINER)
    page.goto(reverse("training:sessions_manage"))
    assert_keyboard_accessible(page, "your sessions (trainer)")
    page.goto(reverse("training:session_register", args=[session.pk]))
    expect(page.locator("h1")).to_have_text("Register")
    assert_keyboard_accessible(page, "register")

    names = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('main form input[type=radio]')]"
        ".map((r) => r.name))]"
    )
    assert names, "the register lists nobody"
    chosen: dict[int, str] = {}
    for name in names:
        tab_to(page, f"input[name={name}]")
        already = page.evaluate(f"() => !!document.querySelector('input[name={name}]:checked')")
        # An unmarked person: Space marks the first choice; a marked one: the arrow changes it.
        page.keyboard.press("ArrowDown" if already else "Space")
        chosen[int(name.removeprefix("booking_"))] = page.evaluate(
            f"() => document.querySelector('input[name={name}]:checked').value"
        )
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_contain_text("The register is saved")
    saved = dict(Booking.objects.filter(pk__in=chosen).values_list("pk", "status"))
    assert saved == chosen
    assert_keyboard_accessible(page, "register, saved")


def test_commissioner_filters_the_dashboard_with_the_keyboard(
    browser: Browser, live_server: LiveServer, demo: None, signed_in: dict[str, Page]
) -> None:
    assert COMMISSIONER is not None
    page = open_as(browser, live_server, signed_in, COMMISSIONER)
    page.goto(reverse("evaluation:dashboard"))
    expect(page.locator("h1")).to_have_text("Dashboard")
    assert_keyboard_accessible(page, "dashboard")

    # Choose the second borough and the last period with the arrow keys, then apply.
    tab_to(page, "select[name=area]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    area = page.evaluate("() => document.querySelector('select[name=area]').value")
    tab_to(page, "select[name=period]")
    page.keyboard.press("End")
    period = page.evaluate("() => document.querySelector('select[name=period]').value")
    assert area and period
    tab_to(page, "input[name=apply], button[name=apply]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**area={area}**")
    assert f"period={period}" in page.url
    expect(page.locator("select[name=area]")).to_have_value(area)
    expect(page.locator("main")).not_to_contain_text("There is a problem")
    assert_keyboard_accessible(page, "dashboard, filtered")


def test_the_keyboard_checks_catch_a_hidden_focus_an_unreachable_control_and_a_trap(
    page: Page,
) -> None:
    """The checks above can fail: a page with each fault is reported."""
    page.set_content(
        "<style>a:focus{outline:none} button:focus{outline:3px solid gold}</style>"
        "<a href='#one'>Visible focus? no</a>"
        "<button>Focus shown</button>"
        "<div tabindex='-1'><a href='#x' tabindex='-1'>Not in the tab order</a></div>"
        "<input id='trap' aria-label='Trap' "
        "onkeydown=\"if (event.key === 'Tab') event.preventDefault()\">"
    )
    problems = "\n".join(tab_through(page).problems("fault page"))
    assert "no visible focus indicator on: a" in problems
    assert "Focus shown" not in problems.split("no visible focus indicator on:")[1]
    assert 'not reachable with Tab: a "Not in the tab order"' in problems
    assert "keyboard trap" in problems
