"""MFA for privileged roles holds on every route, not only the pages a journey visits: a
commissioner, training lead or administrator without a second factor reaches nothing but the
MFA set-up pages (and sign-out, the accessibility statement, the privacy notice, /healthz)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from accounts.middleware import MFA_SETUP_URL_NAMES
from accounts.models import User
from tests.hardening.support import filled_routes, seed_demo
from tests.system.crawl import Route
from tests.system.test_every_page_axe import ROLES

pytestmark = pytest.mark.django_db

PRIVILEGED = ("training lead", "commissioner (partnership)", "administrator")
# Routes outside the session sign-in: the public directory API and the API schema are the
# same for everyone, signed in or not.
PUBLIC_API = ("openreferral:", "api-schema", "api-docs")


def test_privileged_roles_without_mfa_reach_only_the_set_up_pages():
    seed_demo()
    routes = [*filled_routes(), (Route(name="admin:index", pattern="admin/", params=()), "/admin/")]
    leaks: list[str] = []
    checked = 0
    for role in PRIVILEGED:
        user = User.objects.get(email=ROLES[role])
        Authenticator.objects.filter(user=user).delete()
        client = Client()
        client.force_login(user)
        for route, path in routes:
            name = route.name.split(":")[-1]
            if name.startswith("mfa_") or name in MFA_SETUP_URL_NAMES:
                continue
            if route.name.startswith(PUBLIC_API):
                continue
            for method in (client.get, client.post):
                response = method(path)
                checked += 1
                if response.status_code != 302 or response["Location"] != "/accounts/2fa/":
                    leaks.append(
                        f"{role}: {method.__name__.upper()} {path} -> {response.status_code}"
                    )
    assert not leaks, "reachable without MFA:\n" + "\n".join(leaks)
    assert checked > 500
