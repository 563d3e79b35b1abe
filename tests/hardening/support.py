"""The demo partnership, a signed-in client per role, and every route filled from the demo data.

Shared by the hardening and fuzz tests: the routes come from the URL configuration
(tests/system/crawl.py) and are filled the same way the accessibility crawl fills them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from zeal import zeal_ignore

from accounts.models import User
from evaluation.models import Report, Resource, Standard
from referrals.models import Referral, Service, Taxonomy
from tests.system.crawl import Route, url_patterns
from tests.system.test_every_page_axe import FRONTLINE_EMAIL, ROLES, route_kwargs
from training.models import Completion, QualityScore


def seed_demo() -> None:
    with zeal_ignore():
        call_command("seed_demo", verbosity=0)


def client_for(role: str, **client_options: object) -> Client:
    """A client signed in as the demo user of `role` (with TOTP, so MFA lets them in)."""
    client = Client(**client_options)  # type: ignore[arg-type]
    email = ROLES[role]
    if email is not None:
        user = User.objects.get(email=email)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        client.force_login(user)
    return client


def _pk(model: Any, **lookups: Any) -> Any:
    """The first matching object, or an unsaved one with ids nothing has (the page is a 404)."""
    found = model._default_manager.filter(**lookups).order_by("pk").first()
    if found is None:
        found = model(pk=987654321)
        found.uuid = uuid.uuid4()
    return found


def extra_kwargs() -> dict[str, Callable[[], dict[str, Any]]]:
    """Fillers for the routes the accessibility crawl does not open (POST only, downloads)."""
    fillers = route_kwargs()
    session = fillers["training:session_detail"]
    conversation = fillers["referrals:conversation_detail"]
    referral = fillers["referrals:referral_detail"]
    service = fillers["referrals:service_detail"]
    return {
        "training:session_calendar": session,
        "training:session_book": session,
        "training:certificate_download": lambda: {"pk": _pk(Completion).pk},
        "training:quality_attachment": lambda: {"pk": _pk(QualityScore).pk},
        "referrals:service_verify": service,
        "referrals:signpost_create": lambda: {**conversation(), **service()},
        "referrals:referral_status": referral,
        "referrals:referral_contact": lambda: {
            "referral_uuid": _pk(
                Referral, kind="referral", conversation__author__email=FRONTLINE_EMAIL
            ).uuid
        },
        "referrals:fhir_service_request": referral,
        "evaluation:report_download": lambda: {"uuid": _pk(Report).uuid},
        "evaluation:standard_remove": lambda: {"pk": _pk(Standard).pk},
        "evaluation:resource_file": lambda: {"pk": _pk(Resource).pk},
        "openreferral:service": lambda: {"id": str(_pk(Service).uuid)},
        "openreferral:service_at_location": lambda: {"id": "unknown"},
        "openreferral:taxonomy": lambda: {"id": str(_pk(Taxonomy).uuid)},
        "openreferral:taxonomy_term": lambda: {"id": "unknown"},
    }


def filled_routes() -> list[tuple[Route, str]]:
    """Every route of the URL configuration with a path (parameters from the demo data)."""
    fillers = {**route_kwargs(), **extra_kwargs()}
    found: list[tuple[Route, str]] = []
    for route in url_patterns():
        if route.name.startswith("admin:") or route.name == "openreferral:":
            continue  # Django's own admin: its forms and CSRF are Django's, tested there
        if route.params:
            filler = fillers.get(route.name)
            if filler is None:
                raise AssertionError(f"no filler for {route.name} ({route.pattern})")
            found.append((route, reverse(route.name, kwargs=filler())))
        elif route.name:
            found.append((route, reverse(route.name)))
    return found


def row_counts() -> dict[str, int]:
    """How many rows every model of the project has (to prove nothing was saved)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts", "core", "training", "referrals", "evaluation", "account", "mfa"}
    }
