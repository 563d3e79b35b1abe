"""The views that accept a POST (forms that create or change data), found from the URL conf.

A class-based view accepts POST if it has a `post` method. A function view does if its code,
or the code of a function of its own module that it calls (the `_save(request, ...)` helpers),
reads `request.POST` or checks for the POST method. tests/system/test_no_js_forms.py checks
each one without JavaScript, or it is listed here with the reason it is not.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tests.system.crawl import NOT_VISITED_NAMESPACES

CALLED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\(")

# Forms that change data but are not submitted without JavaScript, with the reason.
NOT_CHECKED_WITHOUT_JS: dict[str, str] = {
    "account_reauthenticate": (
        "allauth's confirm-your-password step, shown only before an MFA change: a plain POST "
        "form with the same markup as the sign-in form, which is checked"
    ),
    "account_email": (
        "allauth's email addresses page: a new address only counts once the link emailed to "
        "it is followed; the form has no script"
    ),
    "account_set_password": "only for accounts without a password, which the portal never makes",
    "account_reset_password_from_key": (
        "needs the key from a reset email; allauth's form, no script (tests/accounts)"
    ),
    "account_confirm_login_code": "sign-in by emailed code is switched off in settings",
    "account_request_reauthentication_code": "confirming by emailed code is switched off",
    "account_confirm_reauthentication_code": "confirming by emailed code is switched off",
    "account_confirm_email": "needs the key from a verification email; a single button, no script",
    "mfa_authenticate": (
        "MFA: needs a time-based code from an authenticator app at the moment of sign-in; "
        "the sign-in with a code is driven in test_commissioner_journey (the form has no script)"
    ),
    "mfa_reauthenticate": "MFA: as mfa_authenticate",
    "mfa_activate_totp": (
        "MFA: set-up needs a live authenticator code; driven in test_commissioner_journey"
    ),
    "mfa_deactivate_totp": "MFA: commissioners and administrators may not turn MFA off",
    "mfa_generate_recovery_codes": "MFA: allauth's form (no script), tested in tests/accounts",
    "mfa_add_webauthn": "MFA: security keys need the browser's WebAuthn API, which is JavaScript",
    "mfa_reauthenticate_webauthn": "MFA: security keys need JavaScript (WebAuthn) by design",
    "mfa_remove_webauthn": "MFA: needs a registered security key (WebAuthn, JavaScript)",
    "mfa_edit_webauthn": "MFA: needs a registered security key (WebAuthn, JavaScript)",
    "usersessions_list": (
        "allauth's sign-out-other-sessions button: a plain POST form, only shown when the "
        "user is signed in somewhere else"
    ),
}


def _view_source(callback: Callable[..., Any]) -> str:
    function = inspect.unwrap(callback)
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return ""
    module = sys.modules.get(function.__module__)
    helpers = [
        getattr(module, name)
        for name in set(CALLED.findall(source))
        if name != function.__name__ and inspect.isfunction(getattr(module, name, None))
    ]
    for helper in helpers:
        if helper.__module__ == function.__module__:
            source += inspect.getsource(inspect.unwrap(helper))
    return source


def accepts_post(callback: Callable[..., Any]) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    source = _view_source(callback)
    return "request.POST" in source or '"POST"' in source or "require_POST" in source


def _views(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, Callable[..., Any]]]:
    """(namespaced URL name, view) for every named URL pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _views(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.callback


def post_view_names() -> set[str]:
    """Every URL name (outside the admin and the APIs) whose view accepts a POST."""
    return {
        name
        for name, view in _views(get_resolver().url_patterns)
        if name.split(":", 1)[0] not in NOT_VISITED_NAMESPACES and accepts_post(view)
    }
