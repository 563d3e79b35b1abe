"""Read the next chunk from the database while the caller formats this one.

A streamed export alternates between waiting for PostgreSQL (the next window of rows) and
formatting the last one in Python, one after the other on one core. `read_ahead(produce)`
runs the generator `produce()` in a thread of its own, on that thread's own database
connection, at most `ahead` items waiting for the caller (and one more being handed over):
the database works on the next chunk while the caller formats this one (the wait for
PostgreSQL releases the GIL).

Inside a transaction it runs `produce()` inline instead: a second connection would not see
the transaction's own writes (and the tests, which run inside one, read inline). The thread's
connection is closed when it finishes, fails or the caller stops early (a client that goes
away mid-download); an error in `produce()` is raised in the caller.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import connections

T = TypeVar("T")

_DONE = object()
_POLL_SECONDS = 0.1


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(
    produce: Callable[[], Iterator[T]], *, using: str = "default", ahead: int = 1
) -> Iterator[T]:
    """Yield what `produce()` yields, produced in another thread `ahead` items early."""
    if connections[using].in_atomic_block:
        yield from produce()
        return
    items: queue.Queue[Any] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def hand_over(item: Any) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in produce():
                if not hand_over(item):
                    return
            hand_over(_DONE)
        except BaseException as error:  # handed to the caller, who raises it
            hand_over(_Failed(error))
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=run, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()
