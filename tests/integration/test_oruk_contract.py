"""The Open Referral UK API against the published OpenAPI document, with schemathesis.

A live server on the PostgreSQL test database with the demo directory loaded; schemathesis
(the CLI, as a consumer would run it) generates requests for every endpoint and checks that
each documented response matches its schema and that nothing is a server error.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from pytest_django.live_server_helper import LiveServer

from accounts import demo as accounts_demo
from referrals import demo_directory
from referrals.models import Service

SPEC = Path(settings.BASE_DIR).parent / "shared/standards/openreferral-uk/openapi.offline.json"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_api_conforms_to_the_open_referral_uk_openapi_document(live_server: LiveServer):
    import_module("referrals.migrations.0003_directory_topics").add_topics(apps, None)
    accounts_demo.seed()
    demo_directory.seed()
    assert Service.objects.count() > 40
    ARTIFACTS.mkdir(exist_ok=True)
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        str(SPEC),
        "--url",
        f"{live_server.url}/openreferral",
        "--checks",
        "response_schema_conformance,not_a_server_error",
        "--max-examples",
        "25",
        "--seed",
        "20261123",
        "--request-timeout",
        "20",
        "--report",
        "junit",
        "--report-junit-path",
        str(ARTIFACTS / "schemathesis-openreferral.xml"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
