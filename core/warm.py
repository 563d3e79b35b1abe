"""Database connections of this process kept for one kind of statement, so they stay warm.

A PostgreSQL backend pays for a statement the first time it runs it: it loads the tables'
and indexes' catalogue entries, compiles a PL/pgSQL function and plans each statement in it
and each foreign-key check. For the booking function that is about 4.5 ms on a new
connection against 0.5 ms on one that has run it before (docs/performance.md, seventh
round), and part of it is spent holding the session's row lock. Each gunicorn thread has
its own connection and replaces it every `CONN_MAX_AGE`, so a burst of bookings reached
PostgreSQL on up to 24 connections that had never booked.

`WarmConnections` lends a connection to one caller at a time, the most recently returned
first: callers that take turns (as a `Combiner` makes them) all use the same one, and a
second is opened only when two calls overlap. Each is checked as Django checks a request's
connection (`close_if_unusable_or_obsolete`: broken, left in a transaction, or older than
`CONN_MAX_AGE`, it is closed and the next use reconnects). At most `KEEP_IDLE` are kept
between calls, and an idle one older than `CONN_MAX_AGE` is closed when another is given
back, so a moment of overlapping calls leaves no backends behind. Only statements that are
whole transactions in autocommit belong here: they are not part of the caller's
transaction.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

KEEP_IDLE = 2  # connections kept between calls (one per session booked at the same moment)

_all: list[WarmConnections] = []  # every pool, so close_all() reaches them all
# Connections a forked child inherited: never used or closed there (closing would end the
# parent's session on the shared socket), only kept from the garbage collector.
_inherited: list[BaseDatabaseWrapper] = []


class WarmConnections:
    def __init__(self, alias: str = DEFAULT_DB_ALIAS) -> None:
        self.alias = alias
        self._lock = threading.Lock()
        self._idle: list[BaseDatabaseWrapper] = []
        self.opened = 0  # connections made, for tests and the curious
        _all.append(self)

    @contextmanager
    def cursor(self) -> Iterator[Any]:
        """A cursor on a connection no other thread is using, in autocommit."""
        wrapper = self._take()
        try:
            wrapper.close_if_unusable_or_obsolete()
            with wrapper.cursor() as cursor:
                yield cursor
        finally:
            self._give(wrapper)

    def close(self) -> None:
        """Close the idle connections (the tests do, before the test database goes)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for wrapper in idle:
            wrapper.close()

    def _take(self) -> BaseDatabaseWrapper:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            self.opened += 1
        wrapper = connections.create_connection(self.alias)
        wrapper.inc_thread_sharing()  # lent to one thread at a time, any thread
        return wrapper

    def _give(self, wrapper: BaseDatabaseWrapper) -> None:
        now = time.monotonic()
        with self._lock:
            self._idle.append(wrapper)
            # The oldest idle ones beyond KEEP_IDLE, and any past CONN_MAX_AGE, go now: only
            # the most recently given back is taken next, so the others would otherwise wait.
            extra = self._idle[:-KEEP_IDLE] if len(self._idle) > KEEP_IDLE else []
            kept = self._idle[len(extra) :]
            obsolete = [w for w in kept[:-1] if w.close_at is not None and w.close_at <= now]
            self._idle = [w for w in kept if w not in obsolete]
        for old in (*extra, *obsolete):
            with contextlib.suppress(Exception):  # the caller's statement has succeeded
                old.close()


def close_all() -> None:
    for pool in list(_all):
        pool.close()


def _after_fork_in_child() -> None:
    """The idle connections are the parent's: the child keeps them from the garbage
    collector and opens its own. Only the forking thread exists here, so no lock is taken."""
    for pool in _all:
        _inherited.extend(pool._idle)
        pool._idle = []
        pool._lock = threading.Lock()  # a lock held by a parent's thread stays held here


os.register_at_fork(after_in_child=_after_fork_in_child)
