"""The portal's own OpenAPI document (drf-spectacular, /api/schema/) against the running API.

A live server on the PostgreSQL test database with the demo data loaded. schemathesis (the
CLI, as an API consumer would run it) reads the schema from the server and generates requests
for every operation in it, signed in as a frontline worker and anonymous, checking: no server
error, every response documented (status code) and matching its schema. The FHIR
ServiceRequest endpoint only answers 200 for a referral in the user's scope, which random
UUIDs never are, so the real referral's answers (ServiceRequest and Bundle) are validated
against the same schema through schemathesis's Python API.

The Open Referral UK API is not in this schema (it follows the published ORUK document, which
tests/integration/test_oruk_contract.py checks it against).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests
import schemathesis
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from pytest_django.live_server_helper import LiveServer
from zeal import zeal_ignore

from accounts.models import User
from referrals.models import Referral

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
FRONTLINE = "frontline@fleetvalley.nhs.example"
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"


def _session_cookie(email: str) -> str:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def _schemathesis(live_server: LiveServer, name: str, *headers: str) -> None:
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"{live_server.url}/api/schema/",
        "--url",
        live_server.url,
        "--checks",
        CHECKS,
        "--max-examples",
        "60",
        "--seed",
        "20261123",
        "--request-timeout",
        "20",
        "--report",
        "junit",
        "--report-junit-path",
        str(ARTIFACTS / f"schemathesis-portal-{name}.xml"),
    ]
    for header in headers:
        command += ["--header", header]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout, result.stdout[-3000:]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_api_conforms_to_its_own_openapi_document(live_server: LiveServer):
    with zeal_ignore():
        call_command("seed_demo", verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    cookie = _session_cookie(FRONTLINE)

    _schemathesis(live_server, "signed-in", f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}")
    _schemathesis(live_server, "anonymous")

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    operation = schema["/api/fhir/ServiceRequest/{referral_uuid}"]["GET"]
    referral = (
        Referral.objects.filter(kind="referral", conversation__author__email=FRONTLINE)
        .order_by("pk")
        .first()
    )
    assert referral is not None, "the demo data has no referral by the frontline worker"
    url = f"{live_server.url}/api/fhir/ServiceRequest/{referral.uuid}"
    seen = set()
    for query in ({}, {"_format": "bundle"}):
        response = requests.get(
            url, params=query, cookies={settings.SESSION_COOKIE_NAME: cookie}, timeout=20
        )
        assert response.status_code == 200, response.text[:500]
        operation.validate_response(response)
        seen.add(response.json()["resourceType"])
    assert seen == {"ServiceRequest", "Bundle"}
