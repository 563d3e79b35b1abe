"""django-zeal for the test run only (tests/settings.py): every request raises on an N+1.

Three kinds of request repeat a lookup by design; only those lookups are ignored, only there:
- allauth's own views (sign-in, sign-up, email, two-factor and sessions pages under
  /accounts/) look the user, email address and sessions up more than once per request, in
  code this project does not own;
- the Open Referral UK package import upserts each row by its UUID (update_or_create), so a
  re-import updates rather than duplicates: one administrator's upload, not a page;
- Django admin's delete confirmation names every object the delete would remove (each by
  its `__str__`), a one-off page whose length is the point.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from zeal import zeal_context, zeal_ignore

IGNORED: list[tuple[re.Pattern[str], list[Any]]] = [
    (
        re.compile(r"^/accounts/"),
        [
            {"model": "accounts.User", "field": "get()"},
            {"model": "account.EmailAddress", "field": "get()"},
            {"model": "sessions.Session", "field": "get()"},
        ],
    ),
    (re.compile(r"^/directory/import/"), [{"model": "referrals.*", "field": "get()"}]),
    (re.compile(r"^/admin/.+/delete/$"), [{"model": "*", "field": "*"}]),
]


def zeal_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        with zeal_context():
            for path, allowlist in IGNORED:
                if path.search(request.path):
                    with zeal_ignore(allowlist):
                        return get_response(request)
            return get_response(request)

    return middleware
