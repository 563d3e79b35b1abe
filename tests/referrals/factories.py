"""factory_boy factories for referrals (directory models first; others add theirs below)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from referrals.models import Location, Schedule, Service, ServiceAtLocation, Topic
from tests.factories import OrganisationFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    provider = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Support for residents."
    referral_route = Service.ReferralRoute.PROFESSIONAL_REFERRAL
    last_verified_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def topics(obj: Service, create: bool, extracted: list[Topic] | None, **kwargs: object) -> None:
        if create and extracted:
            obj.topics.set(extracted)

    @factory.post_generation
    def areas_served(obj: Service, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            obj.areas_served.set(extracted)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Community centre {n}")
    address_1 = "1 High Road"
    city = "London"
    postcode = "N22 8HQ"
    latitude = 51.6017
    longitude = -0.1141


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    byday = "MO,TU,WE,TH,FR"
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(17, 0)
