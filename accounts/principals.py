"""The signed-in user and their role memberships, kept in Redis between requests.

Every signed-in request needs the user (to check the session against the password) and
their role memberships (for the MFA check and every permission question): two queries that
were most of the cost of a signed-in page that does little else. With Redis configured,
the authentication backends keep both in the cache for at most `PRINCIPAL_CACHE_SECONDS`
(default 60; 0 turns it off, as it is without Redis: a database cache would only move the
query).

A change is seen at once: saving or deleting a user, a role membership, an organisation or
an area forgets the copies it touches, when it happens and again after the transaction
commits (a request that read the old rows just before the commit cannot leave them behind).
What bypasses the model layer (a raw SQL update, `QuerySet.update()`) is seen within
`PRINCIPAL_CACHE_SECONDS`. Django still compares the session with the user's password hash
on every request, so a changed password ends other sessions as before. Redis unreachable is
not an error: the user is read from the database.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import django
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts import access
from accounts.models import Area, Organisation, RoleMembership, User
from core.reference import forget_now_and_after_commit

logger = logging.getLogger(__name__)


@cache
def _schema() -> str:
    """Changes when a cached model's columns or Django change: old copies are not unpickled."""
    names = [django.get_version()]
    for model in (User, RoleMembership, Organisation, Area):
        names += [model.__name__, *(f.attname for f in model._meta.concrete_fields)]
    return hashlib.sha256(" ".join(names).encode()).hexdigest()[:12]


def cache_key(user_id: Any) -> str:
    return f"accounts:principal:{_schema()}:{user_id}"


def _seconds() -> int:
    return int(getattr(settings, "PRINCIPAL_CACHE_SECONDS", 0))


def load(user_id: Any, read: Callable[[], User | None]) -> User | None:
    """The user with their role memberships, from the cache or from `read` (the database)."""
    seconds = _seconds()
    if seconds <= 0:
        return read()
    key = cache_key(user_id)
    try:
        user: User | None = shared_cache.get(key)
    except Exception:  # Redis unreachable: the database answers
        logger.warning("principal cache unavailable; read the user from the database")
        return read()
    if user is not None:
        return user
    user = read()
    if user is not None:
        access.memberships(user)  # loaded now, so they are cached with the user
        try:
            shared_cache.set(key, user, seconds)
        except Exception:
            logger.warning("principal cache unavailable; the user was not cached")
    return user


def forget(user_ids: Iterable[Any]) -> None:
    """Drop the cached copies of these users, now and once the transaction commits."""
    keys = [cache_key(user_id) for user_id in set(user_ids) if user_id is not None]
    if keys and _seconds() > 0:
        forget_now_and_after_commit(keys, what="principal")


@receiver([post_save, post_delete], sender=User, dispatch_uid="principals_user")
def _user_changed(sender: type[User], instance: User, **kwargs: Any) -> None:
    forget([instance.pk])


@receiver([post_save, post_delete], sender=RoleMembership, dispatch_uid="principals_role")
def _membership_changed(sender: type[RoleMembership], instance: RoleMembership, **_: Any) -> None:
    forget([instance.user_id])


@receiver([post_save, post_delete], sender=Organisation, dispatch_uid="principals_org")
def _organisation_changed(sender: type[Organisation], instance: Organisation, **_: Any) -> None:
    if _seconds() > 0:
        holders = RoleMembership.objects.filter(organisation=instance)
        forget(holders.values_list("user_id", flat=True))


@receiver([post_save, post_delete], sender=Area, dispatch_uid="principals_area")
def _area_changed(sender: type[Area], instance: Area, **_: Any) -> None:
    if _seconds() > 0:
        holders = RoleMembership.objects.filter(area=instance)
        forget(holders.values_list("user_id", flat=True))
