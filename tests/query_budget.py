"""Statements a signed-in request spends on its session, for tests that assert exact counts.

With the database session engine (no Redis: `make test`) reading the session is one
SELECT; with Redis (CI's second run, production) `accounts.sessions` serves it from Redis.
Neither writes it while "last used" is under a minute old.
"""

from __future__ import annotations

from django.conf import settings


def session_reads() -> int:
    return 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
