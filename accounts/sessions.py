"""The session store when Redis is configured: read from Redis, written to both, kept in the
database (ADR 0006).

Django's `cached_db` engine, with two changes:

- A cache that cannot be reached is not an error: the session is read from and written to
  the database alone (Django's own engine answers 500 when Redis is down while it copies a
  session read from the database back into the cache, or deletes one).
- A cached copy lives at most `SESSION_CACHE_SECONDS` (default 120). A session ended while
  Redis was unreachable (signed out, "sign out everywhere else") is deleted from the
  database at once, and a stale copy Redis may still hold after it comes back is gone
  within that time.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache.backends.base import BaseCache

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    _cache: BaseCache  # set by Django's cached_db store; not in the type stubs

    def _cache_seconds(self, **expiry: object) -> int:
        return max(1, min(self.get_expiry_age(**expiry), settings.SESSION_CACHE_SECONDS))

    def load(self) -> dict[str, object]:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # Redis unreachable, or a key the cache refuses
            data = None
        if data is not None:
            return dict(data)
        stored = self._get_session_from_db()  # type: ignore[attr-defined]  # Django's DB store
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            # The expiry passed in: asking the session for it would load it again.
            seconds = self._cache_seconds(expiry=stored.expire_date)
            self._cache.set(self.cache_key, data, seconds)
        except Exception:
            logger.warning("session cache unavailable; read the session from the database")
        return dict(data)

    def exists(self, session_key: str | None) -> bool:
        if not session_key:
            return False
        try:
            if (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            logger.warning("session cache unavailable; checked the database alone")
        return bool(super(CachedDBStore, self).exists(session_key))

    def save(self, must_create: bool = False) -> None:
        super(CachedDBStore, self).save(must_create)
        try:
            session = self._session  # type: ignore[attr-defined]  # SessionBase's loaded dict
            self._cache.set(self.cache_key, session, self._cache_seconds())
        except Exception:
            logger.warning("session cache unavailable; saved the session to the database alone")

    def delete(self, session_key: str | None = None) -> None:
        super(CachedDBStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.warning(
                "session cache unavailable; the session is deleted from the database and "
                "any cached copy expires within SESSION_CACHE_SECONDS"
            )
