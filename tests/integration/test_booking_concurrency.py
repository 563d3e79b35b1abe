"""Capacity holds under concurrent bookings on PostgreSQL (row lock on the session).

30 learners book a 10-place session at the same moment from 30 threads: exactly 10 get
places, 20 join the waiting list, positions 1..20.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from accounts.models import Role
from tests.training.factories import SessionFactory
from training import services
from training.models import Booking
from training.services import bookings as booking_services

pytestmark = pytest.mark.integration

LEARNERS = 30
PLACES = 10


def test_thirty_simultaneous_bookings_fill_ten_places_and_waitlist_the_rest(
    make_user, camden_trust
):
    assert connection.vendor == "postgresql", "this test proves the PostgreSQL row lock"
    session = SessionFactory(capacity=PLACES, organisation=camden_trust)
    learners = [make_user(Role.FRONTLINE_WORKER, camden_trust) for _ in range(LEARNERS)]
    barrier = threading.Barrier(LEARNERS)
    errors: list[BaseException] = []

    def book(learner) -> None:
        try:
            barrier.wait(timeout=30)
            services.booking_create(session=session, learner=learner, actor=learner)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    warm_before = booking_services._warm.opened
    threads = [threading.Thread(target=book, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, f"{len(errors)} booking(s) failed: {errors[:3]}"
    # The combined calls take turns, so they were all made on one warm connection of this
    # process, not on the thirty threads' own (core.warm).
    assert booking_services._warm.opened - warm_before == 1

    bookings = Booking.objects.filter(session=session)
    assert bookings.count() == LEARNERS
    assert bookings.filter(status=Booking.Status.BOOKED).count() == PLACES
    positions = sorted(
        booking.waitlist_position or 0
        for booking in bookings.filter(status=Booking.Status.WAITLISTED)
    )
    assert positions == list(range(1, LEARNERS - PLACES + 1))


def test_learners_waiting_for_the_lock_in_one_process_are_booked_in_one_call(
    make_user, camden_trust
):
    """ADR 0015: while one booking waits for the session's row lock, the threads of this
    process that arrive queue in its combiner and are booked by the next call, in order,
    each with its own outcome, audit event and email."""
    import psycopg

    from core.models import AuditEvent, OutboxMessage
    from training.services import bookings

    session = SessionFactory(capacity=2, organisation=camden_trust)
    learners = [make_user(Role.FRONTLINE_WORKER, camden_trust) for _ in range(5)]
    settings = connection.settings_dict
    holder = psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
    )
    holder.execute("SELECT 1 FROM training_session WHERE id = %s FOR UPDATE", [session.pk])
    results: dict[int, Booking] = {}
    errors: list[BaseException] = []

    def book(learner) -> None:
        try:
            results[learner.pk] = services.booking_create(
                session=session, learner=learner, actor=learner
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(learners[0],), daemon=True)]
    try:
        threads[0].start()
        combiner = bookings._combiner(session.pk)
        _wait_until(lambda: combiner._busy, "the first booking did not start its call")
        for queued, learner in enumerate(learners[1:], start=1):  # one at a time: order known
            threads.append(threading.Thread(target=book, args=(learner,), daemon=True))
            threads[-1].start()
            _wait_until(lambda n=queued: len(combiner._pending) == n, "not queued")
    finally:
        holder.rollback()  # the lock goes; the first call runs, then one call for the four
        holder.close()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert combiner.batches == 2

    outcomes = [(results[u.pk].status, results[u.pk].waitlist_position) for u in learners]
    assert outcomes == [
        ("booked", None),
        ("booked", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("waitlisted", 3),
    ]
    rows = Booking.objects.filter(session=session)
    assert {(b.learner_id, b.status, b.waitlist_position) for b in rows} == {
        (u.pk, status, position) for u, (status, position) in zip(learners, outcomes, strict=True)
    }
    assert len({b.created_at for b in rows}) == 2  # two calls: the first, then the four
    for booking in rows:
        assert AuditEvent.objects.get(target_id=str(booking.pk)).actor_id == booking.learner_id
        message = OutboxMessage.objects.get(context__booking=booking.pk)
        assert message.context["template"] == (
            "booking_confirmed" if booking.status == "booked" else "booking_waitlisted"
        )


def _wait_until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.005)
