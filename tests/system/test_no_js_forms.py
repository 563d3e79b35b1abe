"""Every form that creates or changes data works without JavaScript (issue 6, item 4).

The forms come from the URL configuration: a view that handles POST (tests/system/
post_views.py) must either have a case here, run in a browser with JavaScript switched off,
or be listed in `post_views.NOT_CHECKED_WITHOUT_JS` with the reason. Each case submits the
form once with a mistake (the NHS.UK error summary appears, its links point at fields on the
page) and once properly (the change is in the database and the page says so). The cases
run on the demo data (`seed_demo`), signed in as the demo user of the role that uses the form.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

import tests.system.test_every_page_axe as crawl_test
from accounts.demo import demo_password
from accounts.models import User
from core.models import AuditEvent
from evaluation.models import (
    Invitation,
    OrganisationReturn,
    Report,
    Standard,
    SurveyResponse,
    WorkforceHeadcount,
)
from referrals.models import Conversation, Referral, Service, Topic
from tests.referrals.oruk_schema import ORUK
from tests.system.conftest import DEFAULT_TIMEOUT_MS
from tests.system.post_views import NOT_CHECKED_WITHOUT_JS, post_view_names
from tests.system.screens import ARTIFACTS, DESKTOP, safe_name
from training.models import (
    Booking,
    CompletionImport,
    Course,
    QualityAssessment,
    TrainerAccreditation,
)
from training.models import Session as TrainingSession
from training.selectors.courses import courses_manageable
from training.selectors.sessions import sessions_manageable

pytestmark = pytest.mark.browser

ROLES = crawl_test.ROLES
FRONTLINE = "frontline worker"
TRAINER = "trainer"
LEAD = "training lead"
PROVIDER = "service provider"
COMMISSIONER = "commissioner (partnership)"
ADMIN = "administrator"
ANONYMOUS = "anonymous"
# An official Open Referral UK example: one service with everything attached.
ORUK_FILE = (ORUK / "examples" / "service_full.json").read_bytes()


@dataclass(frozen=True)
class FormCase:
    routes: tuple[str, ...]  # the URL names whose POST this case submits
    role: str
    run: Callable[[Page], None]


CASES: list[FormCase] = []


CaseRun = Callable[[Page], None]


def form_case(*routes: str, role: str) -> Callable[[CaseRun], CaseRun]:
    def register(run: CaseRun) -> CaseRun:
        CASES.append(FormCase(routes=routes, role=role, run=run))
        return run

    return register


# --- Checking what the page says -------------------------------------------------------------


def submit(page: Page, name: str | re.Pattern[str]) -> None:
    page.locator("main").get_by_role("button", name=name).first.click()


def assert_error_summary(page: Page, *, linked: bool = True) -> None:
    """The NHS.UK error summary is shown, as an alert, and each link points at a field."""
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("[role=alert]")).to_contain_text("There is a problem")
    hrefs: list[str] = summary.locator("a").evaluate_all(
        "links => links.map((a) => a.getAttribute('href'))"
    )
    if linked:
        assert hrefs, "the error summary has no links to the fields"
    for href in hrefs:
        assert href.startswith("#"), f"error summary link {href!r} is not to this page"
        target = page.locator(f'[id="{href[1:]}"]')
        assert target.count() == 1, f"error summary link {href} points at no field"
        tag = target.evaluate("(el) => el.tagName.toLowerCase()")
        assert tag in {"input", "select", "textarea", "fieldset", "div"}, (
            f"error summary link {href} points at a <{tag}>, not a field"
        )


def assert_saved(page: Page, message: str | re.Pattern[str]) -> None:
    """No error summary, and the success message (or the page saying so) is shown."""
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    expect(page.locator("body")).to_contain_text(message)


def fill_date(page: Page, prefix: str, day: date) -> None:
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def user(role: str) -> User:
    email = ROLES[role]
    assert email is not None
    return User.objects.get(email=email)


# --- Signing in, with and without JavaScript -------------------------------------------------


def no_js_page(browser: Browser, live_server: LiveServer, role: str) -> Page:
    """A browser with JavaScript switched off, signed in as the role's demo user."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="en-GB",
        timezone_id="Europe/London",
        java_script_enabled=False,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    email = ROLES[role]
    if email is not None:
        person = User.objects.get(email=email)
        if not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(person, generate_totp_secret())
        client = Client()
        client.force_login(person)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context.new_page()


# --- Accounts --------------------------------------------------------------------------------


@form_case("account_login", "account_logout", role=ANONYMOUS)
def sign_in_and_out(page: Page) -> None:
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(user(FRONTLINE).email)
    page.locator("input[name=password]").fill("not the password")
    submit(page, re.compile("sign in", re.I))
    assert_error_summary(page, linked=False)
    page.locator("input[name=password]").fill(demo_password())
    submit(page, re.compile("sign in", re.I))
    expect(page.locator("header")).to_contain_text("Sign out")
    page.locator("header").get_by_role("button", name="Sign out").click()
    expect(page.locator("header")).not_to_contain_text("Sign out")


# --- Conversations, signposts and referrals --------------------------------------------------


@form_case("referrals:conversation_log", role=FRONTLINE)
def log_a_conversation(page: Page) -> None:
    before = Conversation.objects.count()
    page.goto(reverse("referrals:conversation_log"))
    submit(page, "Save")
    assert_error_summary(page)
    for topic in page.locator("input[name=topics]").all():
        topic.check()
    # Without JavaScript, "Find services" reloads the page with the matching services.
    submit(page, "Find services")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    service = page.locator("input[name=signposts]").first
    expect(service).to_be_visible()
    service_uuid = service.get_attribute("value")
    service.check()
    page.get_by_label("Very brief advice").check()
    page.get_by_label("Signposted").check()
    submit(page, "Save")
    assert Conversation.objects.count() == before + 1
    conversation = Conversation.objects.order_by("-pk").first()
    assert conversation is not None
    assert conversation.referrals.filter(service__uuid=service_uuid).exists()
    expect(page).to_have_url(re.compile(str(conversation.uuid)))


def own_recent_conversation() -> Conversation:
    found = Conversation.objects.filter(author=user(FRONTLINE)).order_by("-created_at").first()
    assert found is not None and timezone.now() - found.created_at < timedelta(hours=1), (
        "log_a_conversation runs first and leaves a conversation to correct"
    )
    return found


@form_case("referrals:conversation_edit", role=FRONTLINE)
def correct_a_conversation(page: Page) -> None:
    conversation = own_recent_conversation()
    page.goto(reverse("referrals:conversation_edit", args=[conversation.uuid]))
    checked = page.locator("input[name=topics]:checked")
    while checked.count():
        checked.first.uncheck()
    submit(page, re.compile("save", re.I))
    assert_error_summary(page)
    for topic in page.locator("input[name=topics]").all():
        topic.check()
    page.get_by_label("Brief intervention").check()
    submit(page, re.compile("save", re.I))
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    conversation.refresh_from_db()
    assert conversation.mecc_level == "brief_intervention"


@form_case("referrals:signpost_create", role=FRONTLINE)
def signpost_from_a_conversation(page: Page) -> None:
    conversation = own_recent_conversation()
    page.goto(reverse("referrals:conversation_detail", args=[conversation.uuid]))
    before = conversation.referrals.count()
    button = page.locator("main").get_by_role("button", name=re.compile("^Signpost to")).first
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("main")).to_contain_text(re.compile("signposted|Signpost", re.I))
    assert conversation.referrals.count() == before + 1


@form_case("referrals:referral_create", role=FRONTLINE)
def refer_from_a_conversation(page: Page) -> None:
    conversation = own_recent_conversation()
    page.goto(reverse("referrals:conversation_detail", args=[conversation.uuid]))
    page.locator("main").get_by_role("button", name=re.compile("^Refer to")).first.click()
    expect(page.locator("h1")).to_contain_text("Refer to")
    submit(page, "Send referral")
    assert_error_summary(page)
    page.get_by_label("The resident agrees to share these contact details").check()
    page.get_by_label("Resident's name").fill("Ada Resident")
    page.get_by_label("Phone number").fill("07700 900123")
    submit(page, "Send referral")
    assert_saved(page, "Referral sent to")
    assert conversation.referrals.filter(kind=Referral.Kind.REFERRAL).exists()


@form_case("referrals:service_report_problem", role=FRONTLINE)
def report_a_problem_with_a_listing(page: Page) -> None:
    service = Service.objects.filter(status="active").order_by("pk").first()
    assert service is not None
    before = AuditEvent.objects.count()
    page.goto(reverse("referrals:service_report_problem", args=[service.uuid]))
    submit(page, "Send report")
    assert_error_summary(page)
    page.get_by_label("The opening times are wrong").check()
    page.get_by_label("Tell us more").fill("It now opens at 10am on Tuesdays.")
    submit(page, "Send report")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(re.compile("thank|sent", re.I))
    assert AuditEvent.objects.count() > before


# --- Training: booking, cancelling ----------------------------------------------------------


def open_session_for(role: str) -> TrainingSession:
    """A session more than a day away, with a free place, that the user has not booked."""
    found = (
        TrainingSession.objects.filter(starts_at__gte=timezone.now() + timedelta(days=1))
        .exclude(status=TrainingSession.Status.CANCELLED)
        .exclude(bookings__learner=user(role))
        .annotate(taken=Count("bookings", filter=Q(bookings__status__in=Booking.PLACE_HOLDING)))
        .filter(taken__lt=F("capacity"))
        .order_by("starts_at")
        .first()
    )
    assert found is not None, "the demo data has no session with a free place"
    return found


@form_case("training:session_book", "training:booking_cancel", role=FRONTLINE)
def book_and_cancel_a_place(page: Page) -> None:
    session = open_session_for(FRONTLINE)
    page.goto(reverse("training:session_detail", args=[session.pk]))
    submit(page, "Book a place")
    assert_saved(page, "Booked")
    booking = Booking.objects.get(session=session, learner=user(FRONTLINE))
    page.goto(reverse("training:booking_cancel", args=[booking.pk]))
    submit(page, re.compile("Yes, cancel"))
    assert_saved(page, "Your booking is cancelled")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


# --- Evaluation: survey ----------------------------------------------------------------------


@form_case("evaluation:survey_take", role=FRONTLINE)
def answer_a_survey(page: Page) -> None:
    invitation = (
        Invitation.objects.filter(learner=user(FRONTLINE), response__isnull=True)
        .order_by("pk")
        .first()
    )
    assert invitation is not None, "the demo data has no open survey for the worker"
    page.goto(reverse("evaluation:survey_take", args=[invitation.token]))
    submit(page, "Send your answers")
    assert_error_summary(page)
    for name in page.locator("main input[type=radio]").evaluate_all(
        "radios => [...new Set(radios.map((r) => r.name))]"
    ):
        page.locator(f"input[name={name}]").last.check()
    submit(page, "Send your answers")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    expect(page.locator("h1")).to_contain_text(re.compile("thank", re.I))
    assert SurveyResponse.objects.filter(invitation=invitation).exists()


@form_case("account_change_password", role=FRONTLINE)
def change_password(page: Page) -> None:
    page.goto(reverse("account_change_password"))
    page.get_by_label("Current password").fill("not the password")
    page.get_by_label("New password", exact=True).fill("a-new-long-passphrase-1")
    page.get_by_label("Confirm new password").fill("a-new-long-passphrase-1")
    submit(page, "Change password")
    assert_error_summary(page)
    page.get_by_label("Current password").fill(demo_password())
    page.get_by_label("New password", exact=True).fill("a-new-long-passphrase-1")
    page.get_by_label("Confirm new password").fill("a-new-long-passphrase-1")
    submit(page, "Change password")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    assert user(FRONTLINE).check_password("a-new-long-passphrase-1")


@form_case("account_signup", "account_reset_password", role=ANONYMOUS)
def sign_up_and_ask_for_a_password_reset(page: Page) -> None:
    page.goto(reverse("account_signup"))
    submit(page, re.compile("sign up|create", re.I))
    assert_error_summary(page)
    page.locator("input[name=email]").fill("new.starter@fleetvalley.nhs.example")
    page.get_by_label("Full name").fill("Nia Starter")
    page.get_by_label("Staff group").select_option(index=1)
    page.locator("input[name=password1]").fill("a-long-new-passphrase-9")
    page.locator("input[name=password2]").fill("a-long-new-passphrase-9")
    submit(page, re.compile("sign up|create", re.I))
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    assert User.objects.filter(email="new.starter@fleetvalley.nhs.example").exists()
    expect(page.locator("h1")).to_contain_text(re.compile("email", re.I))

    page.context.clear_cookies()
    page.goto(reverse("account_reset_password"))
    submit(page, re.compile("reset", re.I))
    assert_error_summary(page)
    page.locator("input[name=email]").fill(user(FRONTLINE).email)
    submit(page, re.compile("reset", re.I))
    expect(page).to_have_url(re.compile(reverse("account_reset_password_done")))


# --- Training: courses, sessions, registers (trainer and training lead) ----------------------


def manageable_session(role: str, *, past: bool) -> TrainingSession:
    now = timezone.now()
    sessions = sessions_manageable(user(role)).exclude(status=TrainingSession.Status.CANCELLED)
    found = (
        sessions.filter(starts_at__lt=now, bookings__isnull=False).order_by("-starts_at")
        if past
        else sessions.filter(starts_at__gt=now + timedelta(days=1)).order_by("starts_at")
    ).first()
    assert found is not None, f"the demo data has no {'past' if past else 'future'} session"
    return found


@form_case("training:session_create", role=TRAINER)
def create_a_session(page: Page) -> None:
    before = TrainingSession.objects.count()
    page.goto(reverse("training:session_create"))
    submit(page, "Create session")
    assert_error_summary(page)
    page.get_by_label("Run by").select_option(index=1)
    page.get_by_label("Course").select_option(index=1)
    fill_date(page, "date", timezone.localdate() + timedelta(days=20))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Number of places").fill("12")
    page.locator("#id_venue_name").fill("Crowndale Centre")
    page.get_by_label("Joining link").fill("https://meet.example/mecc-session")
    submit(page, "Create session")
    assert_saved(page, "The session is in the catalogue")
    assert TrainingSession.objects.count() == before + 1


@form_case("training:session_edit", role=TRAINER)
def edit_a_session(page: Page) -> None:
    session = manageable_session(TRAINER, past=False)
    page.goto(reverse("training:session_edit", args=[session.pk]))
    page.get_by_label("Number of places").fill("")
    submit(page, re.compile("save", re.I))
    assert_error_summary(page)
    page.get_by_label("Number of places").fill("40")
    submit(page, re.compile("save", re.I))
    assert_saved(page, "The session is updated")
    session.refresh_from_db()
    assert session.capacity == 40


@form_case("training:session_cancel", role=TRAINER)
def cancel_a_session(page: Page) -> None:
    session = manageable_session(TRAINER, past=False)
    page.goto(reverse("training:session_cancel", args=[session.pk]))
    submit(page, "Cancel the session")
    assert_error_summary(page)
    page.get_by_label("Why is the session cancelled?").fill("The trainer is unwell.")
    submit(page, "Cancel the session")
    assert_saved(page, "The session is cancelled")
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.CANCELLED


@form_case("training:session_register", role=TRAINER)
def take_a_register(page: Page) -> None:
    session = manageable_session(TRAINER, past=True)
    booking = session.bookings.filter(status__in=Booking.PLACE_HOLDING).order_by("pk").first()
    assert booking is not None
    booking.status = Booking.Status.BOOKED  # unmarked, so leaving it empty is a mistake
    booking.save(update_fields=["status"])
    page.goto(reverse("training:session_register", args=[session.pk]))
    submit(page, "Save the register")
    assert_error_summary(page)
    for name in page.locator("main input[type=radio]").evaluate_all(
        "radios => [...new Set(radios.map((r) => r.name))]"
    ):
        page.locator(f"input[name={name}][value=attended]").check()
    page.locator(f"input[name=booking_{booking.pk}][value=no_show]").check()
    submit(page, "Save the register")
    assert_saved(page, "The register is saved")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW


@form_case("training:course_create", role=LEAD)
def add_a_course(page: Page) -> None:
    page.goto(reverse("training:course_create"))
    submit(page, "Add course")
    assert_error_summary(page)
    page.get_by_label("Course title").fill("Alcohol brief advice refresher")
    page.get_by_label("Programme").select_option(index=1)
    page.get_by_label("Face to face").check()
    page.get_by_label("How long it takes, in minutes").fill("90")
    page.get_by_label("This course is free").check()
    page.get_by_label("Provided by").select_option(index=1)
    submit(page, "Add course")
    assert_saved(page, "Alcohol brief advice refresher is added")
    assert Course.objects.filter(title="Alcohol brief advice refresher").exists()


@form_case("training:course_edit", role=LEAD)
def edit_a_course(page: Page) -> None:
    course = courses_manageable(user(LEAD)).first()
    assert course is not None
    page.goto(reverse("training:course_edit", args=[course.pk]))
    page.get_by_label("Course title").fill("")
    submit(page, re.compile("save", re.I))
    assert_error_summary(page)
    page.get_by_label("Course title").fill(f"{course.title} (updated)")
    submit(page, re.compile("save", re.I))
    assert_saved(page, "is updated")
    course.refresh_from_db()
    assert course.title.endswith("(updated)")


@form_case("training:session_book_staff", role=LEAD)
def book_a_member_of_staff(page: Page) -> None:
    session = manageable_session(LEAD, past=False)
    page.goto(reverse("training:session_book_staff", args=[session.pk]))
    submit(page, "Book")
    assert_error_summary(page)
    learner = page.get_by_label("Who do you want to book?")
    learner.select_option(index=1)
    learner_pk = int(learner.input_value())
    submit(page, "Book")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    assert Booking.objects.filter(session=session, learner_id=learner_pk).exists()


@form_case("training:trainer_accreditation", role=LEAD)
def record_a_trainer(page: Page) -> None:
    before = TrainerAccreditation.objects.count()
    page.goto(reverse("training:trainer_accreditation"))
    submit(page, "Save")
    assert_error_summary(page)
    page.get_by_label("Trainer", exact=True).select_option(index=1)
    page.get_by_label("Programme they deliver").select_option(index=1)
    page.get_by_label(re.compile("^Or, trained by")).fill("Alex Morgan, Public Health Camden")
    fill_date(page, "accredited_on", timezone.localdate() - timedelta(days=30))
    submit(page, "Save")
    assert_saved(page, "Saved.")
    assert TrainerAccreditation.objects.count() == before + 1


@form_case("training:import_upload", "training:import_preview", role=LEAD)
def import_completions_with_a_preview(page: Page) -> None:
    course = Course.objects.filter(is_active=True).order_by("pk").first()
    assert course is not None
    page.goto(reverse("training:import_upload"))
    submit(page, "Check the file")
    assert_error_summary(page)
    page.get_by_label("Upload a CSV file").set_input_files(
        {
            "name": "lms-export.csv",
            "mimeType": "text/csv",
            "buffer": (
                "Email,Course,Completed_on,Certificate_number\n"
                f"{ROLES[FRONTLINE]},{course.title},2024-03-27,LMS-NOJS-1\n"
            ).encode(),
        }
    )
    submit(page, "Check the file")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    imported = CompletionImport.objects.order_by("-pk").first()
    assert imported is not None
    expect(page).to_have_url(re.compile(reverse("training:import_preview", args=[imported.pk])))
    submit(page, re.compile("^Import"))
    assert_saved(page, "completions are imported")


@form_case("training:quality_create", "training:quality_edit", role=LEAD)
def self_assess_for_the_quality_marker(page: Page) -> None:
    before = QualityAssessment.objects.count()
    page.goto(reverse("training:quality_create"))
    submit(page, "Submit self-assessment")
    assert_error_summary(page)
    page.get_by_label("Organisation").select_option(index=1)
    page.get_by_label("Course you are assessing").select_option(index=1)
    submit(page, "Save as draft")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    assert QualityAssessment.objects.count() == before + 1
    assessment = QualityAssessment.objects.order_by("-pk").first()
    assert assessment is not None
    page.goto(reverse("training:quality_edit", args=[assessment.pk]))
    for name in page.locator("main input[type=radio]").evaluate_all(
        "radios => [...new Set(radios.map((r) => r.name))]"
    ):
        page.locator(f"input[name={name}]").first.check()
    page.locator("main textarea[name^=evidence_]").first.fill("Course outline and trainer notes.")
    submit(page, "Submit self-assessment")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    assessment.refresh_from_db()
    assert assessment.scores.filter(evidence="Course outline and trainer notes.").exists()


# --- Evaluation: workforce, returns, reports, standards --------------------------------------


@form_case("evaluation:workforce_edit", role=LEAD)
def update_workforce_numbers(page: Page) -> None:
    organisation = user(LEAD).organisation
    page.goto(reverse("evaluation:workforce_edit", args=[organisation.pk]))
    page.locator("#id_as_of_day").fill("")
    submit(page, "Save workforce numbers")
    assert_error_summary(page)
    fill_date(page, "as_of", timezone.localdate())
    page.get_by_label("Social care").fill("7")
    submit(page, "Save workforce numbers")
    assert_saved(page, "Your workforce numbers are saved")
    assert WorkforceHeadcount.objects.filter(organisation=organisation, headcount=7).exists()


@form_case("evaluation:return_edit", role=LEAD)
def fill_in_a_return(page: Page) -> None:
    page.goto(reverse("evaluation:returns"))
    page.locator("main a[href*='/evaluation/returns/']").filter(
        has_text=re.compile("start|continue|fill", re.I)
    ).first.click()
    submit(page, "Submit return")
    assert_error_summary(page)
    page.get_by_label("Making Every Contact Count").check()
    page.get_by_label("What you deliver").fill("Level 1 and 2 MECC for ward staff.")
    for name in (
        "people_trained",
        "trainers_now",
        "budget_now_pounds",
        "training_hours_now",
        "trainers_next_year",
        "budget_next_year_pounds",
        "training_hours_next_year",
    ):
        page.locator(f"input[name={name}]").fill("3")
    for name in ("plans_and_priorities", "joint_working", "evaluations_done"):
        page.locator(f"textarea[name={name}]").fill("As last year.")
    submit(page, "Submit return")
    assert_saved(page, "is submitted")
    assert OrganisationReturn.objects.filter(
        organisation=user(LEAD).organisation, delivery="Level 1 and 2 MECC for ward staff."
    ).exists()


@form_case("evaluation:report_new", role=COMMISSIONER)
def request_a_report(page: Page) -> None:
    before = Report.objects.count()
    page.goto(reverse("evaluation:dashboard"))
    page.get_by_label("Spreadsheet (XLSX)").check()
    submit(page, "Request a report")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    assert Report.objects.count() == before + 1


@form_case("evaluation:return_reopen", role=COMMISSIONER)
def reopen_a_return(page: Page) -> None:
    found = (
        OrganisationReturn.objects.filter(status=OrganisationReturn.Status.SUBMITTED)
        .order_by("pk")
        .first()
    )
    assert found is not None
    page.goto(reverse("evaluation:return_reopen", args=[found.pk]))
    submit(page, re.compile("reopen", re.I))
    assert_error_summary(page)
    page.get_by_label("Why are you reopening this return?").fill("The budget is missing.")
    submit(page, re.compile("reopen", re.I))
    assert_saved(page, "The return is reopened")
    found.refresh_from_db()
    assert not found.is_submitted
    assert found.reopen_reason == "The budget is missing."


@form_case("evaluation:standards", "evaluation:standard_remove", role=ADMIN)
def set_and_remove_a_standard(page: Page) -> None:
    page.goto(reverse("evaluation:standards"))
    submit(page, re.compile("save", re.I))
    assert_error_summary(page)
    page.get_by_label("Indicator").select_option(index=1)
    page.get_by_label("Borough").select_option(index=1)
    page.get_by_label("Target", exact=True).fill("50")
    submit(page, re.compile("save", re.I))
    assert_saved(page, "The standard is saved")
    assert Standard.objects.count() >= 1
    before = Standard.objects.count()
    page.locator("main").get_by_role("button", name=re.compile("remove", re.I)).first.click()
    assert_saved(page, "The standard is removed")
    assert Standard.objects.count() == before - 1


# --- The directory: listings, topics, imports (provider, commissioner, administrator) --------


def provider_service() -> Service:
    found = (
        Service.objects.filter(provider__name=crawl_test.PROVIDER_ORGANISATION)
        .order_by("pk")
        .first()
    )
    assert found is not None
    return found


@form_case("referrals:service_edit", "referrals:service_verify", role=PROVIDER)
def edit_and_confirm_a_listing(page: Page) -> None:
    service = provider_service()
    page.goto(reverse("referrals:service_edit", args=[service.uuid]))
    page.get_by_label("Service name").fill("")
    submit(page, "Save listing")
    assert_error_summary(page)
    page.get_by_label("Service name").fill(f"{service.name} (updated)")
    submit(page, "Save listing")
    assert_saved(page, "Your listing has been updated")
    service.refresh_from_db()
    assert service.name.endswith("(updated)")
    page.goto(reverse("referrals:service_detail", args=[service.uuid]))
    submit(page, re.compile("Confirm this listing"))
    assert_saved(page, "the listing is marked as checked today")


@form_case(
    "referrals:service_locations_edit",
    "referrals:service_hours_edit",
    "referrals:service_contacts_edit",
    role=PROVIDER,
)
def edit_places_hours_and_contacts(page: Page) -> None:
    service = provider_service()
    page.goto(reverse("referrals:service_locations_edit", args=[service.uuid]))
    page.locator("input[name='places-1-name']").fill("Wood Green Library")
    submit(page, "Save places")
    assert_error_summary(page)
    page.locator("input[name='places-1-postcode']").fill("N22 6XD")
    submit(page, "Save places")
    assert_saved(page, "have been updated")
    assert service.at_locations.filter(location__name="Wood Green Library").exists()

    page.goto(reverse("referrals:service_hours_edit", args=[service.uuid]))
    page.locator("input[name='hours-1-days'][value=MO]").check()
    page.locator("input[name='hours-1-opens_at']").fill("25:00")
    submit(page, "Save opening times")
    assert_error_summary(page)
    page.locator("input[name='hours-1-opens_at']").fill("09:00")
    page.locator("input[name='hours-1-closes_at']").fill("11:00")
    submit(page, "Save opening times")
    assert_saved(page, "have been updated")

    page.goto(reverse("referrals:service_contacts_edit", args=[service.uuid]))
    page.locator("input[name='contacts-1-email']").fill("not an email")
    submit(page, re.compile("^Save phone numbers"))
    assert_error_summary(page)
    page.locator("input[name='contacts-1-email']").fill("bookings@woodgreenva.org.example")
    page.locator("input[name='contacts-1-name']").fill("Bookings team")
    submit(page, re.compile("^Save phone numbers"))
    assert_saved(page, "have been updated")


@form_case("referrals:referral_status", "referrals:referral_contact", role=PROVIDER)
def accept_a_referral_and_see_the_contact(page: Page) -> None:
    referral = (
        Referral.objects.filter(
            service__provider__name=crawl_test.PROVIDER_ORGANISATION,
            kind=Referral.Kind.REFERRAL,
        )
        .order_by("-pk")
        .first()
    )
    assert referral is not None, "the demo data has no referral to the provider"
    # A new referral, waiting for the provider's answer.
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.SENT)
    page.goto(reverse("referrals:referral_detail", args=[referral.uuid]))
    submit(page, "Save")
    assert_error_summary(page)
    page.get_by_label("Accept").check()
    submit(page, "Save")
    assert_saved(page, "Referral updated.")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    submit(page, "Show contact details")
    expect(page.locator("#contact-details")).to_be_visible()


@form_case("referrals:topic_create", "referrals:topic_edit", role=COMMISSIONER)
def add_and_edit_a_topic(page: Page) -> None:
    page.goto(reverse("referrals:topic_create"))
    submit(page, "Save topic")
    assert_error_summary(page)
    page.get_by_label("Topic name").fill("Gambling harms")
    submit(page, "Save topic")
    assert_saved(page, "Gambling harms has been added")
    topic = Topic.objects.get(name="Gambling harms")
    page.goto(reverse("referrals:topic_edit", args=[topic.slug]))
    page.get_by_label("Topic name").fill("")
    submit(page, "Save topic")
    assert_error_summary(page)
    page.get_by_label("Topic name").fill("Gambling-related harm")
    submit(page, "Save topic")
    assert_saved(page, "Gambling-related harm has been updated")


@form_case("referrals:directory_import", role=ADMIN)
def import_a_directory_file(page: Page) -> None:
    before = Service.objects.count()
    page.goto(reverse("referrals:directory_import"))
    submit(page, "Import")
    assert_error_summary(page)
    page.get_by_label("Open Referral UK file").set_input_files(
        {"name": "directory.json", "mimeType": "application/json", "buffer": ORUK_FILE}
    )
    page.get_by_label("Area for new organisations").select_option(index=1)
    submit(page, "Import")
    assert_saved(page, "Imported")
    assert Service.objects.count() > before


# --- Running the cases -----------------------------------------------------------------------


def test_every_form_that_changes_data_is_checked_without_javascript_or_excused() -> None:
    covered = {route for case in CASES for route in case.routes}
    found = post_view_names()
    missing = sorted(found - covered - set(NOT_CHECKED_WITHOUT_JS))
    stale = sorted((covered | set(NOT_CHECKED_WITHOUT_JS)) - found)
    both = sorted(covered & set(NOT_CHECKED_WITHOUT_JS))
    assert not missing, (
        "These views accept a POST but no case in test_no_js_forms.py submits them without "
        "JavaScript, and post_views.NOT_CHECKED_WITHOUT_JS gives no reason:\n  "
        + "\n  ".join(missing)
    )
    assert not stale, f"Listed but no longer a view that accepts a POST: {stale}"
    assert not both, f"Both checked and excused: {both}"


@pytest.fixture
def demo(live_server: LiveServer) -> None:
    call_command("seed_demo", verbosity=0)


def cases_by_role() -> dict[str, list[FormCase]]:
    grouped: dict[str, list[FormCase]] = defaultdict(list)
    for case in CASES:
        grouped[case.role].append(case)
    return grouped


@pytest.fixture
def no_js(browser: Browser, live_server: LiveServer) -> Iterator[Callable[[str], Page]]:
    pages: list[Page] = []

    def open_for(role: str) -> Page:
        page = no_js_page(browser, live_server, role)
        pages.append(page)
        return page

    yield open_for
    for page in pages:
        page.context.close()


@pytest.mark.parametrize("role", list(cases_by_role()))
def test_forms_work_without_javascript(role: str, demo: None, no_js: Callable[[str], Page]) -> None:
    page = no_js(role)
    failures: list[str] = []
    for case in cases_by_role()[role]:
        try:
            case.run(page)
        except Exception as failure:  # every case is reported, then the test fails
            failures.append(describe_failure(page, case, failure))
    assert not failures, f"{len(failures)} form(s) failed without JavaScript as {role}:\n" + (
        "\n".join(failures)
    )


def describe_failure(page: Page, case: FormCase, failure: Exception) -> str:
    """The case, the page, the first line of the error and what the error summary said."""
    name = case.run.__name__
    folder = ARTIFACTS / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"no-js-{safe_name(name)}.png"), full_page=True)
    summary = page.locator(".nhsuk-error-summary")
    said = summary.inner_text().replace("\n", " / ") if summary.count() else ""
    first = (str(failure).strip().splitlines() or [type(failure).__name__])[0]
    return (
        f"{name} ({', '.join(case.routes)}) at {page.url}:\n    {type(failure).__name__}: {first}"
        + (f"\n    error summary: {said}" if said else "")
    )
