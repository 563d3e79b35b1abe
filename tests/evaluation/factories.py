"""factory_boy factories for the evaluation models."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import factory

from accounts.models import StaffGroup
from evaluation.models import (
    GlossaryTerm,
    OrganisationReturn,
    Resource,
    ReturnPeriod,
    WorkforceHeadcount,
)
from tests.factories import OrganisationFactory


class WorkforceHeadcountFactory(factory.django.DjangoModelFactory):
    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> WorkforceHeadcount: ...

    class Meta:
        model = WorkforceHeadcount

    organisation = factory.SubFactory(OrganisationFactory)
    staff_group = StaffGroup.NURSING
    headcount = 100
    as_of = datetime.date(2026, 3, 31)


class ReturnPeriodFactory(factory.django.DjangoModelFactory):
    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> ReturnPeriod: ...

    class Meta:
        model = ReturnPeriod

    name = factory.Sequence(lambda n: f"Period {n}")
    kind = ReturnPeriod.Kind.FINANCIAL_YEAR
    starts_on = datetime.date(2026, 4, 1)
    ends_on = datetime.date(2027, 3, 31)
    deadline = datetime.date(2027, 4, 30)


class OrganisationReturnFactory(factory.django.DjangoModelFactory):
    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> OrganisationReturn: ...

    class Meta:
        model = OrganisationReturn

    organisation = factory.SubFactory(OrganisationFactory)
    period = factory.SubFactory(ReturnPeriodFactory)
    programmes = factory.LazyFunction(lambda: ["mecc"])
    delivery = "MECC level 1 every month"
    people_trained = 42
    trainers_now = 3
    trainers_next_year = 4
    budget_now_pounds = 12000
    budget_next_year_pounds = 15000
    training_hours_now = 300
    training_hours_next_year = 360
    plans_and_priorities = "Reach every ward"
    joint_working = "Shared trainers with the council"
    evaluations_done = "Pre and post-course surveys"


class ResourceFactory(factory.django.DjangoModelFactory):
    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> Resource: ...

    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Resource {n}")
    summary = "What it is and who it helps."
    category = Resource.Category.OTHER
    audience = "Training leads"


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> GlossaryTerm: ...

    class Meta:
        model = GlossaryTerm

    term = factory.Sequence(lambda n: f"Term {n}")
    slug = factory.Sequence(lambda n: f"term-{n}")
    definition = "A plain-English definition."
