"""factory_boy factories for training (programmes come from the data migration)."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module
from typing import TYPE_CHECKING, Any

import factory
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from training.models import Booking, Completion, Course, Programme, Session

# The programmes come from a data migration; a transactional test elsewhere in the run may
# have flushed them, so put them back from the same data when they are missing.
SEEDED = import_module("training.migrations.0002_seed_programmes_and_quality_criteria")


def programme(code: str = "mecc") -> Programme:
    values = next(p for p in SEEDED.PROGRAMMES if p["code"] == code)
    found, _ = Programme.objects.get_or_create(code=code, defaults=values)
    return found


class CourseFactory(factory.django.DjangoModelFactory):
    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> Course: ...

    class Meta:
        model = Course

    programme = factory.LazyFunction(programme)
    title = factory.Sequence(lambda n: f"MECC level 1 course {n}")
    level = 1
    delivery_mode = Course.Mode.FACE_TO_FACE
    duration_minutes = 180
    cost_pence = 0
    provider = factory.SubFactory(OrganisationFactory)
    audience = "Anyone who talks to residents"


class SessionFactory(factory.django.DjangoModelFactory):
    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> Session: ...

    class Meta:
        model = Session
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    organisation = factory.LazyAttribute(lambda o: o.course.provider)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    venue_name = "Crowndale Centre"
    venue_address = "218 Eversholt Street, London NW1 1BD"
    capacity = 10

    @factory.post_generation
    def trainers(obj: Session, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            obj.trainers.set(extracted)


class BookingFactory(factory.django.DjangoModelFactory):
    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> Booking: ...

    class Meta:
        model = Booking

    session = factory.SubFactory(SessionFactory)
    learner = factory.SubFactory(UserFactory)
    status = Booking.Status.BOOKED
    confirmed_at = factory.LazyFunction(timezone.now)


class CompletionFactory(factory.django.DjangoModelFactory):
    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> Completion: ...

    class Meta:
        model = Completion

    learner = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    certificate_number = factory.Sequence(lambda n: f"MECC-2026-{n:08X}")
    verification_code = factory.Sequence(lambda n: f"code-{n}-abcdefghijklmnop")
    issued_on = factory.LazyAttribute(lambda o: o.completed_on)
    expires_on = factory.LazyAttribute(lambda o: o.completed_on + timedelta(days=3 * 365))
