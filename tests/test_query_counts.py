"""Every list, dashboard, report and export page makes the same number of queries at 1 row and
at 50 (issue 7; STYLE.md).

`test_every_get_route_is_accounted_for` walks the URL configuration (tests/system/crawl.py's
`url_patterns`) and fails on any named route that is in none of the three tables below:
- `CASES`: checked here, each with a builder that makes the page show N rows;
- `COVERED_ELSEWHERE`: a list page whose own test file already holds the 1-versus-50 check
  (the test named is looked up, so renaming or deleting it fails here);
- `NOT_A_LIST`: with the reason the page's query count cannot grow with rows.
A new page therefore cannot be added without deciding which it is.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Area, Role, User
from core.services import audit_record
from evaluation.models import Standard
from evaluation.models.standards import BenchmarkIndicator
from evaluation.services.rollups import rollups_rebuild
from referrals.models import Taxonomy
from tests.evaluation.survey_support import attended, invitation, past_session, respond
from tests.factories import AreaFactory, UserFactory
from tests.referrals.activity_factories import (
    ActivityServiceFactory,
    Cast,
    ConversationFactory,
    build_cast,
)
from tests.system.crawl import url_patterns
from tests.training.factories import CompletionFactory, CourseFactory, SessionFactory, programme
from training.models import CompletionImport

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """The standing cast plus a trainer and an administrator, and what each builder made."""

    cast: Cast
    trainer: User
    administrator: User
    partnership: Area
    made: dict[str, Any] = field(default_factory=dict)

    def more(self, key: str, rows: int) -> int:
        """How many rows to add so that `key` has `rows` (builders are called with 1, then 50)."""
        before: int = self.made.get(key + ":rows", 0)
        self.made[key + ":rows"] = rows
        return rows - before


@pytest.fixture(autouse=True)
def _no_cache(settings):
    """Every fetch computes its page: a cached dashboard at 1 row against a computed one at 50
    would compare the cache, not the queries."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def world(make_user, camden_trust, haringey_council, partnership) -> World:
    cast = build_cast(
        make_user,
        camden_trust=camden_trust,
        haringey_council=haringey_council,
        partnership=partnership,
    )
    return World(
        cast=cast,
        trainer=make_user(Role.TRAINER, camden_trust),
        administrator=make_user(Role.ADMINISTRATOR, partnership, with_mfa=True),
        partnership=partnership,
    )


# --- Builders: make the page show `rows` rows; return (viewer, url, query string) ------------


def course_sessions(world: World, rows: int) -> tuple[User, str, dict[str, Any]]:
    course = world.made.setdefault("course", CourseFactory(provider=world.cast.lead.organisation))
    for _ in range(world.more("sessions", rows)):
        SessionFactory(course=course)
    return world.cast.worker, reverse("training:course_detail", args=[course.pk]), {}


def compliance_export(world: World, rows: int) -> tuple[User, str, dict[str, Any]]:
    organisation = world.cast.lead.organisation
    for _ in range(world.more("staff", rows)):
        learner = UserFactory(organisation=organisation)
        CompletionFactory(learner=learner, course=CourseFactory(provider=organisation))
    return world.cast.lead, reverse("training:compliance_csv"), {}


def completion_import(world: World, rows: int) -> tuple[User, str, dict[str, Any]]:
    organisation = world.cast.lead.organisation
    course = world.made.setdefault(
        "import_course", CourseFactory(title="Imported MHFA course", programme=programme("mhfa"))
    )
    staff = [UserFactory(organisation=organisation) for _ in range(rows)]
    lines = ["Email,Course,Completed_on,Certificate_number"] + [
        f"{person.email},{course.title},2024-03-{1 + index % 28:02d},LMS-{index:04d}"
        for index, person in enumerate(staff)
    ]
    from django.test import Client

    uploader = Client()
    uploader.force_login(world.cast.lead)
    upload = SimpleUploadedFile("export.csv", "\n".join(lines).encode(), content_type="text/csv")
    response = uploader.post(reverse("training:import_upload"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:300]
    batch = CompletionImport.objects.latest("pk")
    return world.cast.lead, reverse("training:import_preview", args=[batch.pk]), {}


def matching_services(world: World, rows: int) -> tuple[User, str, dict[str, Any]]:
    cast = world.cast
    camden = cast.worker.organisation.area
    for _ in range(world.more("services", rows)):
        ActivityServiceFactory(provider=cast.provider_org, topics=[cast.topic], areas=[camden])
    query = {"topics": [cast.topic.pk], "area": camden.pk}
    return cast.worker, reverse("referrals:conversation_services"), query


def standards(world: World, rows: int) -> tuple[User, str, dict[str, Any]]:
    for _ in range(world.more("standards", rows)):
        Standard.objects.create(
            indicator=BenchmarkIndicator.values[0],
            area=AreaFactory(parent=world.partnership),
            target=10,
            amber_threshold=5,
        )
    return world.administrator, reverse("evaluation:standards"), {}


def session_results(world: World, rows: int) -> tuple[User, str, dict[str, Any]]:
    session = world.made.setdefault(
        "past_session",
        past_session(organisation=world.trainer.organisation, trainers=[world.trainer]),
    )
    for _ in range(world.more("answers", rows)):
        booking = attended(session)
        respond(invitation(booking, "pre_course"), confidence_raise_health=2)
        respond(invitation(booking, "post_course"), confidence_raise_health=4, satisfaction=5)
    return world.trainer, reverse("evaluation:session_results", args=[session.pk]), {}


def _dashboard_data(world: World, rows: int) -> None:
    cast = world.cast
    for index in range(world.more("conversations", rows)):
        ConversationFactory(
            author=UserFactory(organisation=cast.worker.organisation),
            occurred_at=timezone.now() - datetime.timedelta(days=1 + index % 90),
            topics=[cast.topic],
        )
    rollups_rebuild()


def dashboard_export(url_name: str) -> Callable[[World, int], tuple[User, str, dict[str, Any]]]:
    def build(world: World, rows: int) -> tuple[User, str, dict[str, Any]]:
        _dashboard_data(world, rows)
        return world.cast.commissioner, reverse(url_name), {"topic": world.cast.topic.pk}

    return build


def organisation_conversations_export(world: World, rows: int) -> tuple[User, str, dict[str, Any]]:
    cast = world.cast
    for _ in range(world.more("organisation_conversations", rows)):
        ConversationFactory(author=cast.colleague, topics=[cast.topic])
    return cast.lead, reverse("referrals:organisation_conversations_csv"), {}


def audit_log_export(world: World, rows: int) -> tuple[User, str, dict[str, Any]]:
    for _ in range(world.more("audit_events", rows)):
        audit_record(actor=world.cast.worker, action="referral.created", target=world.cast.worker)
    return world.administrator, reverse("accounts:audit_log_csv"), {}


def taxonomies(world: World, rows: int) -> tuple[User | None, str, dict[str, Any]]:
    for index in range(world.more("taxonomies", rows)):
        Taxonomy.objects.create(name=f"Taxonomy {index}", uri="https://example.org/tax")
    return None, reverse("openreferral:taxonomies"), {}


@dataclass(frozen=True)
class Case:
    route: str
    build: Callable[[World, int], tuple[User | None, str, dict[str, Any]]]
    # Aggregates (dashboards) change their figures, not their length, with more rows.
    aggregate: bool = False


CASES = [
    Case("training:course_detail", course_sessions),
    Case("training:compliance_csv", compliance_export),
    Case("training:import_preview", completion_import),
    Case("referrals:conversation_services", matching_services),
    Case("evaluation:standards", standards),
    Case("evaluation:session_results", session_results, aggregate=True),
    Case("evaluation:dashboard_csv", dashboard_export("evaluation:dashboard_csv"), aggregate=True),
    Case(
        "evaluation:dashboard_xlsx", dashboard_export("evaluation:dashboard_xlsx"), aggregate=True
    ),
    Case("openreferral:taxonomies", taxonomies),
    Case("referrals:organisation_conversations_csv", organisation_conversations_export),
    Case("accounts:audit_log_csv", audit_log_export),
]

# List pages whose own tests hold the 1-versus-50 query-count check: "module::test".
COVERED_ELSEWHERE: dict[str, str] = {
    "accounts:audit_log": (
        "tests.core.test_audit_log_page::test_the_log_uses_the_same_number_of_queries_for_1_and_50_rows"
    ),
    "training:catalogue": (
        "tests.training.test_views_catalogue::test_catalogue_query_count_does_not_grow_with_courses"
    ),
    "training:session_detail": (
        "tests.training.test_views_manage::"
        "test_session_page_query_count_does_not_grow_with_bookings"
    ),
    "training:courses_manage": (
        "tests.training.test_views_courses::"
        "test_your_courses_query_count_is_the_same_for_1_and_50_courses"
    ),
    "training:sessions_manage": (
        "tests.training.test_views_manage::test_your_sessions_query_count_does_not_grow"
    ),
    "training:session_register": (
        "tests.training.test_views_manage::test_register_query_count_does_not_grow"
    ),
    "training:my_training": (
        "tests.training.test_views_learner::test_my_training_query_count_does_not_grow"
    ),
    "training:compliance": (
        "tests.training.test_views_compliance::test_compliance_query_count_does_not_grow"
    ),
    "training:quality_list": (
        "tests.training.test_views_quality::test_quality_list_query_count_does_not_grow"
    ),
    "training:trainers": (
        "tests.training.test_views_trainers::test_trainers_page_query_count_does_not_grow"
    ),
    "referrals:directory_search": (
        "tests.referrals.test_directory_views::"
        "test_search_query_count_is_the_same_at_1_and_50_services"
    ),
    "referrals:my_listings": (
        "tests.referrals.test_directory_views::"
        "test_your_listings_shows_only_your_organisations_listings"
    ),
    "referrals:topic_list": (
        "tests.referrals.test_topics::test_topic_list_makes_the_same_queries_at_1_and_50_topics"
    ),
    "referrals:conversation_list": (
        "tests.referrals.test_conversations::"
        "test_conversation_lists_use_the_same_number_of_queries_for_1_and_50_rows"
    ),
    "referrals:organisation_conversations": (
        "tests.referrals.test_conversations::"
        "test_conversation_lists_use_the_same_number_of_queries_for_1_and_50_rows"
    ),
    "referrals:my_impact": (
        "tests.referrals.test_impact::"
        "test_impact_takes_the_same_number_of_queries_however_much_there_is"
    ),
    "referrals:referrals_sent": (
        "tests.referrals.test_referrals::"
        "test_referral_lists_use_the_same_number_of_queries_for_1_and_50_rows"
    ),
    "referrals:referral_inbox": (
        "tests.referrals.test_referrals::"
        "test_referral_lists_use_the_same_number_of_queries_for_1_and_50_rows"
    ),
    "evaluation:dashboard": (
        "tests.evaluation.test_dashboard::test_dashboard_query_count_does_not_grow_with_the_data"
    ),
    "evaluation:benchmark": (
        "tests.evaluation.test_benchmark::test_benchmark_query_count_does_not_grow_with_the_data"
    ),
    "evaluation:reports": (
        "tests.evaluation.test_reports::test_reports_page_query_count_does_not_grow"
    ),
    "evaluation:workforce": (
        "tests.evaluation.test_workforce::test_list_query_count_does_not_grow_with_organisations"
    ),
    "evaluation:returns": (
        "tests.evaluation.test_returns::test_returns_list_query_count_does_not_grow_with_periods"
    ),
    "evaluation:returns_summary": (
        "tests.evaluation.test_returns::test_summary_query_count_does_not_grow_with_organisations"
    ),
    "evaluation:my_surveys": (
        "tests.evaluation.test_surveys_views::test_your_surveys_lists_open_ones_in_constant_queries"
    ),
    "evaluation:session_results_list": (
        "tests.evaluation.test_surveys_views::"
        "test_the_results_list_shows_response_rates_in_constant_queries"
    ),
    "evaluation:resources": (
        "tests.evaluation.test_resources::test_library_query_count_does_not_grow_with_resources"
    ),
    "evaluation:glossary": (
        "tests.evaluation.test_glossary::test_glossary_query_count_does_not_grow_with_terms"
    ),
    "openreferral:services": (
        "tests.referrals.test_oruk_api::test_list_query_counts_do_not_grow_with_rows"
    ),
    "openreferral:service_at_locations": (
        "tests.referrals.test_oruk_api::test_list_query_counts_do_not_grow_with_rows"
    ),
    "openreferral:taxonomy_terms": (
        "tests.referrals.test_oruk_api::test_list_query_counts_do_not_grow_with_rows"
    ),
    "openreferral:service": (
        "tests.referrals.test_oruk_api::"
        "test_full_service_query_count_does_not_grow_with_related_rows"
    ),
}

_ONE = "one object's page: a fixed set of related rows, loaded with select/prefetch_related"
_FORM = "a form page: its choices are a fixed taxonomy, not rows that grow"
_POST = "POST only"
_DOWNLOAD = "a download of one file"
_ALLAUTH = "allauth's own account page (sign-in, email, two-factor): not a list of rows"

NOT_A_LIST_NAMESPACES: dict[str, str] = {
    "admin": "Django admin: a back-office tool for the operations team, not a portal page",
}

NOT_A_LIST: dict[str, str] = {
    "home": "a menu of sections for the user's roles (tests.core.test_home counts its queries)",
    "accessibility": "static content",
    "privacy": "static content",
    "healthz": "health check: a fixed set of checks",
    "livez": "liveness probe: no rows",
    "api-schema": "OpenAPI schema: generated from code, not rows",
    "api-docs": "Swagger UI: static page",
    "certificate_verify": "one certificate, looked up by its code",
    "openreferral:root": "API index: static",
    "openreferral:service_at_location": _ONE,
    "openreferral:taxonomy": _ONE,
    "openreferral:taxonomy_term": _ONE,
    "openreferral:": "catch-all that answers 404 for unknown API paths",
    "referrals:fhir_service_request": "one referral as a FHIR resource",
    # allauth (accounts/...)
    "account_login": _ALLAUTH,
    "account_logout": _ALLAUTH,
    "account_inactive": _ALLAUTH,
    "account_signup": _ALLAUTH,
    "account_reauthenticate": _ALLAUTH,
    "account_request_reauthentication_code": "switched off in settings: 403 for everyone",
    "account_confirm_reauthentication_code": "switched off in settings: 403 for everyone",
    "account_email": "allauth's email addresses page: a user has one or two addresses",
    "account_email_verification_sent": _ALLAUTH,
    "account_change_password": _ALLAUTH,
    "account_set_password": _ALLAUTH,
    "account_reset_password": _ALLAUTH,
    "account_confirm_login_code": _ALLAUTH,
    "account_confirm_email": _ALLAUTH,
    "account_reset_password_from_key_done": _ALLAUTH,
    "account_reset_password_from_key": _ALLAUTH,
    "account_reset_password_done": _ALLAUTH,
    "mfa_index": _ALLAUTH,
    "mfa_authenticate": _ALLAUTH,
    "mfa_reauthenticate": _ALLAUTH,
    "mfa_activate_totp": _ALLAUTH,
    "mfa_deactivate_totp": _ALLAUTH,
    "mfa_view_recovery_codes": _ALLAUTH,
    "mfa_generate_recovery_codes": _ALLAUTH,
    "mfa_download_recovery_codes": _ALLAUTH,
    "mfa_list_webauthn": "allauth's security keys page: a person has a handful of keys",
    "mfa_add_webauthn": _ALLAUTH,
    "mfa_reauthenticate_webauthn": _ALLAUTH,
    "mfa_remove_webauthn": _ALLAUTH,
    "mfa_edit_webauthn": _ALLAUTH,
    "usersessions_list": "allauth's sessions page: one person's signed-in devices",
    # training
    "training:session_calendar": _DOWNLOAD,
    "training:session_book": _POST,
    "training:session_book_staff": _FORM,
    "training:booking_cancel": "a confirmation page for one booking",
    "training:course_create": _FORM,
    "training:course_edit": _FORM,
    "training:session_create": _FORM,
    "training:session_edit": _FORM,
    "training:session_cancel": "a confirmation page for one session",
    "training:certificate_download": _DOWNLOAD,
    "training:quality_create": _FORM,
    "training:quality_detail": "one self-assessment: the fixed set of quality-marker criteria",
    "training:quality_edit": _FORM,
    "training:quality_attachment": _DOWNLOAD,
    "training:trainer_accreditation": _FORM,
    "training:import_upload": _FORM,
    # referrals
    "referrals:directory_import": _FORM,
    "referrals:service_detail": _ONE,
    "referrals:service_edit": _FORM,
    "referrals:service_verify": _POST,
    "referrals:service_report_problem": _FORM,
    "referrals:service_locations_edit": "a formset of one listing's places",
    "referrals:service_hours_edit": "a formset of one listing's opening times",
    "referrals:service_contacts_edit": "a formset of one listing's contacts",
    "referrals:topic_create": _FORM,
    "referrals:topic_edit": _FORM,
    "referrals:service_public": _ONE,
    "referrals:conversation_log": (
        "a form; its matching services are the htmx fragment referrals:conversation_services, "
        "checked in CASES"
    ),
    "referrals:conversation_detail": _ONE,
    "referrals:conversation_edit": _FORM,
    "referrals:signpost_create": _POST,
    "referrals:referral_create": _FORM,
    "referrals:service_share": _ONE,
    "referrals:service_short_link": "a redirect to one listing",
    "referrals:referral_detail": _ONE,
    "referrals:referral_status": _POST,
    "referrals:referral_contact": _POST,
    # evaluation
    "evaluation:report_new": _POST,
    "evaluation:report_download": _DOWNLOAD,
    "evaluation:standard_remove": _POST,
    "evaluation:workforce_edit": "one organisation's headcount form (one row per staff group)",
    "evaluation:return_edit": _FORM,
    "evaluation:return_detail": _ONE,
    "evaluation:return_reopen": _POST,
    "evaluation:survey_take": "one survey's form: its fixed questions",
    "evaluation:survey_done": "a thank-you page",
    "evaluation:post_course_survey": "a redirect to one survey",
    "evaluation:resource_file": _DOWNLOAD,
}


def _fetch(client: Any, url: str, query: dict[str, Any]) -> tuple[int, bytes, list[str]]:
    """Status, body and the SQL of one GET (streamed bodies read inside the capture)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
    return response.status_code, body, [q["sql"] for q in captured.captured_queries]


def _difference(one: list[str], fifty: list[str]) -> str:
    lines = [f"{len(one)} queries at 1 row, {len(fifty)} at 50. Queries at 50 rows:"]
    lines += [f"  {index + 1}. {sql[:300]}" for index, sql in enumerate(fifty)]
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=[c.route for c in CASES])
def test_page_makes_the_same_queries_at_1_and_50_rows(client, world, case):
    viewer, url, query = case.build(world, 1)
    if viewer is not None:
        client.force_login(viewer)
    status, _, _ = _fetch(client, url, query)  # warm the session and per-user caches
    assert status == 200
    _, at_one, one = _fetch(client, url, query)
    viewer, url, query = case.build(world, 50)
    status, at_fifty, fifty = _fetch(client, url, query)
    assert status == 200
    # The builder really put more rows on the page, or the comparison proves nothing.
    if case.aggregate:
        assert at_fifty != at_one
    else:
        assert len(at_fifty) > len(at_one)
    assert len(fifty) == len(one), _difference(one, fifty)


def _route_names() -> list[str]:
    return [route.name for route in url_patterns()]


def test_every_get_route_is_accounted_for():
    cased = {case.route for case in CASES}
    missing = [
        name
        for name in _route_names()
        if name.split(":", 1)[0] not in NOT_A_LIST_NAMESPACES or ":" not in name
        if name not in cased and name not in COVERED_ELSEWHERE and name not in NOT_A_LIST
    ]
    assert not missing, (
        "Pages with no query-count decision: add each to CASES (a list page), "
        f"COVERED_ELSEWHERE or NOT_A_LIST (with the reason) in {__name__}: {missing}"
    )


def test_the_tables_name_only_real_routes_and_no_route_twice():
    names = set(_route_names())
    tables = [{case.route for case in CASES}, set(COVERED_ELSEWHERE), set(NOT_A_LIST)]
    for table in tables:
        assert table <= names, sorted(table - names)
    assert not (tables[0] & tables[1]) and not (tables[0] & tables[2])
    assert not (tables[1] & tables[2])


@pytest.mark.parametrize("route", sorted(COVERED_ELSEWHERE))
def test_each_page_covered_elsewhere_has_its_query_count_test(route):
    module_name, test_name = COVERED_ELSEWHERE[route].split("::")
    test = getattr(import_module(module_name), test_name, None)
    assert test is not None, f"{COVERED_ELSEWHERE[route]} no longer exists"
    source = inspect.getsource(test)
    assert any(
        word in source
        for word in (
            "CaptureQueriesContext",
            "django_assert_num_queries",
            "queries_for",
            "_queries",
        )
    ), f"{COVERED_ELSEWHERE[route]} does not count queries"
    short = route.split(":", 1)[1]
    assert short in inspect.getsource(import_module(module_name)), (
        f"{COVERED_ELSEWHERE[route]} does not visit {route}"
    )
