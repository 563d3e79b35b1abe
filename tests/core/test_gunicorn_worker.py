"""core.gunicorn_worker: kept-alive connections spread evenly over gunicorn's workers."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import gunicorn_worker
from core.gunicorn_worker import (
    SLACK,
    BalancedThreadWorker,
    claim_slot,
    fewest_held,
    release_slot,
)

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()]


@pytest.fixture
def server() -> Iterator[int]:
    """gunicorn with three balanced workers serving tests.core.wsgi_pid; yields its port."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "tests.core.wsgi_pid:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--threads", "4",
            "--worker-class", "core.gunicorn_worker.BalancedThreadWorker",
            "--keep-alive", "60", "--log-level", "warning",
        ],
        cwd=ROOT,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while len(_workers_of(process.pid)) < WORKERS or not _answers(port):
            assert process.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        time.sleep(1)  # every worker past its start-up, listening
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/", headers={"Connection": "close"})
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False


def test_connections_opened_one_after_another_are_spread_evenly(server: int) -> None:
    # As a load generator or a proxy opens them: each connection sends a request and stays
    # open, and the next arrives when every worker is idle again. Plain gthread gives most
    # of them to one worker (17 / 2 / 2 in the bench).
    connections, served_by = [], Counter[str]()
    try:
        for _ in range(7 * WORKERS):
            connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
            connection.request("GET", "/")
            response = connection.getresponse()
            assert response.status == 200
            served_by[response.read().decode()] += 1
            connections.append(connection)
        # Kept alive, each connection's next request goes to the same worker.
        for connection in connections[:WORKERS]:
            connection.request("GET", "/")
            connection.getresponse().read()
    finally:
        for connection in connections:
            connection.close()
    assert len(served_by) == WORKERS, served_by
    held = sorted(served_by.values())
    assert held[-1] - held[0] <= SLACK, f"connections per worker: {held}"


def test_a_dead_workers_slot_is_neither_the_fewest_nor_kept() -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine = claim_slot(os.getpid())
    live = claim_slot(os.getppid())
    gone = claim_slot(dead.pid)  # a worker killed after it claimed its slot
    try:
        assert len({mine, gone, live}) == 3
        gunicorn_worker._held[mine] = 5
        gunicorn_worker._held[live] = 2
        # The dead worker "held" nothing, but it is no worker to leave connections to.
        assert fewest_held(mine) == 2
        assert gunicorn_worker._pids[gone] == 0  # released on the way: free to claim again
        assert fewest_held(live) == 5
        # A slot a dead worker left is claimed again by the next worker to start.
        gunicorn_worker._pids[gone] = dead.pid
        assert claim_slot(os.getpid()) == gone
    finally:
        for index, pid in ((mine, os.getpid()), (gone, os.getpid()), (live, os.getppid())):
            release_slot(index, pid)


def test_a_lock_left_held_by_a_killed_worker_does_not_stop_the_next_one_starting() -> None:
    assert gunicorn_worker._claiming.acquire(timeout=1)  # as if its holder had been killed
    try:
        mine = claim_slot(os.getpid())
        assert mine >= 0
        assert gunicorn_worker._pids[mine] == os.getpid()
        release_slot(mine, os.getpid())
        assert gunicorn_worker._pids[mine] == 0
    finally:
        gunicorn_worker._claiming.release()


def test_the_limit_on_stepping_aside_counts_from_the_connection_waiting_now(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker that stepped aside for a connection another worker took steps aside again
    for the next one, however much later it comes; it takes one itself only after stepping
    aside for that same connection for MAX_STEP_ASIDE_SECONDS."""
    from gunicorn.workers.gthread import ThreadWorker

    calls: list[str] = []
    monkeypatch.setattr(ThreadWorker, "accept", lambda self, listener: calls.append("accept"))
    monkeypatch.setattr(
        ThreadWorker, "set_accept_enabled", lambda self, on: calls.append(f"listen {on}")
    )
    clock = [1000.0]
    monkeypatch.setattr(gunicorn_worker.time, "monotonic", lambda: clock[0])
    worker = BalancedThreadWorker.__new__(BalancedThreadWorker)  # no arbiter, no sockets
    worker._slot = claim_slot(os.getpid())
    other = claim_slot(os.getppid())
    try:
        worker.nr_conns = 3
        gunicorn_worker._held[other] = 1

        worker.accept(None)
        assert calls == ["listen False"]  # another worker, holding fewer, takes it
        clock[0] += 5.0  # a new connection, much later: the crowded worker still steps aside
        worker.accept(None)
        assert calls == ["listen False", "listen False"]
        # Nobody takes this one: stepping aside every few ms, then taking it after the limit.
        while clock[0] < 1005.0 + gunicorn_worker.MAX_STEP_ASIDE_SECONDS:
            clock[0] += gunicorn_worker.STEP_ASIDE_SECONDS
            worker.accept(None)
        assert calls[-1] == "accept"
        assert calls.count("accept") == 1
    finally:
        release_slot(worker._slot, os.getpid())
        release_slot(other, os.getppid())
