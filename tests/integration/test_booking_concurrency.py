"""Capacity holds under concurrent bookings on PostgreSQL (row lock on the session).

30 learners book a 10-place session at the same moment from 30 threads, each with its own
database connection: exactly 10 get places, 20 join the waiting list, positions 1..20.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from accounts.models import Role
from tests.training.factories import SessionFactory
from training import services
from training.models import Booking

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

    threads = [threading.Thread(target=book, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, f"{len(errors)} booking(s) failed: {errors[:3]}"

    bookings = Booking.objects.filter(session=session)
    assert bookings.count() == LEARNERS
    assert bookings.filter(status=Booking.Status.BOOKED).count() == PLACES
    positions = sorted(
        booking.waitlist_position or 0
        for booking in bookings.filter(status=Booking.Status.WAITLISTED)
    )
    assert positions == list(range(1, LEARNERS - PLACES + 1))
