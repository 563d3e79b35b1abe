"""core.postgresql on PostgreSQL: a kept connection is checked by asking its socket first.

A quiet connection is used without a round trip; one the server has ended is found from
the socket alone and replaced; anything else waiting on the socket (here a notification)
sends Django's own `SELECT 1`, which decides.
"""

from __future__ import annotations

import select
import time
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql import base as django_postgresql

from core.postgresql.base import DatabaseWrapper

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def kept() -> Iterator[BaseDatabaseWrapper]:
    """A connection of its own, in autocommit, as a request's kept connection is."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


@pytest.fixture
def asked(monkeypatch) -> list[bool]:  # type: ignore[no-untyped-def]
    """Each time Django's own check (`SELECT 1` to the server) runs, and what it answered."""
    answers: list[bool] = []
    original = django_postgresql.DatabaseWrapper.is_usable

    def counted(self: BaseDatabaseWrapper) -> bool:
        answers.append(bool(original(self)))
        return answers[-1]

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", counted)
    return answers


def _wait_until_readable(wrapper: BaseDatabaseWrapper) -> None:
    poller = select.poll()
    poller.register(wrapper.connection.pgconn.socket, select.POLLIN)
    deadline = time.monotonic() + 10
    while not poller.poll(50):
        assert time.monotonic() < deadline, "nothing arrived on the socket within 10 s"


def test_the_settings_use_this_backend():
    assert isinstance(connections["default"], DatabaseWrapper)


def test_a_quiet_connection_is_used_without_a_round_trip(kept, asked):
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert kept.is_usable()
    assert asked == []


def test_a_connection_the_server_ended_is_found_from_its_socket_and_replaced(kept, asked):
    ended = kept.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [ended])
    _wait_until_readable(kept)
    assert not kept.is_usable()
    assert asked == [False]  # the socket said something: the server was asked, and failed
    kept.health_check_enabled, kept.health_check_done = True, False
    kept.close_if_health_check_failed()
    assert kept.connection is None  # closed; the next query opens a new one
    with kept.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != ended


def test_a_closed_connection_is_unusable_without_asking(kept, asked):
    kept.connection.close()
    assert not kept.is_usable()
    assert asked == []


def test_anything_else_waiting_on_the_socket_is_left_to_select_1(kept, asked):
    with kept.cursor() as cursor:
        cursor.execute("LISTEN mecc_health_check_test")
    sender = connections.create_connection("default")
    try:
        with sender.cursor() as cursor:
            cursor.execute("NOTIFY mecc_health_check_test")
    finally:
        sender.close()
    _wait_until_readable(kept)
    assert kept.is_usable()
    assert asked == [True]  # a notification, not the end: the server answered
