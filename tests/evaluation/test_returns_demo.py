from __future__ import annotations

import pytest

from accounts.demo import seed as seed_accounts
from evaluation.demo_returns import seed_returns_and_resources
from evaluation.models import (
    GlossaryTerm,
    OrganisationReturn,
    Resource,
    ReturnPeriod,
    WorkforceHeadcount,
)

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(GlossaryTerm.objects.values_list("slug", "definition")),
        sorted(Resource.objects.values_list("title", "category", "external_url")),
        sorted(
            WorkforceHeadcount.objects.values_list(
                "organisation_id", "staff_group", "headcount", "as_of"
            )
        ),
        sorted(ReturnPeriod.objects.values_list("name", "deadline")),
        sorted(
            OrganisationReturn.objects.values_list(
                "organisation_id", "period_id", "status", "people_trained"
            )
        ),
    )


def test_demo_seed_is_plausible_and_idempotent():
    seed_accounts()
    seed_returns_and_resources()
    first = snapshot()
    seed_returns_and_resources()
    assert snapshot() == first
    assert GlossaryTerm.objects.count() >= 30
    assert {"mecc", "very-brief-advice", "core20plus5", "wider-determinants"} <= {
        slug for slug, _ in first[0]
    }
    # No invented links: every seeded resource is described, not linked.
    assert all(url == "" for _, _, url in first[1])
    statuses = {status for *_, status, _ in first[4]}
    assert statuses == {"draft", "submitted"}
    # Every organisation has a workforce to measure reach against.
    assert WorkforceHeadcount.objects.values("organisation").distinct().count() >= 10
    mecc = GlossaryTerm.objects.get(slug="mecc")
    assert mecc in GlossaryTerm.objects.get(slug="very-brief-advice").related_terms.all()
