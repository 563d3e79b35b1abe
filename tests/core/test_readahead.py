"""core.readahead: the next chunk is read in another thread, on its own connection, and
nothing is left behind: not the thread, not the connection, not an error."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections

from core.models import ChangeEvent
from core.readahead import read_ahead


def _chunks(seen: dict[str, Any], count: int = 3) -> Iterator[list[str]]:
    seen["thread"] = threading.current_thread()
    seen["connection"] = connections["default"]  # the producing thread's own
    for n in range(count):
        keys = list(ChangeEvent.objects.filter(stream=f"s{n}").values_list("key", flat=True))
        seen.setdefault("produced", []).append(n)
        yield keys


def _rows() -> None:
    for n in range(3):
        ChangeEvent.objects.create(stream=f"s{n}", key=f"k{n}")


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The database wrappers closed. (Django never really closes an in-memory SQLite
    database, the unit tests' one; on PostgreSQL the tests also see the socket gone.)"""
    wrapper_class = type(connections["default"])
    original = wrapper_class.close
    calls: list[Any] = []

    def close(self: Any) -> None:
        calls.append(self)
        original(self)

    monkeypatch.setattr(wrapper_class, "close", close)
    return calls


def _was_closed(wrapper: Any, closed: list[Any]) -> bool:
    return wrapper in closed and (wrapper.vendor == "sqlite" or wrapper.connection is None)


@pytest.mark.django_db(transaction=True)
def test_chunks_are_read_in_another_thread_whose_connection_is_closed_after(closed):
    _rows()
    seen: dict[str, Any] = {}
    assert list(read_ahead(lambda: _chunks(seen))) == [["k0"], ["k1"], ["k2"]]
    assert seen["thread"] is not threading.current_thread()
    assert not seen["thread"].is_alive()
    assert seen["connection"] is not connections["default"]
    assert _was_closed(seen["connection"], closed)  # by the thread, as it finished


@pytest.mark.django_db(transaction=True)
def test_it_reads_one_chunk_ahead_not_everything(closed):
    _rows()
    seen: dict[str, Any] = {}
    chunks = read_ahead(lambda: _chunks(seen, count=6))
    assert next(chunks) == ["k0"]
    # The caller has the first; the second waits for it and the third is being handed over:
    # nothing after that is read until the caller asks for more (however slow the machine,
    # the thread reaches the third; then it stays there).
    for _ in range(100):
        if len(seen["produced"]) >= 3:
            break
        threading.Event().wait(0.05)
    threading.Event().wait(0.2)
    assert seen["produced"] == [0, 1, 2]
    chunks.close()  # the client went away mid-download
    assert not seen["thread"].is_alive()
    assert _was_closed(seen["connection"], closed)
    assert seen["produced"] == [0, 1, 2]


@pytest.mark.django_db(transaction=True)
def test_an_error_while_reading_is_raised_to_the_caller():
    def failing() -> Iterator[int]:
        yield 1
        raise LookupError("window missing")

    chunks = read_ahead(failing)
    assert next(chunks) == 1
    with pytest.raises(LookupError, match="window missing"):
        next(chunks)


@pytest.mark.django_db
def test_inside_a_transaction_it_reads_inline_and_sees_the_transactions_own_rows():
    """A second connection would not see rows this transaction has not committed."""
    _rows()
    seen: dict[str, Any] = {}
    assert list(read_ahead(lambda: _chunks(seen))) == [["k0"], ["k1"], ["k2"]]
    assert seen["thread"] is threading.current_thread()
