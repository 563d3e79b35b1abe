"""Every route, as every role, in and out of scope, answers as tests/security/matrix.py says.

The routes come from the URL configuration (allauth, the admin, the Open Referral and FHIR
APIs and the OpenAPI schema included), so a new URL pattern fails here until the matrix says
who may open it. The world (tests/security/world.py) is built once, the whole crawl runs inside one
transaction that is rolled back at the end (its own: pytest-django closes the connection
after each database test, which would end a transaction shared between tests on
PostgreSQL), and every request runs in a savepoint rolled back after it, so the cells do not
disturb each other. The tests then only read what the crawl recorded.

Resident contact details: the two referrals carry distinctive synthetic details, and every
answer of the crawl (HTML, JSON, CSV, XLSX read with openpyxl, PDF read with pypdf) is
searched for them. They may appear in one cell only: the receiving provider asking to see
the details of a referral to their own service.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse

from tests.security.crawl import Answer, Crawl, clients, crawl, fetch
from tests.security.matrix import (
    ADMIN_LOGIN,
    GET,
    LOGIN,
    MATRIX,
    OTHERS,
    POST,
    SAME,
)
from tests.security.matrix import (
    Answer as Expected,
)
from tests.security.world import AWAY_CONTACT, HOME_CONTACT, IN, World, build_world

# Marked so pytest-django sets the test database up; the crawl itself runs in `findings`.
pytestmark = pytest.mark.django_db

REFERENCE_DATA = [
    ("referrals.migrations.0003_directory_topics", "add_topics"),
    ("training.migrations.0002_seed_programmes_and_quality_criteria", "seed"),
    ("evaluation.migrations.0003_standard_surveys", "seed"),
]
CONTACT_DETAILS = [*HOME_CONTACT.values(), *AWAY_CONTACT.values()]
REFUSED: set[Expected] = {403, 404, 405, LOGIN, ADMIN_LOGIN}


@dataclass
class Findings:
    crawl: Crawl
    exports: dict[str, tuple[str, int, str, str]]  # name: (path, status, expected text, body)


@pytest.fixture(scope="module")
def findings(django_db_setup: None, django_db_blocker: Any) -> Iterator[Findings]:
    """Build the world, open every cell and every export, then roll it all back."""
    with django_db_blocker.unblock(), transaction.atomic():
        # A transactional test earlier in the run may have flushed the reference rows.
        for module, function in REFERENCE_DATA:
            getattr(import_module(module), function)(apps, None)
        world = build_world()
        post_routes = {key for key, row in MATRIX.items() if POST in row}
        result = Findings(
            crawl=crawl(world, post_routes=post_routes, needles=CONTACT_DETAILS),
            exports=_exports(world),
        )
        transaction.set_rollback(True)
    yield result


@pytest.fixture(scope="module")
def matrix_crawl(findings: Findings) -> Crawl:
    return findings.crawl


def answer_of(answer: Answer) -> Expected:
    if answer.status == 302 and answer.location.startswith(reverse("account_login")):
        return LOGIN
    if answer.status == 302 and answer.location.startswith(reverse("admin:login")):
        return ADMIN_LOGIN
    return answer.status


def expected_of(answer: Answer) -> Expected:
    row = MATRIX[answer.route.key]
    spec = row[GET] if row.get(answer.method) == SAME else row[answer.method]
    assert isinstance(spec, dict)
    cell = spec.get(answer.role, spec[OTHERS])
    if isinstance(cell, tuple):
        assert answer.variant, f"{answer.route.key} has no in/out variants but its cell does"
        return cell[0] if answer.variant == IN else cell[1]
    return cell


def test_every_route_of_the_url_configuration_is_in_the_matrix(matrix_crawl: Crawl) -> None:
    keys = {route.key for route in matrix_crawl.routes}
    missing = sorted(keys - MATRIX.keys())
    stale = sorted(MATRIX.keys() - keys)
    assert not missing, f"routes the matrix does not cover (add them to matrix.py): {missing}"
    assert not stale, f"matrix rows for routes that no longer exist: {stale}"


def test_every_role_gets_the_answer_the_matrix_declares(matrix_crawl: Crawl) -> None:
    wrong = [
        f"{a.cell}: got {answer_of(a)}, the matrix says {expected_of(a)}"
        for a in matrix_crawl.answers
        if a.route.key in MATRIX and answer_of(a) != expected_of(a)
    ]
    assert not wrong, f"{len(wrong)} cells differ:\n" + "\n".join(wrong)


def test_the_matrix_covers_every_role_in_and_out_of_scope(matrix_crawl: Crawl) -> None:
    roles = {a.role for a in matrix_crawl.answers}
    assert roles == {
        "anonymous",
        "no_role",
        "frontline_worker",
        "trainer",
        "training_lead",
        "service_provider",
        "commissioner",
        "administrator",
    }
    scoped = {a.route.key for a in matrix_crawl.answers if a.variant == IN}
    assert "referrals:referral_detail" in scoped and "training:session_edit" in scoped
    assert len(matrix_crawl.answers) > 5000


def test_a_refused_request_changes_nothing(matrix_crawl: Crawl) -> None:
    """No INSERT, UPDATE or DELETE (beyond the session's own rows) behind a refusal."""
    writers = [
        f"{a.cell}: answered {answer_of(a)} but wrote to {sorted(set(a.writes))}"
        for a in matrix_crawl.answers
        if answer_of(a) in REFUSED and a.writes
    ]
    assert not writers, "\n".join(writers)


def _is_receiving_provider_reading_contact(answer: Answer) -> bool:
    return (
        answer.route.key == "referrals:referral_contact"
        and answer.method == POST
        and answer.role == "service_provider"
        and answer.variant == IN
    )


def test_resident_contact_details_reach_only_the_receiving_provider(matrix_crawl: Crawl) -> None:
    leaks = [
        f"{a.cell}: contains {a.found}"
        for a in matrix_crawl.answers
        if a.found and not _is_receiving_provider_reading_contact(a)
    ]
    assert not leaks, "resident contact details reached:\n" + "\n".join(leaks)
    shown = [a for a in matrix_crawl.answers if _is_receiving_provider_reading_contact(a)]
    assert shown and all(sorted(a.found) == sorted(HOME_CONTACT.values()) for a in shown)


def _exports(world: World) -> dict[str, tuple[str, int, str, str]]:
    """Each export that carries data about people, opened by a role that may download it."""
    by_role = clients(world)
    commissioner, lead = by_role["commissioner"], by_role["training_lead"]
    provider = by_role["service_provider"]
    referral = world.home.referral.uuid
    exports = {
        "dashboard CSV": (commissioner, reverse("evaluation:dashboard_csv"), "Conversations"),
        "dashboard XLSX": (commissioner, reverse("evaluation:dashboard_xlsx"), "Conversations"),
        "XLSX report": (
            commissioner,
            reverse("evaluation:report_download", args=[world.home.report.uuid]),
            "Camden",
        ),
        "PDF report": (
            commissioner,
            reverse("evaluation:report_download", args=[world.extra["pdf_report"].uuid]),
            "Camden",
        ),
        "compliance CSV": (lead, reverse("training:compliance_csv"), "Wendy Worker"),
        "organisation conversations CSV": (
            lead,
            reverse("referrals:organisation_conversations_csv"),
            "Camden Trust",
        ),
        "FHIR message bundle (training lead)": (
            lead,
            reverse("referrals:fhir_service_request", args=[referral]) + "?_format=bundle",
            "ServiceRequest",
        ),
        "FHIR ServiceRequest (provider)": (
            provider,
            reverse("referrals:fhir_service_request", args=[referral]),
            "ServiceRequest",
        ),
        "referral inbox, closed ones too": (
            provider,
            reverse("referrals:referral_inbox") + "?show=all",
            "Camden stop smoking service",
        ),
    }
    opened = {}
    for name, (client, path, expected) in exports.items():
        response, _, text = fetch(client, GET, path)
        opened[name] = (path, response.status_code, expected, text)
    return opened


def test_exports_carry_no_resident_contact_details(findings: Findings) -> None:
    """Each export, decoded, has its content (so the search means something) and no contact."""
    problems = []
    for name, (path, status, expected, text) in findings.exports.items():
        if status != 200:
            problems.append(f"{name} ({path}) answered {status}")
        elif expected not in text:
            problems.append(f"{name}: {expected!r} not found, so the decoding is wrong")
        found = [value for value in CONTACT_DETAILS if value in text]
        if found:
            problems.append(f"{name} ({path}) contains resident contact details {found}")
    assert not problems, "\n".join(problems)
