"""demo_activity.seed(): 18 months of believable activity, idempotent, and safe without services."""

from __future__ import annotations

from collections import Counter

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db.models.functions import ExtractMonth

from accounts import demo as accounts_demo
from accounts.models import Area, Organisation, Role, RoleMembership, User
from core.models import AuditEvent
from referrals import demo_activity
from referrals.models import Conversation, Referral, ReferralStatusChange, Service, Topic
from tests.referrals.activity_factories import ActivityServiceFactory, ActivityTopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world() -> None:
    accounts_demo.seed()
    for slug in demo_activity.SEASONS:
        ActivityTopicFactory(slug=slug, name=slug.replace("-", " ").capitalize())


def test_the_seed_skips_referrals_gracefully_when_there_are_no_services(demo_world):
    demo_activity.seed()
    assert Conversation.objects.filter(is_demo=True).count() > 1000
    assert not Referral.objects.exists()


def test_the_seed_makes_believable_idempotent_activity(demo_world):
    provider = Organisation.objects.get(name="Wood Green Voluntary Action")
    for slug in ("smoking", "loneliness", "physical-activity"):
        ActivityServiceFactory(
            provider=provider, topics=[Topic.objects.get(slug=slug)], name=f"{slug} service"
        )
    ActivityServiceFactory(
        provider=provider,
        topics=[Topic.objects.get(slug="smoking")],
        referral_route=Service.ReferralRoute.SIGNPOST_ONLY,
    )
    # A fixed "today", so the 18-month window (and so the seasons) are the same every run.
    with time_machine.travel("2026-11-23 09:00Z", tick=False):
        demo_activity.seed()
        counts = (Conversation.objects.count(), Referral.objects.count(), User.objects.count())
        demo_activity.seed()
    assert counts == (Conversation.objects.count(), Referral.objects.count(), User.objects.count())

    workers = User.objects.filter(email__startswith="demo.worker")
    assert workers.count() >= 24
    assert all(w.email.endswith(".example") and not w.has_usable_password() for w in workers)
    assert RoleMembership.objects.filter(user__in=workers, role=Role.FRONTLINE_WORKER).count() == (
        workers.count()
    )
    assert (
        Conversation.objects.values("area").distinct().count()
        == Area.objects.filter(kind=Area.Kind.BOROUGH).count()
    )

    referrals = Referral.objects.filter(kind=Referral.Kind.REFERRAL)
    assert referrals.exists()
    assert Referral.objects.filter(kind=Referral.Kind.SIGNPOST).exists()
    statuses = set(referrals.values_list("status", flat=True))
    assert {Referral.Status.COMPLETED, Referral.Status.DECLINED} <= statuses
    for referral in referrals[:50]:
        assert referral.history.first().status == Referral.Status.SENT
        assert referral.history.last().status == referral.status
        assert referral.consent_given_at is not None
    # Closed long ago: purged, as the retention job would have done.
    purged = referrals.filter(contact_purged_at__isnull=False)
    assert purged.exists()
    assert all(r.contact_name == "" for r in purged)
    assert not ReferralStatusChange.objects.filter(referral__in=purged).exclude(reason="").exists()

    # The audit log tells the same story as the history: one event per status change.
    referral_type = ContentType.objects.get_for_model(Referral)
    trail = AuditEvent.objects.filter(target_type=referral_type)
    changes = ReferralStatusChange.objects.filter(referral__in=referrals)
    assert trail.filter(action="referral.created").count() == referrals.count()
    assert trail.filter(action="referral.status_changed").count() == (
        changes.exclude(status=Referral.Status.SENT).count()
    )
    assert trail.filter(action="referral.contact_purged").count() == purged.count()
    viewed = trail.filter(action="referral.contact_viewed").first()
    assert viewed is not None and viewed.actor_email

    def by_month(slug: str) -> Counter[int]:
        months = Conversation.objects.filter(topics__slug=slug).annotate(
            m=ExtractMonth("occurred_at")
        )
        return Counter(months.values_list("m", flat=True))

    smoking, loneliness = by_month("smoking"), by_month("loneliness")
    assert smoking[1] > smoking[6]  # new-year quitters
    assert loneliness[12] + loneliness[1] > loneliness[6] + loneliness[7]


def test_the_printed_demo_frontline_worker_has_activity_of_their_own(demo_world):
    provider = Organisation.objects.get(name="Wood Green Voluntary Action")
    ActivityServiceFactory(provider=provider, topics=[Topic.objects.get(slug="smoking")])
    demo_activity.seed()
    worker = User.objects.get(email=demo_activity.DEMO_FRONTLINE_EMAIL)
    assert Conversation.objects.filter(author=worker).count() >= 50


def test_existing_frontline_staff_author_the_demo_conversations(demo_world):
    trust = Organisation.objects.get(name="Fleet Valley University Hospitals NHS Foundation Trust")
    staff = []
    for n in range(3):
        person = User.objects.create_user(f"learner{n}@fleetvalley.nhs.example", organisation=trust)
        RoleMembership.objects.create(user=person, role=Role.FRONTLINE_WORKER, organisation=trust)
        staff.append(person)
    demo_activity.seed()
    authors = set(Conversation.objects.values_list("author__email", flat=True))
    assert {p.email for p in staff} <= authors
    assert not User.objects.filter(email__startswith="demo.worker").exists()
