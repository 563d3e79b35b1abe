"""CSRF protection on every state change: every route of the URL configuration is sent a POST
without a CSRF token, signed in and anonymous, and must refuse it (403) having changed nothing.

The only routes that do not answer 403 are listed in NOT_FORGEABLE with the reason a forged
POST can do nothing there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.hardening.support import client_for, filled_routes, row_counts, seed_demo

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# Route name (or namespace:) -> why a POST without a CSRF token may answer 405 rather than
# 403 there. DRF views skip Django's CSRF check for requests without a session (nothing to
# forge) and enforce it for signed-in ones; these accept GET only, so a POST is refused anyway.
READ_ONLY_API = (
    "read-only API (GET only): DRF exempts anonymous requests from CSRF, and POST is 405"
)
NOT_FORGEABLE: dict[str, str] = {
    "api-schema": READ_ONLY_API,
    "api-docs": READ_ONLY_API,
    "openreferral:": READ_ONLY_API + "; public Open Referral UK directory, no session auth",
}


def _exemption(name: str) -> str | None:
    return NOT_FORGEABLE.get(name) or NOT_FORGEABLE.get(name.split(":", 1)[0] + ":")


# The roles that send the forged POSTs: every signed-in role would be the same middleware.
ROLES = ("anonymous", "administrator", "frontline worker")


def test_every_route_refuses_a_post_without_a_csrf_token():
    seed_demo()
    routes = filled_routes()
    clients = {role: client_for(role, enforce_csrf_checks=True) for role in ROLES}
    before = row_counts()
    wrong: list[str] = []
    for role, client in clients.items():
        for route, path in routes:
            response = client.post(path, {"anything": "x"})
            allowed = {403, 405} if _exemption(route.name) else {403}
            if response.status_code not in allowed:
                wrong.append(f"{role}: {route.name} ({path}) answered {response.status_code}")
    assert not wrong, "POST without a CSRF token was not refused:\n" + "\n".join(wrong)
    after = row_counts()
    changed = {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }
    assert not changed, f"rows changed by forged POSTs: {changed}"
    assert len(routes) > 100


def test_no_view_turns_csrf_protection_off():
    """csrf_exempt appears nowhere in the portal's own code."""
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("accounts", "core", "training", "referrals", "evaluation", "mecc_portal")
        for path in (ROOT / app).rglob("*.py")
        if re.search(r"\bcsrf_exempt\b", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
