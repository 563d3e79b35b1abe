"""generate_data: the demo's shape at any size, repeatable from a seed, with rollups that match
the raw rows and a change feed that carries on from where the generator stopped."""

from __future__ import annotations

import hashlib
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum

from accounts.generate import GENERATED_DOMAIN
from accounts.models import Role, RoleMembership, User
from core.models import ChangeEvent
from evaluation.models import (
    ConversationRollup,
    ConversationTopicRollup,
    ReferralOutcomeRollup,
    SessionRollup,
    TrainingRollup,
    Watermark,
)
from evaluation.services.rollups import rollups_refresh
from referrals.models import Conversation, Outcome, Referral, ReferralStatusChange
from referrals.selectors import rollups as referral_rollups
from referrals.selectors.rollups import CONVERSATION_STREAM
from referrals.services.conversations import conversation_create
from training.generate import GENERATED_VENUE
from training.models import Booking, Completion, Session
from training.selectors import rollups as training_rollups

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


def generate(conversations: int, seed: int, *, skip_demo: bool = False) -> None:
    args = ["--conversations", str(conversations), "--seed", str(seed), "--today", str(TODAY)]
    call_command("generate_data", *args, *(["--skip-demo"] if skip_demo else []), stdout=StringIO())


def generated_conversations() -> Any:
    return Conversation.objects.filter(author__email__endswith=f"@{GENERATED_DOMAIN}")


def forget_generated() -> None:
    """Remove everything the generator made, so the next run starts from the demo alone."""
    staff = User.objects.filter(email__endswith=f"@{GENERATED_DOMAIN}")
    generated_conversations().delete()
    Completion.objects.filter(learner__in=staff).delete()
    Booking.objects.filter(learner__in=staff).delete()
    Session.objects.filter(venue_name=GENERATED_VENUE).delete()
    staff.delete()


def fingerprint() -> str:
    """Everything about the generated conversations except their database ids."""
    digest = hashlib.sha256()
    rows = generated_conversations().order_by("uuid")
    for conversation in rows.prefetch_related("topics", "referrals"):
        digest.update(
            repr(
                (
                    conversation.uuid, conversation.occurred_at, conversation.organisation_id,
                    conversation.author.staff_group, conversation.mecc_level,
                    conversation.outcome, conversation.age_band, conversation.postcode_district,
                    sorted(t.slug for t in conversation.topics.all()),
                    sorted((r.kind, r.status, r.service_id) for r in conversation.referrals.all()),
                )
            ).encode()
        )  # fmt: skip
    return digest.hexdigest()


def test_generates_the_asked_number_of_conversations_in_the_demo_shape() -> None:
    generate(400, seed=5)

    conversations = generated_conversations()
    assert conversations.count() == 400
    assert not conversations.annotate(n=Count("topics")).filter(n=0).exists()
    staff = User.objects.filter(email__endswith=f"@{GENERATED_DOMAIN}")
    assert staff.count() == 12  # one worker per 33 conversations
    assert RoleMembership.objects.filter(user__in=staff, role=Role.FRONTLINE_WORKER).count() == 12
    assert all(
        c.area_id == c.organisation.area_id for c in conversations.select_related("organisation")
    )
    assert all(c.occurred_at.date() < TODAY for c in conversations)

    signposts = Referral.objects.filter(conversation__in=conversations, kind="signpost")
    referrals = Referral.objects.filter(conversation__in=conversations, kind="referral")
    assert signposts.exists() and referrals.exists()
    assert not signposts.exclude(conversation__outcome=Outcome.SIGNPOSTED).exists()
    assert not referrals.exclude(conversation__outcome=Outcome.REFERRED).exists()
    assert ReferralStatusChange.objects.filter(referral__in=referrals).count() >= referrals.count()

    # Contact details are stored encrypted, and read back through the model's field.
    open_referral = referrals.exclude(contact_name="").first()
    assert open_referral is not None
    assert open_referral.contact_name.startswith("Generated Resident")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name FROM referrals_referral WHERE id = %s", [open_referral.pk]
        )
        stored = cursor.fetchone()[0]
    assert "Resident" not in stored and stored.startswith("gAAAA")

    sessions = Session.objects.filter(organisation__staff__in=staff).distinct()
    assert sessions.exists()
    attended = Booking.objects.filter(learner__in=staff, status=Booking.Status.ATTENDED)
    assert Completion.objects.filter(learner__in=staff).count() == attended.count()


def _as_rows(model: Any, rows: list[dict[str, Any]]) -> tuple[list[tuple[Any, ...]], list[Any]]:
    keys = list(rows[0])
    stored = sorted(tuple(r[k] for k in keys) for r in model.objects.values(*keys))
    raw = sorted(tuple(r[k] for k in keys) for r in rows)
    return stored, raw


def test_rollups_equal_the_raw_aggregates_and_refresh_carries_on() -> None:
    generate(300, seed=9)

    for model, rows in (
        (ConversationRollup, referral_rollups.conversation_rollup_rows()),
        (ConversationTopicRollup, referral_rollups.conversation_topic_rollup_rows()),
        (ReferralOutcomeRollup, referral_rollups.referral_outcome_rollup_rows()),
        (TrainingRollup, training_rollups.completion_rollup_rows()),
        (SessionRollup, training_rollups.session_rollup_rows()),
    ):
        stored, raw = _as_rows(model, rows)
        assert stored == raw, model.__name__
    totals = ConversationRollup.objects.aggregate(c=Sum("conversations"), s=Sum("signposts"))
    assert totals["c"] == Conversation.objects.count()
    assert totals["s"] == Referral.objects.filter(kind="signpost").count()

    # The change feed's reader starts at the newest change: nothing before it is read again...
    newest = ChangeEvent.objects.filter(stream=CONVERSATION_STREAM).order_by("-pk").first()
    watermark = Watermark.objects.get(stream=CONVERSATION_STREAM)
    assert watermark.last_change_id == (newest.pk if newest else 0)
    # ...and a conversation logged afterwards reaches the rollups on the next refresh.
    worker = generated_conversations().first().author
    assert worker.organisation is not None
    conversation_create(
        author=worker,
        organisation=worker.organisation,
        area=worker.organisation.area,
        setting="outpatients",
        mecc_level="brief_advice",
        outcome="declined",
        topics=list(generated_conversations().first().topics.all()),
    )
    assert rollups_refresh()[CONVERSATION_STREAM] == 1
    total = ConversationRollup.objects.aggregate(c=Sum("conversations"))["c"]
    assert total == Conversation.objects.count() == totals["c"] + 1


def test_the_same_seed_generates_the_same_data() -> None:
    generate(150, seed=21)
    first = fingerprint()
    forget_generated()

    generate(150, seed=21, skip_demo=True)
    assert fingerprint() == first
    forget_generated()

    generate(150, seed=22, skip_demo=True)
    assert fingerprint() != first
