"""Retention of residents' personal data: nothing goes early, everything goes on time, the
counts stay, and each run is audited with counts only."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from core.models import AuditEvent
from referrals.models import Conversation, Referral, ReferralStatusChange
from referrals.selectors.rollups import (
    conversation_rollup_rows,
    conversation_topic_rollup_rows,
    referral_outcome_rollup_rows,
)
from referrals.services import referrals as services
from referrals.services.retention import resident_data_purge
from tests.referrals.activity_factories import (
    Cast,
    ConversationFactory,
    ReferralFactory,
    build_cast,
)

pytestmark = pytest.mark.django_db
S = Referral.Status
DAY = datetime.timedelta(days=1)


@pytest.fixture
def cast(make_user, camden_trust, haringey_council, partnership, settings) -> Cast:
    settings.REFERRAL_CONTACT_RETENTION_DAYS = 90
    settings.REFERRAL_CONTACT_MAX_OPEN_DAYS = 365
    settings.RESIDENT_PROFILE_RETENTION_DAYS = 730
    return build_cast(
        make_user,
        camden_trust=camden_trust,
        haringey_council=haringey_council,
        partnership=partnership,
    )


def _contact(referral: Referral) -> dict[str, str]:
    return Referral.objects.values(
        "contact_name", "contact_phone", "contact_email", "contact_preferred_time"
    ).get(pk=referral.pk)


def _decline(cast: Cast) -> datetime.datetime:
    services.referral_status_update(
        referral=cast.referral,
        actor=cast.provider,
        status=S.DECLINED,
        as_provider=True,
        reason="Ada Resident already sees our team",
    )
    cast.referral.refresh_from_db()
    assert cast.referral.closed_at is not None
    return cast.referral.closed_at


def test_a_closed_referrals_details_and_reasons_stay_until_the_period_ends_then_go(cast):
    closed = _decline(cast)
    with time_machine.travel(closed + 90 * DAY - datetime.timedelta(minutes=1)):
        assert resident_data_purge() == {"referral_contacts": 0, "resident_profiles": 0}
    assert _contact(cast.referral)["contact_name"] == "Ada Resident"
    assert not AuditEvent.objects.filter(action__startswith="retention").exists()

    with time_machine.travel(closed + 90 * DAY + datetime.timedelta(minutes=1)):
        assert resident_data_purge()["referral_contacts"] == 1
    assert set(_contact(cast.referral).values()) == {""}
    history = list(ReferralStatusChange.objects.filter(referral=cast.referral))
    assert [(h.status, h.reason) for h in history] == [(S.SENT, ""), (S.DECLINED, "")]
    assert all(h.changed_by_id is not None for h in history)  # who moved it stays


def test_a_referral_nobody_closed_loses_its_details_after_the_maximum(cast):
    created = cast.referral.created_at
    with time_machine.travel(created + 364 * DAY):
        assert resident_data_purge()["referral_contacts"] == 0
    with time_machine.travel(created + 366 * DAY):
        assert resident_data_purge()["referral_contacts"] == 1
    cast.referral.refresh_from_db()
    assert cast.referral.status == S.SENT  # still open: only the details went
    assert cast.referral.contact_purged_at is not None
    assert set(_contact(cast.referral).values()) == {""}


def test_the_resident_profile_goes_after_its_period_and_the_conversation_stays(cast):
    profiled: Conversation = ConversationFactory(
        author=cast.worker,
        age_band="25_34",
        sex="female",
        ethnic_group="black",
        postcode_district="N17",
        topics=[cast.topic],
    )
    occurred = profiled.occurred_at
    with time_machine.travel(occurred + 729 * DAY):
        assert resident_data_purge()["resident_profiles"] == 0
    profiled.refresh_from_db()
    assert profiled.postcode_district == "N17"
    with time_machine.travel(occurred + 731 * DAY):
        assert resident_data_purge()["resident_profiles"] >= 1
    profiled.refresh_from_db()
    assert (profiled.age_band, profiled.sex, profiled.ethnic_group) == ("", "", "")
    assert profiled.postcode_district == ""
    assert list(profiled.topics.all()) == [cast.topic]


def _rollup_sources() -> tuple[list[dict[str, object]], ...]:
    def ordered(rows: list[dict[str, object]]) -> list[dict[str, object]]:
        return sorted(rows, key=repr)

    return (
        ordered(conversation_rollup_rows()),
        ordered(conversation_topic_rollup_rows()),
        ordered(referral_outcome_rollup_rows()),
    )


def test_the_counts_the_dashboards_read_survive_the_purge(cast):
    _decline(cast)
    ReferralFactory(
        conversation=ConversationFactory(
            author=cast.worker, topics=[cast.topic], age_band="75_plus", sex="male"
        ),
        service=cast.service,
    )
    before = _rollup_sources()
    assert before[0] and before[2]
    conversations = Conversation.objects.count()
    statuses = list(ReferralStatusChange.objects.order_by("id").values_list("status", flat=True))
    with time_machine.travel(timezone.now() + 800 * DAY):
        assert resident_data_purge() == {"referral_contacts": 2, "resident_profiles": 1}
    assert _rollup_sources() == before
    assert Conversation.objects.count() == conversations
    assert Referral.objects.filter(kind=Referral.Kind.REFERRAL).count() == 2
    after = list(ReferralStatusChange.objects.order_by("id").values_list("status", flat=True))
    assert after == statuses


def test_a_second_run_changes_nothing_and_each_run_that_purges_is_audited_with_counts(cast):
    cast.conversation.postcode_district = "NW1"
    cast.conversation.save(update_fields=["postcode_district"])
    _decline(cast)
    with time_machine.travel(timezone.now() + 800 * DAY):
        assert resident_data_purge() == {"referral_contacts": 1, "resident_profiles": 1}
        assert resident_data_purge() == {"referral_contacts": 0, "resident_profiles": 0}
    run = AuditEvent.objects.get(action="retention.resident_data_purged")
    assert run.actor is None and run.target_type is None
    assert run.details == {
        "referral_contacts": 1,
        "resident_profiles": 1,
        "referral_contact_retention_days": 90,
        "referral_contact_max_open_days": 365,
        "resident_profile_retention_days": 730,
    }
    purged = AuditEvent.objects.get(action="referral.contact_purged")
    assert purged.details == {"reasons_blanked": 1}
    for event in AuditEvent.objects.values():
        assert "Ada Resident" not in repr(event) and "NW1" not in repr(event)


def test_the_periods_come_from_settings(cast, settings):
    settings.REFERRAL_CONTACT_RETENTION_DAYS = 7
    closed = _decline(cast)
    with time_machine.travel(closed + 8 * DAY):
        assert resident_data_purge()["referral_contacts"] == 1


def test_the_hourly_beat_job_runs_every_retention_rule(cast, settings):
    from referrals.tasks import referral_contacts_purge_task

    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "referrals.tasks.referral_contacts_purge_task"
    )
    assert entry["schedule"] <= 24 * 60 * 60
    cast.conversation.age_band = "25_34"
    cast.conversation.save(update_fields=["age_band"])
    _decline(cast)
    with time_machine.travel(timezone.now() + 800 * DAY):
        assert referral_contacts_purge_task.delay().get() == 2
        assert referral_contacts_purge_task.delay().get() == 0
