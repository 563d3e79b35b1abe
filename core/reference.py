"""Small reference tables a form validates against, kept in the shared cache (Redis).

Logging a conversation checks the chosen topics and borough against their tables: two
queries on every save, for rows that change a few times a year. A form field built with
`cached_as` (core.fields) finds the submitted ids in a copy of the field's queryset kept in
the cache for at most `REFERENCE_CACHE_SECONDS` (default 300; 0 turns it off, as it is
without Redis: a database cache would only move the query). An id not in the copy is
looked up in the database as before, so a row added since is accepted at once; saving or
deleting a row of a cached table forgets every copy of that table, at once and again after
the transaction commits, so a row retired is refused on the next request. Redis unreachable
is not an error: the database answers.

Each worker process also keeps what it read from Redis for `REFERENCE_LOCAL_SECONDS`
(default 5): the Redis read and the unpickling of the rows were an eighth of the server's
time on a conversation save. The process that changes a row forgets its own copy at once;
another process refuses a row retired there within those seconds.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import defaultdict
from typing import Any

import django
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

_KEYS: defaultdict[type[models.Model], set[str]] = defaultdict(set)
# This process's copies: key -> (monotonic time it goes stale, rows).
_LOCAL: dict[str, tuple[float, dict[str, models.Model]]] = {}


def _seconds() -> int:
    return int(getattr(settings, "REFERENCE_CACHE_SECONDS", 0))


def _local_seconds() -> float:
    return min(float(getattr(settings, "REFERENCE_LOCAL_SECONDS", 5)), _seconds())


def _key(model: type[models.Model], name: str) -> str:
    """Changes with Django and the table's columns: a deploy never unpickles old rows."""
    columns = " ".join([django.get_version(), *(f.attname for f in model._meta.concrete_fields)])
    digest = hashlib.sha256(columns.encode()).hexdigest()[:12]
    return f"core:reference:{model._meta.label_lower}:{digest}:{name}"


def register(model: type[models.Model], name: str) -> str:
    """The cache key of one cached queryset of `model`; forgotten whenever `model` changes."""
    key = _key(model, name)
    if not _KEYS[model]:
        uid = f"core.reference:{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}:delete")
    _KEYS[model].add(key)
    return key


def rows(key: str, queryset: models.QuerySet[Any]) -> dict[str, models.Model] | None:
    """The queryset's rows by primary key (as text), or None when the cache is off or down."""
    seconds = _seconds()
    if seconds <= 0:
        return None
    now = time.monotonic()
    kept = _LOCAL.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    try:
        found: dict[str, models.Model] | None = shared_cache.get(key)
    except Exception:
        logger.warning("reference cache unavailable; validated against the database")
        return None
    if found is None:
        found = {str(row.pk): row for row in queryset.all()}
        try:
            shared_cache.set(key, found, seconds)
        except Exception:
            logger.warning("reference cache unavailable; rows not cached")
    if _local_seconds() > 0:
        _LOCAL[key] = (now + _local_seconds(), found)
    return found


def clear_local() -> None:
    """Drop this process's copies (the shared cache keeps its own)."""
    _LOCAL.clear()


def forget_now_and_after_commit(keys: list[str], *, what: str) -> None:
    """Delete cached copies at once and again once the transaction commits: a request that
    read the old rows just before the commit cannot leave them cached. Redis unreachable is
    only logged (`what` names the cache): the copies expire on their own."""

    def drop() -> None:
        for key in keys:
            _LOCAL.pop(key, None)
        try:
            shared_cache.delete_many(keys)
        except Exception:
            logger.warning("%s cache unavailable; copies expire on their own", what)

    drop()
    transaction.on_commit(drop)


def forget(model: type[models.Model]) -> None:
    keys = sorted(_KEYS.get(model, ()))
    if keys and _seconds() > 0:
        forget_now_and_after_commit(keys, what="reference")


def _changed(sender: type[models.Model], **_: Any) -> None:
    forget(sender)
