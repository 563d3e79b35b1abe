"""Property: after any sequence of writes, edits and deletions, refreshing the rollups from
the change feed leaves them equal to aggregates computed directly from the raw rows."""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from typing import Any

import time_machine
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.models import Area, StaffGroup
from core.services import change_record
from evaluation.models import (
    ConversationRollup,
    ConversationTopicRollup,
    ReferralOutcomeRollup,
    SessionRollup,
    TrainingRollup,
)
from evaluation.services.rollups import rollups_rebuild, rollups_refresh
from referrals.models import Conversation, MeccLevel, Outcome, Referral, Service
from referrals.selectors.rollups import CONVERSATION_STREAM, conversation_bucket
from referrals.services.conversations import conversation_create, conversation_update
from referrals.services.referrals import referral_create, referral_status_update
from tests.factories import AreaFactory, OrganisationFactory, UserFactory
from tests.referrals.activity_factories import ActivityServiceFactory, ActivityTopicFactory
from tests.training.factories import BookingFactory, CourseFactory, SessionFactory, programme
from training.models import Booking, Completion, Session
from training.services import register_record, session_update

STEP = datetime.timedelta(minutes=15)
NEXT_STATUS = {
    "sent": ("accepted", "declined"),
    "accepted": ("attended", "did_not_attend"),
    "attended": ("completed", "completed"),
}
MONTHS = [datetime.date(2025, m, 1) for m in (3, 4, 10, 11)]  # both sides of BST changes


def _when(month_index: int, day: int, hour: int) -> datetime.datetime:
    month = MONTHS[month_index]
    day = min(day, calendar.monthrange(month.year, month.month)[1])
    return timezone.make_aware(datetime.datetime(month.year, month.month, day, hour, 30))


def _local_month(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


# --- the raw aggregates, computed in Python straight from the rows -----------------------


def _rollup(model: Any, dims: tuple[str, ...], measures: tuple[str, ...]) -> Counter[Any]:
    totals: Counter[Any] = Counter()
    for row in model.objects.values(*dims, *measures):
        for measure in measures:
            if row[measure]:
                totals[(*(row[d] for d in dims), measure)] += row[measure]
    return totals


def expected_conversations() -> tuple[Counter[Any], Counter[Any], Counter[Any]]:
    base: Counter[Any] = Counter()
    by_topic: Counter[Any] = Counter()
    outcomes: Counter[Any] = Counter()
    conversations = Conversation.objects.select_related("author").prefetch_related(
        "topics", "referrals"
    )
    for c in conversations:
        month = _local_month(c.occurred_at)
        key = (month, c.organisation_id, c.area_id, c.author.staff_group, c.mecc_level, c.outcome)
        kinds = Counter(r.kind for r in c.referrals.all())
        counts = {
            "conversations": 1,
            "signposts": kinds[Referral.Kind.SIGNPOST],
            "referrals": kinds[Referral.Kind.REFERRAL],
        }
        for measure, n in counts.items():
            if n:
                base[(*key, measure)] += n
                for topic in c.topics.all():
                    topic_key = (*key[:4], topic.pk, *key[4:])
                    by_topic[(*topic_key, measure)] += n
        for r in c.referrals.all():
            if r.kind == Referral.Kind.REFERRAL:
                dims = (month, c.organisation_id, c.area_id, c.author.staff_group)
                outcomes[(*dims, r.topic_id, r.status, "referrals")] += 1
    return base, by_topic, outcomes


def expected_training() -> tuple[Counter[Any], Counter[Any]]:
    completions: Counter[Any] = Counter()
    for done in Completion.objects.select_related("learner__organisation", "course"):
        org = done.learner.organisation
        key = (
            done.completed_on.replace(day=1),
            org.pk if org else None,
            org.area_id if org else None,
            done.course.programme_id,
            done.learner.staff_group,
            "completions",
        )
        completions[key] += 1
    sessions: Counter[Any] = Counter()
    held = Session.objects.filter(status=Session.Status.SCHEDULED).select_related(
        "organisation", "course"
    )
    for s in held:
        dims = (
            _local_month(s.starts_at),
            s.organisation_id,
            s.area_id or s.organisation.area_id,
            s.course.programme_id,
        )
        attended = s.bookings.filter(status=Booking.Status.ATTENDED).count()
        for measure, n in (
            ("sessions", 1),
            ("attended", attended),
            ("cost_pence", s.total_cost_pence),
        ):
            if n:
                sessions[(*dims, measure)] += n
    return completions, sessions


CONV_DIMS = ("month", "organisation_id", "area_id", "staff_group", "mecc_level", "outcome")
TOPIC_DIMS = (*CONV_DIMS[:4], "topic_id", *CONV_DIMS[4:])
CONV_MEASURES = ("conversations", "signposts", "referrals")


def assert_rollups_match_raw(case: TestCase) -> None:
    base, by_topic, outcomes = expected_conversations()
    case.assertEqual(_rollup(ConversationRollup, CONV_DIMS, CONV_MEASURES), base)
    case.assertEqual(_rollup(ConversationTopicRollup, TOPIC_DIMS, CONV_MEASURES), by_topic)
    outcome_dims = (*CONV_DIMS[:4], "topic_id", "status")
    case.assertEqual(_rollup(ReferralOutcomeRollup, outcome_dims, ("referrals",)), outcomes)
    completions, sessions = expected_training()
    training_dims = ("month", "organisation_id", "area_id", "programme_id", "staff_group")
    case.assertEqual(_rollup(TrainingRollup, training_dims, ("completions",)), completions)
    session_dims = ("month", "organisation_id", "area_id", "programme_id")
    case.assertEqual(
        _rollup(SessionRollup, session_dims, ("sessions", "attended", "cost_pence")), sessions
    )


# --- random operations ------------------------------------------------------------------

conversation_op = st.tuples(
    st.just("create"),
    st.integers(0, 2),  # author
    st.integers(0, len(MONTHS) - 1),
    st.sampled_from([1, 15, 31]),
    st.sampled_from([0, 12, 23]),
    st.sampled_from(MeccLevel.values),
    st.sampled_from(Outcome.values),
    st.sets(st.integers(0, 2), min_size=1),  # topics
    st.booleans(),  # signpost
)
edit_op = st.tuples(
    st.just("edit"),
    st.integers(0, 20),
    st.sampled_from(MeccLevel.values),
    st.sampled_from(Outcome.values),
    st.sets(st.integers(0, 2), min_size=1),
)
delete_op = st.tuples(st.just("delete"), st.integers(0, 20))
refer_op = st.tuples(st.just("refer"), st.integers(0, 20), st.integers(0, 2))
attend_op = st.tuples(
    st.just("attend"), st.integers(0, 7), st.sampled_from(["attended", "no_show"])
)
move_op = st.tuples(
    st.just("move"), st.integers(0, 1), st.integers(0, len(MONTHS) - 1), st.integers(0, 9000)
)
refresh_op = st.just(("refresh",))
operations = st.lists(
    st.one_of(conversation_op, edit_op, delete_op, refer_op, attend_op, move_op, refresh_op),
    max_size=14,
)


class RollupsEqualRawAggregates(TestCase):
    def setUp(self) -> None:
        partnership = AreaFactory(ons_code="E54000028", kind=Area.Kind.PARTNERSHIP)
        self.camden = AreaFactory(ons_code="E09000007", name="Camden", parent=partnership)
        self.haringey = AreaFactory(ons_code="E09000014", name="Haringey", parent=partnership)
        trust = OrganisationFactory(area=self.camden)
        council = OrganisationFactory(area=self.haringey)
        self.authors: list[Any] = [
            UserFactory(organisation=trust, staff_group=StaffGroup.NURSING),
            UserFactory(organisation=trust, staff_group=StaffGroup.MEDICAL),
            UserFactory(organisation=council, staff_group=StaffGroup.HOUSING),
        ]
        self.topics = [ActivityTopicFactory() for _ in range(3)]
        self.service: Any = ActivityServiceFactory(provider=council, topics=self.topics)
        self.signpost_service: Any = ActivityServiceFactory(
            provider=council, topics=self.topics, referral_route=Service.ReferralRoute.SIGNPOST_ONLY
        )
        course = CourseFactory(provider=trust, programme=programme("mecc"))
        self.sessions: list[Any] = [
            SessionFactory(
                course=course,
                organisation=trust,
                starts_at=_when(0, 10, 9),
                trainer_cost_pence=30000,
            ),
            SessionFactory(course=course, organisation=council, starts_at=_when(2, 31, 23)),
        ]
        learners = [*self.authors, UserFactory(organisation=None, staff_group="")]
        self.bookings: list[Any] = [
            BookingFactory(session=session, learner=learner)
            for session in self.sessions
            for learner in learners
        ]
        # Data made outside the services (like the demo data) is brought in by a rebuild.
        rollups_rebuild()

    def _apply(self, op: tuple[Any, ...], conversations: list[Conversation]) -> None:
        kind = op[0]
        if kind == "create":
            _, author, month, day, hour, level, outcome, topics, signpost = op
            user = self.authors[author]
            conversations.append(
                conversation_create(
                    author=user,
                    organisation=user.organisation,
                    area=user.organisation.area,
                    setting="outpatients",
                    mecc_level=level,
                    outcome=outcome,
                    topics=[self.topics[t] for t in topics],
                    signposts=[self.signpost_service] if signpost else [],
                    occurred_at=_when(month, day, hour),
                )
            )
        elif kind == "edit" and conversations:
            _, index, level, outcome, topics = op
            c = conversations[index % len(conversations)]
            conversation_update(
                conversation=c,
                actor=c.author,
                setting=c.setting,
                mecc_level=level,
                outcome=outcome,
                topics=[self.topics[t] for t in topics],
            )
        elif kind == "delete" and conversations:
            c = conversations.pop(op[1] % len(conversations))
            # What a delete service records in its transaction: the bucket the row left.
            change_record(stream=CONVERSATION_STREAM, keys=[conversation_bucket(c)])
            c.delete()
        elif kind == "refer" and conversations:
            c = conversations[op[1] % len(conversations)]
            referral = Referral.objects.filter(conversation=c, kind="referral").first()
            if referral is None:
                referral_create(
                    conversation=c,
                    service=self.service,
                    actor=c.author,
                    consent_given=True,
                    contact_name="A Resident",
                    contact_phone="07700 900000",
                )
            elif referral.status in NEXT_STATUS:
                referral_status_update(
                    referral=referral,
                    actor=c.author,
                    status=NEXT_STATUS[referral.status][op[2] % 2],
                    as_provider=True,
                    reason="Full",
                )
        elif kind == "attend":
            booking = self.bookings[op[1] % len(self.bookings)]
            booking.refresh_from_db()
            register_record(
                session=booking.session,
                actor=self.authors[0],
                attendance={booking.pk: op[2]},
            )
        elif kind == "move":
            session = self.sessions[op[1]]
            session.refresh_from_db()
            starts = _when(op[2], 12, 10)
            session_update(
                session=session,
                actor=self.authors[0],
                trainers=[],
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3),
                venue_cost_pence=op[3],
            )
        elif kind == "refresh":
            rollups_refresh()

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(ops=operations)
    # Each kind of write after a refresh, so a write that forgot its change record fails.
    @example(
        ops=[
            ("create", 0, 0, 15, 12, "brief_advice", "signposted", {0}, True),
            ("create", 2, 3, 1, 0, "brief_advice", "referred", {1, 2}, False),
            ("refresh",),
            ("edit", 0, "very_brief_advice", "declined", {1}),
            ("refer", 1, 0),
            ("attend", 0, "attended"),
            ("attend", 3, "attended"),
            ("refresh",),
            ("refer", 1, 0),
            ("attend", 0, "no_show"),
            ("move", 1, 1, 500),
            ("delete", 0),
        ]
    )
    def test_refreshed_rollups_equal_the_raw_aggregates(self, ops: list[tuple[Any, ...]]) -> None:
        conversations: list[Conversation] = []
        # Each step a quarter of an hour apart, so the watermark moves past settled changes
        # and a write that recorded nothing would leave its bucket stale.
        with time_machine.travel(timezone.now(), tick=False) as clock:
            for op in ops:
                clock.shift(STEP)
                self._apply(op, conversations)
            clock.shift(STEP)
            rollups_refresh()
        assert_rollups_match_raw(self)
        # A full rebuild gives the same tables.
        rollups_rebuild()
        assert_rollups_match_raw(self)
