"""Calls that threads of one process make at the same moment, made as one call.

A hundred people booking one session at once queue for its row lock in PostgreSQL, one
transaction after another (ADR 0012); each turn costs a lock hand-over, the statements and
a commit. A `Combiner` lets the threads of a process that arrive while one call is running
wait, and the next of them makes one call for all of them: the process takes one turn at
the lock for several bookings (ADR 0015). A call that finds nothing running goes at once,
so nothing waits when there is no queue.

`call_many` gets the items in arrival order and must return one result per item, in the
same order, and must have no effect when it raises (one transaction, as a database call in
autocommit is): if a call for several items raises, each is called again alone, so each
caller gets its own result or its own exception.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class _Entry(Generic[T, R]):
    __slots__ = ("done", "error", "item", "result")

    def __init__(self, item: T) -> None:
        self.item = item
        self.done = False
        self.result: R | None = None
        self.error: BaseException | None = None


class Combiner(Generic[T, R]):
    def __init__(self, call_many: Callable[[list[T]], list[R]], *, max_batch: int = 64) -> None:
        self._call_many = call_many
        self._max_batch = max_batch
        self._cond = threading.Condition()
        self._pending: list[_Entry[T, R]] = []
        self._busy = False
        self.batches = 0  # calls made, for tests and the curious

    def call(self, item: T) -> R:
        entry: _Entry[T, R] = _Entry(item)
        with self._cond:
            self._pending.append(entry)
            while True:
                if entry.done:
                    return self._outcome(entry)
                if not self._busy and entry in self._pending[: self._max_batch]:
                    break
                self._cond.wait()
            # This thread leads: it makes the call for everyone waiting, itself included.
            self._busy = True
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
        answers: list[tuple[R | None, BaseException | None]] = []
        try:
            answers = self._answer(batch)
        finally:
            with self._cond:
                self.batches += 1
                for index, waiting in enumerate(batch):
                    if index < len(answers):
                        waiting.result, waiting.error = answers[index]
                    else:  # the leader itself was interrupted (KeyboardInterrupt and the like)
                        waiting.error = RuntimeError("the call made for this one was interrupted")
                    waiting.done = True
                self._busy = False
                self._cond.notify_all()
        return self._outcome(entry)

    def _answer(self, batch: list[_Entry[T, R]]) -> list[tuple[R | None, BaseException | None]]:
        """One call for the batch; if it fails and holds more than one item, each item alone,
        so one item's bad data fails only its own caller."""
        try:
            results = self._call_many([waiting.item for waiting in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"{len(batch)} calls combined, {len(results)} results")
            return [(result, None) for result in results]
        except Exception as exc:
            if len(batch) == 1:
                return [(None, exc)]
        answers: list[tuple[R | None, BaseException | None]] = []
        for waiting in batch:
            try:
                [result] = self._call_many([waiting.item])
                answers.append((result, None))
            except Exception as exc:
                answers.append((None, exc))
        return answers

    @staticmethod
    def _outcome(entry: _Entry[T, R]) -> R:
        if entry.error is not None:
            raise entry.error
        return entry.result  # type: ignore[return-value]
