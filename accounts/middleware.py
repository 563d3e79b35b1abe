"""Session lifetime limits and the MFA requirement for privileged roles."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.usersessions import app_settings as usersessions_settings
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import LazyObject

from accounts import access

SESSION_STARTED_KEY = "portal_signed_in_at"
SESSION_LAST_SEEN_KEY = "portal_last_seen_at"
USERSESSION_TRACKED_KEY = "portal_device_tracked"

# Pages a user who must set up MFA may still reach.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "accessibility",
        "privacy",
        "healthz",
    }
)


def _duration(seconds: int) -> str:
    """12 hours, 30 minutes, 1 hour: how a limit reads in a message."""
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _resolve_user(request: HttpRequest) -> None:
    """Replace Django's lazy `request.user` with the user it loads.

    Every page asks who is asking (this middleware, device tracking, the MFA check, the
    view's permission check), and through the lazy object each attribute read goes through
    a proxy that first fails to find it on the proxy itself: the floor's largest single cost
    (docs/performance.md, eighth round). Loaded here once, read directly after. Signing in
    or out still replaces `request.user`, as Django's `login` and `logout` do.
    """
    user = request.user
    if isinstance(user, LazyObject):
        user.is_authenticated  # noqa: B018 - loads the user (session, then Redis or the database)
        request.user = user._wrapped


class SessionLifetimeMiddleware:
    """End a signed-in session after SESSION_IDLE_SECONDS idle or SESSION_MAX_AGE_SECONDS.

    "Last used" is stored at most once every SESSION_TOUCH_SECONDS, so a request that only
    reads pages does not rewrite the session. The stored time can therefore be up to one
    touch older than the last request, and the idle limit is checked against it plus one
    touch: nobody is signed out before SESSION_IDLE_SECONDS without a request, and nobody
    more than a touch after.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _resolve_user(request)
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY, now)
            last_seen = request.session.get(SESSION_LAST_SEEN_KEY, now)
            if now - started > settings.SESSION_MAX_AGE_SECONDS:
                limit = _duration(settings.SESSION_MAX_AGE_SECONDS)
                return self._end(
                    request,
                    f"You were signed out because you had been signed in for {limit}. "
                    "Sign in again to continue.",
                )
            if now - last_seen > settings.SESSION_IDLE_SECONDS + settings.SESSION_TOUCH_SECONDS:
                limit = _duration(settings.SESSION_IDLE_SECONDS)
                return self._end(
                    request,
                    f"You were signed out because you had not used the portal for {limit}. "
                    "Sign in again to continue.",
                )
        response = self.get_response(request)
        # After the view, so the request that signs in starts the clock.
        if request.user.is_authenticated:
            now = time.time()
            request.session.setdefault(SESSION_STARTED_KEY, now)
            last_seen = request.session.get(SESSION_LAST_SEEN_KEY)
            if not isinstance(last_seen, int | float) or not (
                0 <= now - last_seen < settings.SESSION_TOUCH_SECONDS
            ):
                request.session[SESSION_LAST_SEEN_KEY] = now
        return response

    def _end(self, request: HttpRequest, text: str) -> HttpResponse:
        logout(request)
        messages.info(request, text)
        login_url = reverse(settings.LOGIN_URL)
        return HttpResponseRedirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")


class UserSessionsMiddleware:
    """allauth's device tracking (IP, browser, last seen on the sessions page), cheaper.

    allauth's own middleware reads and rewrites the device's row on every request (five
    statements). This one calls the same `create_from_request` on the first request of a
    session key, whenever the IP address or browser changes, and otherwise at most once every
    SESSION_TOUCH_SECONDS; what it last wrote is remembered (hashed) in the session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            usersessions_settings.TRACK_ACTIVITY
            and hasattr(request, "session")
            and request.session.session_key
            and hasattr(request, "user")
            and request.user.is_authenticated
        ):
            self._track(request)
        return self.get_response(request)

    @staticmethod
    def _track(request: HttpRequest) -> None:
        seen = "\n".join(
            [
                str(request.session.session_key),
                str(get_adapter().get_client_ip(request)),
                request.META.get("HTTP_USER_AGENT", ""),
            ]
        )
        fingerprint = hashlib.sha256(seen.encode()).hexdigest()[:32]
        now = time.time()
        tracked = request.session.get(USERSESSION_TRACKED_KEY)
        if (
            isinstance(tracked, list)
            and len(tracked) == 2
            and tracked[0] == fingerprint
            and 0 <= now - tracked[1] < settings.SESSION_TOUCH_SECONDS
        ):
            return
        UserSession.objects.create_from_request(request)
        request.session[USERSESSION_TRACKED_KEY] = [fingerprint, now]


def has_second_factor(user: object) -> bool:
    second_factors = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    return bool(Authenticator.objects.filter(user=user, type__in=second_factors).exists())


class MFARequiredMiddleware:
    """Send commissioners, training leads and administrators to set up MFA before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and access.requires_mfa(user)
            and not self._is_setup_page(request)
            and not has_second_factor(user)
        ):
            messages.warning(
                request,
                "Your role needs two-factor authentication. Set it up to continue.",
                fail_silently=True,
            )
            return HttpResponseRedirect(reverse("mfa_index"))
        return self.get_response(request)

    @staticmethod
    def _is_setup_page(request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        name = match.url_name or ""
        return name.startswith("mfa_") or name in MFA_SETUP_URL_NAMES
