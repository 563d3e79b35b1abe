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
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from typing import Any

import django
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

_KEYS: defaultdict[type[models.Model], set[str]] = defaultdict(set)


def _seconds() -> int:
    return int(getattr(settings, "REFERENCE_CACHE_SECONDS", 0))


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
    return found


def forget(model: type[models.Model]) -> None:
    keys = sorted(_KEYS.get(model, ()))
    if not keys or _seconds() <= 0:
        return

    def drop() -> None:
        try:
            shared_cache.delete_many(keys)
        except Exception:
            logger.warning("reference cache unavailable; copies expire on their own")

    drop()
    transaction.on_commit(drop)


def _changed(sender: type[models.Model], **_: Any) -> None:
    forget(sender)
