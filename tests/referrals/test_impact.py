"""My impact: a worker's own conversations, topics, signposts and what became of referrals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.models import Referral
from referrals.services import referrals as referral_services
from tests.referrals.activity_factories import (
    Cast,
    ConversationFactory,
    ReferralFactory,
    build_cast,
)

pytestmark = pytest.mark.django_db
S = Referral.Status


@pytest.fixture
def cast(make_user, camden_trust, haringey_council, partnership) -> Cast:
    return build_cast(
        make_user,
        camden_trust=camden_trust,
        haringey_council=haringey_council,
        partnership=partnership,
    )


def test_impact_counts_only_my_conversations_and_what_became_of_my_referrals(client, cast):
    second = ConversationFactory(author=cast.worker, topics=[cast.topic, cast.urgent_topic])
    completed: Referral = ReferralFactory(conversation=second, service=cast.service)
    for status in (S.ACCEPTED, S.COMPLETED):
        referral_services.referral_status_update(
            referral=completed, actor=cast.provider, status=status, as_provider=True
        )
    ReferralFactory(
        conversation=second,
        service=cast.signpost_service,
        kind=Referral.Kind.SIGNPOST,
        status=S.SIGNPOSTED,
    )
    ConversationFactory(author=cast.colleague, topics=[cast.topic])  # not mine
    client.force_login(cast.worker)
    response = client.get(reverse("referrals:my_impact"))
    impact = response.context["impact"]
    assert impact.total == 2
    assert impact.signposts == 1
    assert impact.referrals == 2
    assert dict(impact.referrals_by_status) == {"Sent": 1, "Completed": 1}
    assert dict(impact.by_topic) == {"Smoking": 2, "Mental health crisis": 1}
    assert sum(n for _, n in impact.by_month) == 2
    body = response.content.decode()
    assert "<table" in body and "Completed" in body


@pytest.mark.parametrize(("who", "status"), [("provider", 403), ("commissioner", 403)])
def test_impact_is_for_people_who_log_conversations(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("referrals:my_impact")).status_code == status


def test_a_colleague_sees_their_own_empty_impact_not_mine(client, cast):
    client.force_login(cast.colleague)
    impact = client.get(reverse("referrals:my_impact")).context["impact"]
    assert impact.total == 0 and impact.referrals == 0


def test_impact_takes_the_same_number_of_queries_however_much_there_is(
    client, cast, django_assert_num_queries
):
    client.force_login(cast.worker)
    url = reverse("referrals:my_impact")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(49):
        ReferralFactory(
            conversation=ConversationFactory(author=cast.worker, topics=[cast.topic]),
            service=cast.service,
        )
    with django_assert_num_queries(len(one)):
        client.get(url)
