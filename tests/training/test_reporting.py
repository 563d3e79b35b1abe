from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Role
from tests.training.factories import (
    BookingFactory,
    CompletionFactory,
    CourseFactory,
    SessionFactory,
    programme,
)
from training import selectors
from training.models import Booking

pytestmark = pytest.mark.django_db


def test_people_trained_counts_distinct_people_by_group(make_user, camden_trust, haringey_council):
    nurse = make_user(Role.FRONTLINE_WORKER, camden_trust, staff_group="nursing")
    officer = make_user(Role.FRONTLINE_WORKER, haringey_council, staff_group="housing")
    mecc, mhfa = CourseFactory(), CourseFactory(programme=programme("mhfa"), level=None)
    CompletionFactory(learner=nurse, course=mecc, completed_on=date(2026, 3, 1))
    CompletionFactory(learner=nurse, course=mhfa, completed_on=date(2026, 3, 2))
    CompletionFactory(learner=officer, course=mecc, completed_on=date(2026, 4, 1))
    CompletionFactory(learner=officer, course=mecc, completed_on=date(2025, 1, 1))  # outside
    period = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    assert selectors.people_trained(**period, by="programme") == [
        {"group": "Making Every Contact Count", "people": 2},
        {"group": "Mental Health First Aid", "people": 1},
    ]
    by_area = selectors.people_trained(**period, by="area")
    assert by_area == [{"group": "Camden", "people": 1}, {"group": "Haringey", "people": 1}]
    by_group = {
        r["group"]: r["people"] for r in selectors.people_trained(**period, by="staff_group")
    }
    assert by_group == {"housing": 1, "nursing": 1}


def test_session_costs_carry_the_cost_breakdown_and_attendance():
    london = ZoneInfo("Europe/London")
    start = datetime(2026, 6, 1, 10, tzinfo=london)
    session = SessionFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        trainer_cost_pence=30000,
        venue_cost_pence=5000,
    )
    BookingFactory(session=session, status=Booking.Status.ATTENDED)
    BookingFactory(session=session, status=Booking.Status.NO_SHOW)
    [row] = selectors.session_costs(
        start=datetime(2026, 6, 1, tzinfo=london), end=datetime(2026, 7, 1, tzinfo=london)
    )
    assert (row.total_cost_pence, row.attended) == (35000, 1)
