"""core.publisher.BatchPublisher: every id published once, in batches, from its own thread."""

from __future__ import annotations

import multiprocessing
import threading

from core.publisher import BatchPublisher

WAIT = 10.0


class Recorder:
    def __init__(self, *, hold: threading.Event | None = None, fail_first: bool = False) -> None:
        self.batches: list[list[int]] = []
        self.threads: set[str] = set()
        self.hold = hold
        self.fail_first = fail_first
        self.entered = threading.Event()

    def __call__(self, batch: list[int]) -> None:
        self.entered.set()
        if self.hold is not None:
            assert self.hold.wait(WAIT)
        self.threads.add(threading.current_thread().name)
        self.batches.append(batch)
        if self.fail_first:
            self.fail_first = False
            raise ConnectionError("broker unavailable")


def test_ids_put_from_many_threads_are_each_published_once_off_the_callers_thread():
    recorder = Recorder()
    publisher = BatchPublisher(recorder, batch_size=50)

    def put_range(start: int) -> None:
        for item in range(start, start + 100):
            publisher.put(item)

    putters = [threading.Thread(target=put_range, args=(n * 100,)) for n in range(8)]
    for putter in putters:
        putter.start()
    for putter in putters:
        putter.join()
    assert publisher.wait_idle(WAIT)
    published = [item for batch in recorder.batches for item in batch]
    assert sorted(published) == list(range(800))
    assert all(len(batch) <= 50 for batch in recorder.batches)
    assert recorder.threads == {"outbox-publisher"}
    publisher.close()


def test_ids_that_gather_while_a_publish_runs_go_in_the_next_few_batches():
    hold = threading.Event()
    recorder = Recorder(hold=hold)
    publisher = BatchPublisher(recorder, batch_size=50)
    publisher.put(0)
    assert recorder.entered.wait(WAIT)  # the thread is inside the first publish
    for item in range(1, 121):
        publisher.put(item)
    hold.set()
    assert publisher.wait_idle(WAIT)
    assert [len(batch) for batch in recorder.batches] == [1, 50, 50, 20]
    publisher.close()


def test_the_first_id_waits_a_moment_for_others():
    recorder = Recorder()
    publisher = BatchPublisher(recorder, linger_seconds=2.0)
    publisher.put(1)
    publisher.put(2)  # well inside the linger: the same publish
    assert publisher.wait_idle(WAIT)
    assert recorder.batches == [[1, 2]]
    publisher.close()


def test_a_failed_publish_is_logged_and_the_thread_carries_on(caplog):
    recorder = Recorder(fail_first=True)
    publisher = BatchPublisher(recorder)
    publisher.put(1)
    assert publisher.wait_idle(WAIT)
    publisher.put(2)
    assert publisher.wait_idle(WAIT)
    assert recorder.batches == [[1], [2]]
    assert "1 ids left for the sweeper" in caplog.text
    publisher.close()


def test_close_publishes_what_is_queued_and_stops_the_thread():
    hold = threading.Event()
    recorder = Recorder(hold=hold)
    publisher = BatchPublisher(recorder)
    publisher.put(1)
    assert recorder.entered.wait(WAIT)
    publisher.put(2)
    publisher.put(3)
    hold.set()
    publisher.close()
    assert [item for batch in recorder.batches for item in batch] == [1, 2, 3]
    assert publisher._thread is not None
    assert not publisher._thread.is_alive()


def _child(publisher: BatchPublisher, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    publisher.put(7)
    results.put(publisher.wait_idle(WAIT))


def test_a_forked_process_gets_its_own_thread(tmp_path):
    """A gunicorn worker is forked from the master: the master's thread is not in the child."""
    published = tmp_path / "published"

    def record(batch: list[int]) -> None:
        with published.open("a") as out:
            out.write(f"{batch}\n")

    publisher = BatchPublisher(record)
    publisher.put(1)  # the parent's thread exists before the fork
    assert publisher.wait_idle(WAIT)
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_child, args=(publisher, results))
    child.start()
    assert results.get(timeout=WAIT) is True
    child.join(WAIT)
    assert child.exitcode == 0
    assert published.read_text().splitlines() == ["[1]", "[7]"]
    publisher.close()
