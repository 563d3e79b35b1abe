"""core.combiner.Combiner: threads that call while a call runs are served by one call."""

from __future__ import annotations

import threading
import time

import pytest

from core.combiner import Combiner

WAIT = 10.0


class Backend:
    """call_many that records its batches; the first call can be held until released."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.threads: list[str] = []
        self.first_entered = threading.Event()
        self.release_first = threading.Event()
        self.fail_on: int | None = None

    def __call__(self, items: list[int]) -> list[str]:
        self.batches.append(list(items))
        self.threads.append(threading.current_thread().name)
        if len(self.batches) == 1:
            self.first_entered.set()
            assert self.release_first.wait(WAIT)
        if self.fail_on in items:
            raise ConnectionError(f"lost the connection with {items}")
        return [f"done {item}" for item in items]


def _wait_until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.001)


def _start(combiner: Combiner, items: list[int], results: dict) -> list[threading.Thread]:  # type: ignore[type-arg]
    def run(item: int) -> None:
        try:
            results[item] = combiner.call(item)
        except Exception as exc:
            results[item] = exc

    threads = [threading.Thread(target=run, args=(item,), name=f"caller-{item}") for item in items]
    for thread in threads:
        thread.start()
    return threads


def test_a_call_with_nothing_running_goes_at_once_alone():
    backend = Backend()
    backend.release_first.set()
    combiner = Combiner(backend)
    assert combiner.call(7) == "done 7"
    assert backend.batches == [[7]]
    assert backend.threads == [threading.current_thread().name]  # on the caller's thread


def test_callers_arriving_during_a_call_are_served_by_the_next_one_in_order():
    backend = Backend()
    combiner: Combiner[int, str] = Combiner(backend)
    results: dict[int, object] = {}
    first = _start(combiner, [0], results)
    assert backend.first_entered.wait(WAIT)
    waiting = _start(combiner, [1, 2, 3, 4, 5], results)
    _wait_until(lambda: len(combiner._pending) == 5, "the five callers did not queue")
    backend.release_first.set()
    for thread in first + waiting:
        thread.join(WAIT)
    assert backend.batches[0] == [0]
    assert sorted(backend.batches[1]) == [1, 2, 3, 4, 5]  # one call for all five
    assert len(backend.batches) == 2
    assert combiner.batches == 2
    assert results == {item: f"done {item}" for item in range(6)}
    # The call was made on one of the waiting callers' threads, not a thread of its own.
    assert backend.threads[1] in {f"caller-{item}" for item in range(1, 6)}


def test_arrival_order_is_kept_within_a_batch():
    backend = Backend()
    combiner: Combiner[int, str] = Combiner(backend)
    results: dict[int, object] = {}
    threads = _start(combiner, [0], results)
    assert backend.first_entered.wait(WAIT)
    for item in (1, 2, 3):  # one at a time, so the arrival order is known
        threads += _start(combiner, [item], results)
        _wait_until(lambda n=item: len(combiner._pending) == n, "caller did not queue")
    backend.release_first.set()
    for thread in threads:
        thread.join(WAIT)
    assert backend.batches == [[0], [1, 2, 3]]


def test_a_failed_batch_is_retried_one_by_one_so_only_the_bad_item_fails():
    backend = Backend()
    backend.fail_on = 2
    combiner: Combiner[int, str] = Combiner(backend)
    results: dict[int, object] = {}
    threads = _start(combiner, [0], results)
    assert backend.first_entered.wait(WAIT)
    for queued, item in enumerate((1, 2, 3), start=1):
        threads += _start(combiner, [item], results)
        _wait_until(lambda n=queued: len(combiner._pending) == n, "caller did not queue")
    backend.release_first.set()
    for thread in threads:
        thread.join(WAIT)
    assert backend.batches == [[0], [1, 2, 3], [1], [2], [3]]
    assert (results[0], results[1], results[3]) == ("done 0", "done 1", "done 3")
    assert isinstance(results[2], ConnectionError)
    assert combiner.call(4) == "done 4"  # nothing stuck: the next call is made


def test_a_leader_interrupted_mid_call_leaves_nobody_waiting():
    interrupt = [True]

    def call_many(items: list[int]) -> list[str]:
        if interrupt.pop() if interrupt else False:
            raise SystemExit  # not an Exception: the leader's own, not shared
        return [f"done {item}" for item in items]

    combiner: Combiner[int, str] = Combiner(call_many)
    with pytest.raises(SystemExit):
        combiner.call(1)
    assert not combiner._busy
    assert combiner.call(2) == "done 2"


def test_a_batch_is_at_most_max_batch_long():
    backend = Backend()
    combiner: Combiner[int, str] = Combiner(backend, max_batch=2)
    results: dict[int, object] = {}
    threads = _start(combiner, [0], results)
    assert backend.first_entered.wait(WAIT)
    threads += _start(combiner, [1, 2, 3, 4, 5], results)
    _wait_until(lambda: len(combiner._pending) == 5, "callers did not queue")
    backend.release_first.set()
    for thread in threads:
        thread.join(WAIT)
    assert [len(batch) for batch in backend.batches] == [1, 2, 2, 1]
    assert results == {item: f"done {item}" for item in range(6)}


def test_a_call_many_that_answers_the_wrong_number_of_results_is_an_error():
    combiner: Combiner[int, str] = Combiner(lambda items: [])
    with pytest.raises(RuntimeError, match="1 calls combined, 0 results"):
        combiner.call(1)
