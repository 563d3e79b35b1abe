"""core.warm on PostgreSQL: callers taking turns share one connection that has run the
statement before; overlapping callers get their own; a broken, obsolete or inherited
connection is never handed out."""

from __future__ import annotations

import os
import select
import signal
import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from core.warm import KEEP_IDLE, WarmConnections

pytestmark = pytest.mark.integration


def _backend(pool: WarmConnections) -> int:
    with pool.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _pid_of(wrapper: BaseDatabaseWrapper) -> int:
    """The server process behind a connection the pool keeps idle."""
    return int(wrapper.connection.info.backend_pid)


def _wait_for(child: int) -> int:
    """The child's wait status; it is killed if it has not ended within 30 s."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pid, status = os.waitpid(child, os.WNOHANG)
        if pid == child:
            return status
        time.sleep(0.02)
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    raise AssertionError("the forked child did not finish within 30 s")


def _in_thread(target) -> None:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not errors, errors


def test_threads_taking_turns_share_one_connection_not_their_own() -> None:
    pool = WarmConnections()
    seen: list[int] = []
    for _ in range(3):
        _in_thread(lambda: seen.append(_backend(pool)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own = cursor.fetchone()[0]
    assert len(set(seen)) == 1
    assert seen[0] != own
    assert pool.opened == 1
    pool.close()


def test_overlapping_callers_get_their_own_and_the_last_returned_is_lent_next() -> None:
    pool = WarmConnections()
    inside, release = threading.Event(), threading.Event()
    held: list[int] = []

    def hold() -> None:
        with pool.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            held.append(cursor.fetchone()[0])
            inside.set()
            assert release.wait(timeout=30)

    thread = threading.Thread(target=hold)
    thread.start()
    assert inside.wait(timeout=30)
    meanwhile = _backend(pool)  # while the thread holds the first
    release.set()
    thread.join(timeout=30)
    assert meanwhile != held[0]
    assert pool.opened == 2
    assert _backend(pool) == held[0]  # the most recently returned
    pool.close()


def test_calls_that_overlapped_leave_no_more_than_keep_idle_connections_open() -> None:
    pool = WarmConnections()
    callers = KEEP_IDLE + 2
    inside, release = threading.Barrier(callers + 1), threading.Event()
    held: list[int] = []

    def hold() -> None:
        with pool.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            held.append(cursor.fetchone()[0])
            inside.wait(timeout=30)
            assert release.wait(timeout=30)

    threads = [threading.Thread(target=hold) for _ in range(callers)]
    for thread in threads:
        thread.start()
    inside.wait(timeout=30)  # all of them at once: one connection each
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert pool.opened == callers == len(set(held))
    assert len(pool._idle) == KEEP_IDLE
    kept = {_pid_of(idle) for idle in pool._idle}

    # The others were closed as they came back. A backend leaves pg_stat_activity only once
    # it has read the end of its connection and exited, a moment after the client closed it
    # (CI once caught one still there): wait up to 10 s for them to go.
    def still_open() -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [held])
            return {row[0] for row in cursor.fetchall()}

    deadline = time.monotonic() + 10
    while still_open() != kept and time.monotonic() < deadline:
        time.sleep(0.05)
    assert still_open() == kept
    pool.close()


def test_a_connection_the_server_ended_is_replaced_before_it_is_lent() -> None:
    pool = WarmConnections()
    first = _backend(pool)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    # pg_terminate_backend only signals the backend: wait until it has ended the connection
    # (its goodbye is on the idle connection's socket), as a connection ended while idle is.
    (idle,) = pool._idle
    poller = select.poll()
    poller.register(idle.connection.pgconn.socket, select.POLLIN)
    assert poller.poll(10_000), "the terminated backend sent nothing within 10 s"
    second = _backend(pool)  # the health check finds it gone; no error reaches the caller
    assert second != first


def test_a_connection_older_than_conn_max_age_is_replaced() -> None:
    pool = WarmConnections()
    with mock.patch.dict(connection.settings_dict, {"CONN_MAX_AGE": 0}):
        first = _backend(pool)
        second = _backend(pool)
    assert second != first
    pool.close()


def test_a_statement_that_fails_leaves_a_connection_that_works() -> None:
    pool = WarmConnections()
    with pytest.raises(Exception, match="division by zero"), pool.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")
    assert _backend(pool) > 0
    assert pool.opened == 1
    pool.close()


def test_a_forked_child_opens_its_own_and_leaves_the_parents_working() -> None:
    pool = WarmConnections()
    parent = _backend(pool)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        code = 1
        try:
            os.write(write, str(_backend(pool)).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    status = _wait_for(child)
    in_child = int(os.read(read, 32) or b"0")
    os.close(read)
    assert os.waitstatus_to_exitcode(status) == 0
    assert in_child not in (0, parent)
    assert _backend(pool) == parent  # the child did not end the parent's session
    pool.close()
