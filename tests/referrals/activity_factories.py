"""Factories and a standing cast for the conversations and referrals tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import factory
from django.utils import timezone

from accounts.models import Area, Organisation, Role, User
from referrals.models import (
    Conversation,
    ConversationSetting,
    MeccLevel,
    Outcome,
    Referral,
    ReferralStatusChange,
    Service,
    Topic,
)
from tests.factories import OrganisationFactory, UserFactory


class ActivityTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class ActivityServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    provider = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Help for residents."
    referral_route = Service.ReferralRoute.PROFESSIONAL_REFERRAL

    @factory.post_generation
    def topics(obj: Service, create: bool, extracted: list[Topic] | None, **kwargs: object) -> None:
        if create and extracted:
            obj.topics.set(extracted)

    @factory.post_generation
    def areas(obj: Service, create: bool, extracted: list[Area] | None, **kwargs: object) -> None:
        if create and extracted:
            obj.areas_served.set(extracted)


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.author.organisation)
    area = factory.LazyAttribute(lambda o: o.organisation.area)
    occurred_at = factory.LazyFunction(timezone.now)
    setting = ConversationSetting.OUTPATIENTS
    mecc_level = MeccLevel.VERY_BRIEF_ADVICE
    outcome = Outcome.SIGNPOSTED

    @factory.post_generation
    def topics(
        obj: Conversation, create: bool, extracted: list[Topic] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            obj.topics.set(extracted)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral
        skip_postgeneration_save = True

    conversation = factory.SubFactory(ConversationFactory)
    service = factory.SubFactory(ActivityServiceFactory)
    kind = Referral.Kind.REFERRAL
    status = Referral.Status.SENT
    created_by = factory.LazyAttribute(lambda o: o.conversation.author)
    status_changed_at = factory.LazyFunction(timezone.now)
    consent_statement = "The resident agreed."
    consent_given_at = factory.LazyFunction(timezone.now)
    consent_recorded_by = factory.LazyAttribute(lambda o: o.conversation.author)
    contact_name = "Ada Resident"
    contact_phone = "07700 900123"
    contact_email = "ada@resident.example"
    contact_preferred_time = "Mornings"

    @factory.post_generation
    def history(obj: Referral, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            ReferralStatusChange.objects.create(
                referral=obj,
                status=obj.status,
                changed_at=obj.created_at,
                changed_by=obj.created_by,
            )


@dataclass
class Cast:
    """Everyone the scope tests need, around one Camden worker's conversation and referral."""

    worker: User
    colleague: User
    outsider: User
    lead: User
    provider: User
    other_provider: User
    commissioner: User
    provider_org: Organisation
    topic: Topic
    urgent_topic: Topic
    service: Service
    signpost_service: Service
    conversation: Conversation
    referral: Referral


def build_cast(
    make_user: Callable[..., User],
    *,
    camden_trust: Organisation,
    haringey_council: Organisation,
    partnership: Area,
) -> Cast:
    camden = camden_trust.area
    provider_org: Organisation = OrganisationFactory(
        name="Wood Green Voluntary Action",
        kind=Organisation.Kind.VOLUNTARY_SECTOR,
        area=haringey_council.area,
        ods_code="ZV001",
    )
    camden_trust.ods_code = "ZT001"
    camden_trust.save(update_fields=["ods_code"])
    worker = make_user(Role.FRONTLINE_WORKER, camden_trust, full_name="Wendy Worker")
    topic: Topic = ActivityTopicFactory(
        slug="smoking",
        name="Smoking",
        snomed_code="710081004",
        snomed_display="Smoking cessation therapy",
    )
    urgent_topic: Topic = ActivityTopicFactory(
        slug="mental-health-crisis", name="Mental health crisis", urgent_support_first=True
    )
    service: Service = ActivityServiceFactory(
        name="Stop Smoking Haringey and Camden",
        provider=provider_org,
        topics=[topic],
        areas=[camden],
    )
    signpost_service: Service = ActivityServiceFactory(
        name="Quitline",
        provider=provider_org,
        referral_route=Service.ReferralRoute.SIGNPOST_ONLY,
        topics=[topic],
    )
    conversation: Conversation = ConversationFactory(author=worker, topics=[topic])
    referral: Referral = ReferralFactory(conversation=conversation, service=service, topic=topic)
    return Cast(
        worker=worker,
        colleague=make_user(Role.FRONTLINE_WORKER, camden_trust, full_name="Colin Colleague"),
        outsider=make_user(Role.FRONTLINE_WORKER, haringey_council, full_name="Olive Outsider"),
        lead=make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True, full_name="Lee Lead"),
        provider=make_user(Role.SERVICE_PROVIDER, provider_org, full_name="Pat Provider"),
        other_provider=make_user(Role.SERVICE_PROVIDER, haringey_council),
        commissioner=make_user(Role.COMMISSIONER, partnership, with_mfa=True),
        provider_org=provider_org,
        topic=topic,
        urgent_topic=urgent_topic,
        service=service,
        signpost_service=signpost_service,
        conversation=conversation,
        referral=referral,
    )
