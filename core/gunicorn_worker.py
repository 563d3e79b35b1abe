"""gunicorn's threaded worker, with kept-alive connections spread evenly over the workers.

Every gunicorn worker listens on the same socket, and whichever is awake first accepts a new
connection. The one that has just answered is usually that one, so a worker often takes most
of the connections a client or a proxy keeps alive (14-19 of 20 in the bench, sometimes
17 / 2 / 2) and serves them all on its one interpreter lock, while the others sit idle:
requests on the crowded worker wait several times longer than the rest
(docs/performance.md, tenth round).

`BalancedThreadWorker` is gunicorn's `gthread` worker with one change: a worker takes a new
connection only if it would then hold at most `SLACK` more than the least loaded live
worker. Otherwise it steps aside for `STEP_ASIDE_SECONDS` (it stops listening, so another
worker takes the connection), and after `MAX_STEP_ASIDE_SECONDS` without the others taking
it, takes it itself, so balancing never holds a connection up for longer than that. Each
worker publishes how many connections it holds in shared memory that the master allocates
before it forks the workers.

Use it with `--worker-class core.gunicorn_worker.BalancedThreadWorker` (the Dockerfile and
`make bench` do).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

SLACK = 1
STEP_ASIDE_SECONDS = 0.002
MAX_STEP_ASIDE_SECONDS = 0.05
# Steps aside further apart than this are for different connections (the loop comes back to a
# still-waiting connection about every STEP_ASIDE_SECONDS, later when its threads are busy).
EPISODE_GAP_SECONDS = 10 * STEP_ASIDE_SECONDS

# One slot per worker: its process id and how many connections it holds. Allocated when the
# master loads the worker class, so every worker it forks shares the same memory.
SLOTS = 64
_pids = multiprocessing.RawArray("i", SLOTS)
_held = multiprocessing.RawArray("i", SLOTS)
_claiming = multiprocessing.Lock()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process now has that id: not one of ours
        return False
    return True


@contextmanager
def _claim_lock() -> Iterator[None]:
    # A worker killed while it held the lock would leave it held for good: after a second,
    # go on without it (at worst two workers share a slot, and the spread is less even).
    locked = _claiming.acquire(timeout=1.0)
    try:
        yield
    finally:
        if locked:
            _claiming.release()


def claim_slot(pid: int) -> int:
    """A free slot (or one a dead worker left) for this worker; -1 when none is free."""
    with _claim_lock():
        for index in range(SLOTS):
            if _pids[index] == 0 or not _alive(_pids[index]):
                _pids[index] = pid
                _held[index] = 0
                return index
    return -1


def release_slot(index: int, pid: int) -> None:
    with _claim_lock():
        if index >= 0 and _pids[index] == pid:
            _pids[index] = 0
            _held[index] = 0


def fewest_held(own: int) -> int | None:
    """The fewest connections any other live worker holds (None when there is none)."""
    fewest = None
    for index in range(SLOTS):
        pid = _pids[index]
        if pid == 0 or index == own:
            continue
        held = _held[index]
        if fewest is not None and held >= fewest:
            continue
        if not _alive(pid):
            release_slot(index, pid)
            continue
        fewest = held
    return fewest


class BalancedThreadWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn has no type hints
    _slot = -1
    _nr_conns = 0
    _resume_at = 0.0
    _stepping_since = 0.0  # when this worker first stepped aside for the connection waiting
    _stepped_at = 0.0  # when it last stepped aside

    # gthread counts the connections a worker holds in `nr_conns` (accepted, not yet
    # closed); every change is published to this worker's slot.
    @property
    def nr_conns(self) -> int:
        return self._nr_conns

    @nr_conns.setter
    def nr_conns(self, value: int) -> None:
        self._nr_conns = value
        if self._slot >= 0:
            _held[self._slot] = value

    def init_process(self) -> None:
        self._slot = claim_slot(os.getpid())
        self.nr_conns = self._nr_conns
        super().init_process()

    def run(self) -> None:
        try:
            super().run()
        finally:
            release_slot(self._slot, os.getpid())
            self._slot = -1

    def accept(self, listener: Any) -> None:
        now = time.monotonic()
        fewest = fewest_held(self._slot) if self._slot >= 0 else None
        if fewest is not None and self.nr_conns + 1 > fewest + SLACK:
            # Stepping aside again straight after the last time: the same connection is still
            # waiting. Otherwise another worker took that one, and this is a new connection.
            if now - self._stepped_at > EPISODE_GAP_SECONDS:
                self._stepping_since = now
            if now - self._stepping_since < MAX_STEP_ASIDE_SECONDS:
                # Stop listening for a moment: a worker holding fewer takes it.
                self._stepped_at = now
                self._resume_at = now + STEP_ASIDE_SECONDS
                super().set_accept_enabled(False)
                return
        self._stepped_at = 0.0
        super().accept(listener)

    def set_accept_enabled(self, enabled: bool) -> None:
        # gthread turns listening back on at the top of every loop; not while stepping aside.
        if enabled and time.monotonic() < self._resume_at:
            return
        super().set_accept_enabled(enabled)

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        if self._resume_at:
            left = self._resume_at - time.monotonic()
            if left <= 0:
                self._resume_at = 0.0
            else:
                timeout = min(timeout, left)
        super().wait_for_and_dispatch_events(timeout)
