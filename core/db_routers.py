"""Send dashboard, benchmark and report reads to a read replica when one is configured.

Off unless `DATABASE_REPLICA_URL` is set (settings then add `DATABASES["replica"]` and this
router). Only reads made inside `replica_reads()` go to the replica; every write, every
`select_for_update()` and every other read stays on `default`, so nothing that must see its
own write can read a lagging copy. See docs/adr/0010-read-replica-for-dashboards.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.db import connections
from django.db.models import Model

REPLICA = "replica"

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def replica_reads() -> Iterator[None]:
    """Route the reads made inside this block to the replica (if there is one)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def reads_from_replica(function: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of replica_reads() for a read-only view or selector."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return function(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Reads inside replica_reads() go to the replica; everything else to default."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _reading_replica.get() and REPLICA in connections.settings:
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica is a copy of default: an object read from either may relate to the other.
        return True

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        # The replica receives the schema by replication, never by `migrate`.
        return db != REPLICA
