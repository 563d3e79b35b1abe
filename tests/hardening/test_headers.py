"""Security headers under the production settings (DEBUG off, values from the environment only).

The production values come from loading mecc_portal.settings in a fresh interpreter with a
production environment; the same values are then applied to this test run, and real pages
(a public page, a signed-in page, an error page, the API) are checked for each header.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from accounts.models import Role
from tests.core.test_settings import PRODUCTION, _run
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NAMES = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "X_FRAME_OPTIONS",
]


@pytest.fixture(scope="module")
def production_settings() -> dict[str, object]:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {NAMES!r}}}))"
    )
    result = _run(
        code, **PRODUCTION, FIELD_ENCRYPTION_KEY="dGVzdHMtb25seS1maWVsZC1lbmNyeXB0aW9uLWtleSE="
    )
    assert result.returncode == 0, result.stderr
    values: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return values


def test_production_settings_turn_every_protection_on(production_settings):
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31536000  # type: ignore[operator]
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["X_FRAME_OPTIONS"] == "DENY"


def _pages(make_user, camden_trust) -> list[tuple[Client, str]]:
    signed_in = Client()
    signed_in.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    anonymous = Client()
    return [
        (anonymous, "/accessibility/"),
        (anonymous, "/accounts/login/"),
        (anonymous, "/no-such-page/"),
        (anonymous, "/openreferral/services"),
        (signed_in, "/"),
        (signed_in, "/conversations/new/"),
    ]


def test_every_response_carries_the_security_headers(production_settings, make_user, camden_trust):
    with override_settings(**production_settings):
        for client, path in _pages(make_user, camden_trust):
            response = client.get(path, secure=True)
            where = f"{path} ({response.status_code})"
            assert response["Strict-Transport-Security"] == (
                "max-age=31536000; includeSubDomains; preload"
            ), where
            assert response["X-Frame-Options"] == "DENY", where
            assert "frame-ancestors 'none'" in response["Content-Security-Policy"], where
            assert response["Referrer-Policy"] == "same-origin", where
            assert response["X-Content-Type-Options"] == "nosniff", where
            assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
            policy = response["Permissions-Policy"]
            for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
                assert f"{feature}=()" in policy, where


def test_plain_http_is_redirected_to_https(production_settings):
    with override_settings(**production_settings):
        response = Client().get("/accessibility/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_session_and_csrf_cookies_are_secure_and_http_only(production_settings, make_user):
    user = make_user()
    with override_settings(**production_settings):
        client = Client()
        client.get("/accounts/login/", secure=True)
        response = client.post(
            "/accounts/login/",
            {"login": user.email, "password": TEST_PASSWORD},
            secure=True,
        )
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name
    assert response.status_code in (200, 302)
