from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.presenters import account_actions, home_sections_for
from core.health import run_checks
from core.middleware import database_unavailable_response, is_database_unavailable


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {"sections": home_sections_for(request.user), "account_actions": account_actions()},
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every check passes, 503 naming what failed. `?checks=database,broker` narrows."""
    wanted = [c.strip() for c in request.GET.get("checks", "").split(",") if c.strip()]
    results = run_checks(wanted or None)
    healthy = all(r.ok for r in results.values())
    body = {
        "status": "ok" if healthy else "unhealthy",
        "failing": [name for name, r in results.items() if not r.ok],
        "checks": {name: r.as_dict() for name, r in results.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
@require_GET
def livez(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers (no database, broker or worker checks; see /healthz)."""
    return HttpResponse("ok", content_type="text/plain")


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The 500 handler; while the database is unreachable, the 503 page instead.

    Django calls it inside the `except` block of the failed request, so the exception is in
    `sys.exc_info()`: a database error raised in a middleware lands here, not in a view.
    """
    exception = sys.exc_info()[1]
    if exception is not None and is_database_unavailable(exception):
        return database_unavailable_response(exception)
    return defaults.server_error(request, template_name)
