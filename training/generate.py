"""Generated training for load tests: sessions of the demo's courses, bookings by generated
staff, attendance and completions with certificates.

One session per 1,000 conversations, spread over the two years up to the plan's day and a
few weeks beyond it; past sessions have a register taken, future ones are still booking.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from accounts.generate import GENERATED_DOMAIN
from accounts.models import User
from core.bulk import GenerationPlan, bulk_insert, next_id
from training.models import Booking, Completion, Course, Session

CONVERSATIONS_PER_SESSION = 1_000
DAYS_BACK = 730
DAYS_AHEAD = 42
GENERATED_VENUE = "Generated training room"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1, day=min(day.day, 28))


def generate(plan: GenerationPlan) -> dict[str, int]:
    rng = plan.rng("training")
    courses = list(
        Course.objects.filter(is_active=True)
        .exclude(delivery_mode=Course.Mode.E_LEARNING)
        .select_related("programme")
        .order_by("pk")
    )
    staff: dict[int, list[int]] = defaultdict(list)
    for pk, organisation_id in (
        User.objects.filter(email__endswith=f"@{GENERATED_DOMAIN}")
        .order_by("pk")
        .values_list("pk", "organisation_id")
    ):
        staff[organisation_id].append(pk)
    if not courses or not staff:
        return {}
    organisations = sorted(staff)
    sessions: list[tuple[object, ...]] = []
    bookings: list[tuple[object, ...]] = []
    completions: list[tuple[object, ...]] = []
    session_id, booking_id, completion_id = next_id(Session), next_id(Booking), next_id(Completion)
    now = timezone.now()
    count = max(3, plan.conversations // CONVERSATIONS_PER_SESSION)
    for _ in range(count):
        course = rng.choice(courses)
        organisation_id = rng.choice(organisations)
        day = plan.today + datetime.timedelta(days=rng.randint(-DAYS_BACK, DAYS_AHEAD))
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
        ends = starts + datetime.timedelta(minutes=course.duration_minutes)
        capacity = rng.randint(12, 24)
        sessions.append(
            (
                session_id, starts - datetime.timedelta(days=30), now, course.pk,
                organisation_id, starts, ends, GENERATED_VENUE, "", "", capacity,
                rng.randint(200, 600) * 100, rng.randint(0, 150) * 100, rng.randint(0, 40) * 100,
                Session.Status.SCHEDULED, "",
            )
        )  # fmt: skip
        pool = staff[organisation_id]
        learners = rng.sample(pool, min(len(pool), rng.randint(capacity // 2, capacity)))
        held = ends < now
        for learner in learners:
            booked_at = starts - datetime.timedelta(days=rng.randint(3, 40))
            status = Booking.Status.BOOKED
            if held:
                status = rng.choices(
                    [Booking.Status.ATTENDED, Booking.Status.NO_SHOW, Booking.Status.CANCELLED],
                    weights=[85, 10, 5],
                )[0]
            marked = ends if status in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW) else None
            bookings.append(
                (
                    booking_id, booked_at, now, session_id, learner, learner, status,
                    booked_at, starts if status == Booking.Status.CANCELLED else None, marked,
                )
            )  # fmt: skip
            if status == Booking.Status.ATTENDED:
                months = course.programme.certificate_validity_months
                completed = timezone.localtime(ends).date()
                completions.append(
                    (
                        completion_id, ends, now, learner, course.pk, booking_id, completed,
                        f"GEN-{plan.seed}-{booking_id}", f"{rng.getrandbits(128):032x}",
                        completed, _add_months(completed, months) if months else None,
                        Completion.Source.REGISTER,
                    )
                )  # fmt: skip
                completion_id += 1
            booking_id += 1
        session_id += 1
    bulk_insert(
        Session,
        [
            "id", "created_at", "updated_at", "course", "organisation", "starts_at", "ends_at",
            "venue_name", "venue_address", "joining_url", "capacity", "trainer_cost_pence",
            "venue_cost_pence", "materials_cost_pence", "status", "cancellation_reason",
        ],
        sessions,
    )  # fmt: skip
    bulk_insert(
        Booking,
        [
            "id", "created_at", "updated_at", "session", "learner", "booked_by", "status",
            "confirmed_at", "cancelled_at", "attendance_marked_at",
        ],
        bookings,
    )  # fmt: skip
    bulk_insert(
        Completion,
        [
            "id", "created_at", "updated_at", "learner", "course", "booking", "completed_on",
            "certificate_number", "verification_code", "issued_on", "expires_on", "source",
        ],
        completions,
    )  # fmt: skip
    return {"sessions": len(sessions), "bookings": len(bookings), "completions": len(completions)}
