"""factory_boy factories for the models the tests build on."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from accounts.models import Area, Organisation, OrganisationEmailDomain, Role, RoleMembership, User

TEST_PASSWORD = "correct-horse-battery-staple"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("ons_code",)

    ons_code = factory.Sequence(lambda n: f"E09{n:06d}")
    name = factory.Sequence(lambda n: f"Borough {n}")
    kind = Area.Kind.BOROUGH


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.NHS_TRUST
    area = factory.SubFactory(AreaFactory)


class EmailDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationEmailDomain

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.Sequence(lambda n: f"org{n}.nhs.example")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@org.nhs.example")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified_email(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class RoleMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleMembership

    user = factory.SubFactory(UserFactory)
    role = Role.FRONTLINE_WORKER
    organisation = factory.LazyAttribute(lambda o: o.user.organisation)
    area = None
