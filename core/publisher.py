"""Hand ids to a broker from a thread of this process, many in one message (ADR 0014).

A web request that queued an email used to publish its Celery task itself after commit:
building and sending one broker message is about a fifth of a booking's Python time, paid
while the person waits. A `BatchPublisher` takes the id from the request (a queue put) and
its thread publishes whatever has gathered within `linger_seconds` of the first, up to
`batch_size` ids in one call, so a burst of a hundred bookings costs a handful of
publishes instead of a hundred.

What it may lose is only latency: the ids are of rows already committed, and the outbox
sweeper delivers any row a publish missed (the process was killed, the broker was down).
Every process that forks gets its own queue and thread (the parent's thread does not
survive a fork); at a normal exit the queue is flushed.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

_STOP = -1  # never a row id


class BatchPublisher:
    def __init__(
        self,
        publish: Callable[[list[int]], None],
        *,
        batch_size: int = 50,
        linger_seconds: float = 0.05,
    ) -> None:
        self._publish = publish
        self._batch_size = batch_size
        # How long the first id waits for others: a burst becomes a few publishes, and an
        # email leaves at most this much later.
        self._linger = linger_seconds
        self._lock = threading.Lock()
        self._pid = 0
        self._queue: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pending = 0  # put and not yet handed to `publish`
        self._settled = threading.Condition()
        atexit.register(self.close)

    def put(self, item: int) -> None:
        """Queue one id; the thread publishes it with whatever else is waiting."""
        if self._pid != os.getpid() or not (self._thread and self._thread.is_alive()):
            self._start()
        with self._settled:
            self._pending += 1
        self._queue.put(item)

    def wait_idle(self, timeout: float) -> bool:
        """Block until everything put so far has been handed to `publish`."""
        with self._settled:
            return self._settled.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Publish what is queued and stop the thread (at exit; the sweeper covers the rest)."""
        if self._pid != os.getpid() or self._thread is None:
            return
        self._queue.put(_STOP)
        self._thread.join(timeout)
        self._pid = 0

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid() and self._thread and self._thread.is_alive():
                return
            # After a fork the queue may hold the parent's ids and its lock state: start clean.
            self._queue = queue.SimpleQueue()
            self._settled = threading.Condition()
            self._pending = 0
            self._thread = threading.Thread(
                target=self._run, args=(self._queue,), name="outbox-publisher", daemon=True
            )
            self._thread.start()
            self._pid = os.getpid()

    def _run(self, items: queue.SimpleQueue[int]) -> None:
        stopping = False
        while not stopping:
            batch = [items.get()]
            deadline = time.monotonic() + self._linger
            while len(batch) < self._batch_size and _STOP not in batch:
                try:
                    batch.append(items.get(timeout=max(0.0, deadline - time.monotonic())))
                except queue.Empty:
                    break
            stopping = _STOP in batch
            batch = [item for item in batch if item != _STOP]
            if batch:
                try:
                    self._publish(batch)
                except Exception:  # publish must not kill the thread; the sweeper has the rows
                    logger.exception("publisher: %s ids left for the sweeper", len(batch))
            with self._settled:
                self._pending -= len(batch)
                self._settled.notify_all()
