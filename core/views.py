from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.presenters import account_actions, home_sections_for
from core.health import run_checks


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
