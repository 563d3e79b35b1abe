"""The MECC evaluation indicators on small hand-built data; every expected number is worked
out by hand in the comments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Organisation, User
from evaluation import indicators
from evaluation.indicators import Period, Scope
from evaluation.models import SurveyKind, WorkforceHeadcount
from referrals.models import MeccLevel, Referral, ReferralStatusChange
from tests.evaluation.survey_support import attended, invitation, respond
from tests.referrals.activity_factories import (
    ActivityTopicFactory,
    ConversationFactory,
    ReferralFactory,
)
from tests.training.factories import (
    BookingFactory,
    CompletionFactory,
    CourseFactory,
    SessionFactory,
    programme,
)
from training.models import Booking, Session

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
EVERYWHERE = Scope()


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def trained(user: User, code: str, on: date) -> None:
    CompletionFactory(
        learner=user, course=CourseFactory(programme=programme(code)), completed_on=on
    )


@pytest.fixture
def people(
    make_user: Callable[..., User], camden_trust: Organisation, haringey_council: Organisation
) -> dict[str, User]:
    """A and B (Camden nurses), C (Camden social care), D (Haringey housing), E (untrained)."""
    cast = {
        "A": make_user(None, camden_trust, staff_group="nursing"),
        "B": make_user(None, camden_trust, staff_group="nursing"),
        "C": make_user(None, camden_trust, staff_group="social_care"),
        "D": make_user(None, haringey_council, staff_group="housing"),
        "E": make_user(None, camden_trust, staff_group="nursing"),
    }
    trained(cast["A"], "mecc", date(2026, 1, 10))
    trained(cast["B"], "mecc", date(2026, 2, 1))
    trained(cast["B"], "mhfa", date(2026, 2, 15))
    trained(cast["C"], "mecc", date(2025, 12, 31))  # before Q1: trained, but not in Q1's reach
    trained(cast["D"], "dementia", date(2026, 3, 31))  # the last day of Q1 counts
    return cast


# --- Reach ----------------------------------------------------------------------------------


@pytest.fixture
def headcounts(camden_trust: Organisation, haringey_council: Organisation) -> None:
    for org, group, count, as_of in (
        (camden_trust, "nursing", 40, date(2026, 1, 1)),
        (camden_trust, "social_care", 10, date(2026, 1, 1)),
        (camden_trust, "nursing", 1000, date(2026, 4, 30)),  # after Q1: not used
        (haringey_council, "housing", 20, date(2025, 6, 1)),
    ):
        WorkforceHeadcount.objects.create(
            organisation=org, staff_group=group, headcount=count, as_of=as_of
        )


def test_reach_counts_each_person_once_and_in_each_group(
    people, headcounts, camden_trust, haringey_council
):
    reach = indicators.reach(EVERYWHERE, Q1)
    # A, B and D completed in Q1 (C in December); B's two programmes count B once.
    assert reach.people_trained == 3
    assert reach.by_programme == {"mecc": 2, "mhfa": 1, "dementia": 1}
    assert reach.by_organisation == {camden_trust.pk: 2, haringey_council.pk: 1}
    assert reach.by_area == {camden_trust.area_id: 2, haringey_council.area_id: 1}
    assert reach.by_staff_group == {"nursing": 2, "housing": 1}
    # Headcount on 31 March: Camden 40 + 10, Haringey 20.
    assert reach.workforce == 70
    assert reach.share_of_workforce == pytest.approx(3 / 70)
    assert reach.share_by_organisation == {
        camden_trust.pk: pytest.approx(2 / 50),
        haringey_council.pk: pytest.approx(1 / 20),
    }


def test_reach_within_a_borough_and_a_staff_group(people, headcounts, haringey_council):
    nurses = indicators.reach(Scope(staff_groups=frozenset({"nursing"})), Q1)
    assert (nurses.people_trained, nurses.workforce) == (2, 40)
    assert nurses.share_of_workforce == pytest.approx(0.05)
    haringey = indicators.reach(Scope(area_ids=frozenset({haringey_council.area_id})), Q1)
    assert (haringey.people_trained, haringey.workforce) == (1, 20)
    mhfa = indicators.reach(Scope(programme_codes=frozenset({"mhfa"})), Q1)
    assert mhfa.people_trained == 1 and mhfa.by_programme == {"mhfa": 1}


def test_reach_without_recorded_headcount_has_no_share(people):
    reach = indicators.reach(EVERYWHERE, Q1)
    assert reach.workforce == 0 and reach.share_of_workforce is None


# --- Reaction and learning -------------------------------------------------------------------


@pytest.fixture
def answered(camden_trust: Organisation) -> None:
    """Five learners on a Camden session on 10 February; one on a December session."""
    session = SessionFactory(starts_at=at(2026, 2, 10), ends_at=at(2026, 2, 10, 13))

    def learner() -> Booking:
        return attended(session, learner__organisation=camden_trust)

    one, two, three, four, five = (learner() for _ in range(5))
    # L1: confidence 2 -> 4, knowledge 1 -> 3. L2: confidence 3 -> 4, knowledge 2 -> 2.
    respond(
        invitation(one, SurveyKind.PRE_COURSE),
        confidence_raise_health=2,
        knowledge_local_services=1,
    )
    respond(
        invitation(one, SurveyKind.POST_COURSE),
        confidence_raise_health=4,
        knowledge_local_services=3,
        satisfaction=5,
        would_recommend=1,
    )
    respond(
        invitation(two, SurveyKind.PRE_COURSE),
        confidence_raise_health=3,
        knowledge_local_services=2,
    )
    respond(
        invitation(two, SurveyKind.POST_COURSE),
        confidence_raise_health=4,
        knowledge_local_services=2,
        satisfaction=4,
        would_recommend=1,
    )
    # L3 answered only after, L4 only before: neither is a matched pair.
    respond(
        invitation(three, SurveyKind.POST_COURSE),
        confidence_raise_health=5,
        knowledge_local_services=5,
        satisfaction=3,
        would_recommend=0,
    )
    respond(invitation(four, SurveyKind.PRE_COURSE), confidence_raise_health=1)
    invitation(five, SurveyKind.POST_COURSE)  # never answered
    december = SessionFactory(starts_at=at(2025, 12, 10), ends_at=at(2025, 12, 10, 13))
    respond(
        invitation(attended(december), SurveyKind.POST_COURSE), satisfaction=1, would_recommend=0
    )


def test_learning_uses_matched_pairs_only(answered):
    changes = indicators.learning(EVERYWHERE, Q1)
    confidence = changes["confidence_raise_health"]
    # Pairs L1 (2 -> 4) and L2 (3 -> 4): before 2.5, after 4.0, change +1.5.
    assert confidence.pairs == 2
    assert (confidence.mean_pre, confidence.mean_post) == (2.5, 4.0)
    assert confidence.mean_change == 1.5
    knowledge = changes["knowledge_local_services"]
    # L1 (1 -> 3) and L2 (2 -> 2): before 1.5, after 2.5.
    assert (knowledge.pairs, knowledge.mean_pre, knowledge.mean_post) == (2, 1.5, 2.5)
    assert changes["intention_mecc_conversations"].pairs == 0
    assert changes["intention_mecc_conversations"].mean_change is None


def test_reaction_is_satisfaction_and_would_recommend_in_the_period(answered):
    result = indicators.reaction_indicators(EVERYWHERE, Q1)
    # Satisfaction 5, 4 and 3 (December's 1 is outside Q1): mean 4.0. Recommend: 2 of 3.
    assert result.reaction.satisfaction_answers == 3
    assert result.reaction.satisfaction_mean == 4.0
    assert (result.reaction.recommend_yes, result.reaction.recommend_answers) == (2, 3)
    assert result.reaction.recommend_percent == pytest.approx(200 / 3)
    rates = {rate.kind: (rate.invited, rate.responded) for rate in result.response_rates}
    # Before: L1, L2, L4 all answered. After: L1, L2, L3 answered, L5 did not.
    assert rates[SurveyKind.PRE_COURSE] == (3, 3)
    assert rates[SurveyKind.POST_COURSE] == (4, 3)
    assert rates[SurveyKind.FOLLOW_UP_3_MONTHS] == (0, 0)


def test_survey_indicators_follow_the_scope(answered, haringey_council):
    elsewhere = Scope(area_ids=frozenset({haringey_council.area_id}))
    assert indicators.reaction_indicators(elsewhere, Q1).reaction.satisfaction_answers == 0
    assert indicators.learning(elsewhere, Q1)["confidence_raise_health"].pairs == 0


# --- Behaviour and results -------------------------------------------------------------------


@pytest.fixture
def activity(people: dict[str, User]) -> dict[str, object]:
    smoking = ActivityTopicFactory(slug="smoking", name="Smoking")
    alcohol = ActivityTopicFactory(slug="alcohol", name="Alcohol")
    vba, ba, bi = MeccLevel.VERY_BRIEF_ADVICE, MeccLevel.BRIEF_ADVICE, MeccLevel.BRIEF_INTERVENTION

    def talk(who: str, when: datetime, level: str, *topics: object):
        return ConversationFactory(
            author=people[who], occurred_at=when, mecc_level=level, topics=list(topics)
        )

    a1 = talk("A", at(2026, 1, 15), vba, smoking)
    a2 = talk("A", at(2026, 2, 20), ba, smoking, alcohol)
    talk("A", at(2026, 3, 31, 23, 30), vba, smoking)  # late on the last day: in Q1
    a4 = talk("A", at(2026, 4, 1, 0, 30), vba, smoking)  # just after: not in Q1
    c1 = talk("C", at(2026, 2, 1), vba, alcohol)
    d1 = talk("D", at(2026, 3, 1), bi, alcohol)
    for _ in range(5):
        talk("E", at(2026, 2, 2), vba, smoking)  # E was never trained

    def refer(conversation, topic, *statuses: str) -> None:
        referral = ReferralFactory(conversation=conversation, topic=topic, status=statuses[0])
        for status in statuses[1:]:
            ReferralStatusChange.objects.create(
                referral=referral, status=status, changed_at=conversation.occurred_at
            )

    ReferralFactory(
        conversation=a1, topic=smoking, kind=Referral.Kind.SIGNPOST, status="signposted"
    )
    refer(a2, alcohol, "sent", "accepted", "attended", "completed")
    refer(c1, alcohol, "sent", "accepted", "did_not_attend")
    refer(d1, alcohol, "sent", "declined")
    refer(a4, smoking, "sent", "accepted")  # April: not in Q1
    return {"smoking": smoking, "alcohol": alcohol}


def test_conversations_per_trained_worker_by_topic_and_level(activity):
    result = indicators.behaviour(EVERYWHERE, Q1)
    # Trained by 31 March: A, B, C, D (4). Their Q1 conversations: A 3, C 1, D 1 = 5
    # (E's 5 do not count: E was never trained).
    assert (result.trained_workers, result.conversations) == (4, 5)
    assert result.per_trained_worker == 1.25
    # Smoking: A's three. Alcohol: A's second, C's and D's.
    assert result.by_topic == {"smoking": 3, "alcohol": 3}
    assert result.by_level == {"very_brief_advice": 3, "brief_advice": 1, "brief_intervention": 1}
    assert result.per_trained_worker_by_topic == {"smoking": 0.75, "alcohol": 0.75}
    assert result.per_trained_worker_by_level["very_brief_advice"] == 0.75


def test_behaviour_for_one_topic_and_one_programme(activity):
    smoking = indicators.behaviour(Scope(topic_slugs=frozenset({"smoking"})), Q1)
    assert (smoking.conversations, smoking.by_topic) == (3, {"smoking": 3})
    assert smoking.by_level == {"very_brief_advice": 2, "brief_advice": 1}
    # Only B trained in MHFA, and B logged nothing.
    mhfa = indicators.behaviour(Scope(programme_codes=frozenset({"mhfa"})), Q1)
    assert (mhfa.trained_workers, mhfa.conversations, mhfa.per_trained_worker) == (1, 0, 0.0)


def test_follow_up_conversations_reported_at_3_and_6_months(camden_trust):
    session = SessionFactory(starts_at=at(2026, 2, 10), ends_at=at(2026, 2, 10, 13))
    for reported in (4, 10):
        respond(
            invitation(attended(session), SurveyKind.FOLLOW_UP_3_MONTHS),
            conversations_since_training=reported,
            barriers=["Not enough time"],
        )
    respond(
        invitation(attended(session), SurveyKind.FOLLOW_UP_6_MONTHS), conversations_since_training=9
    )
    follow_ups = indicators.behaviour(EVERYWHERE, Q1).follow_ups
    three = follow_ups[SurveyKind.FOLLOW_UP_3_MONTHS]
    # (4 + 10) / 2 = 7.0 at 3 months; 9 from one person at 6.
    assert (three.respondents, three.conversations, three.mean) == (2, 14, 7.0)
    assert three.barriers == {"Not enough time": 2}
    assert follow_ups[SurveyKind.FOLLOW_UP_6_MONTHS].mean == 9.0


def test_results_count_signposts_referrals_and_outcomes_reached(activity, haringey_council):
    result = indicators.results(EVERYWHERE, Q1)
    # Q1: one signpost (A), referrals from A, C and D. Accepted: A's and C's; attended and
    # completed: A's only. April's referral does not count.
    assert (result.signposts, result.referrals) == (1, 3)
    assert (result.accepted, result.attended, result.completed) == (2, 1, 1)
    haringey = indicators.results(Scope(area_ids=frozenset({haringey_council.area_id})), Q1)
    assert (haringey.signposts, haringey.referrals, haringey.accepted) == (0, 1, 0)
    smoking = indicators.results(Scope(topic_slugs=frozenset({"smoking"})), Q1)
    assert (smoking.signposts, smoking.referrals) == (1, 0)


# --- Value -----------------------------------------------------------------------------------


def run_session(
    org: Organisation,
    code: str,
    *,
    fee: int,
    costs: int,
    attendees: int,
    when: datetime,
    status: str = "scheduled",
) -> Session:
    course = CourseFactory(programme=programme(code), cost_pence=fee, provider=org)
    session = SessionFactory(
        course=course,
        starts_at=when,
        ends_at=when.replace(hour=13),
        trainer_cost_pence=costs,
        status=status,
    )
    for _ in range(attendees):
        attended(session)
    BookingFactory(session=session, status=Booking.Status.NO_SHOW)
    return session


def test_value_is_cost_per_person_trained_and_per_conversation(
    activity, camden_trust, haringey_council
):
    # Free MECC course in Camden: 360.00 of costs, 3 attended (the no-show is not counted).
    run_session(camden_trust, "mecc", fee=0, costs=36000, attendees=3, when=at(2026, 1, 20))
    # Paid MHFA course in Haringey: 100.00 of costs + 2 x 200.00 fees = 500.00.
    run_session(haringey_council, "mhfa", fee=20000, costs=10000, attendees=2, when=at(2026, 3, 5))
    # Neither a cancelled session nor one after Q1 counts.
    run_session(
        camden_trust,
        "mecc",
        fee=0,
        costs=99999,
        attendees=1,
        when=at(2026, 2, 5),
        status="cancelled",
    )
    run_session(camden_trust, "mecc", fee=0, costs=99999, attendees=1, when=at(2026, 4, 5))
    result = indicators.value(EVERYWHERE, Q1)
    assert (result.total.sessions, result.total.people_trained, result.total.cost_pence) == (
        2,
        5,
        86000,
    )
    assert result.total.per_person_pence == 17200
    assert (result.free.cost_pence, result.free.per_person_pence) == (36000, 12000)
    assert (result.paid.cost_pence, result.paid.per_person_pence) == (50000, 25000)
    assert {code: c.cost_pence for code, c in result.by_programme.items()} == {
        "mecc": 36000,
        "mhfa": 50000,
    }
    assert {area: c.cost_pence for area, c in result.by_area.items()} == {
        camden_trust.area_id: 36000,
        haringey_council.area_id: 50000,
    }
    # Trained people logged 5 conversations in Q1: 86000 / 5 = 17200 pence each.
    assert result.conversations == 5
    assert result.per_conversation_pence == 17200
    camden = indicators.value(Scope(area_ids=frozenset({camden_trust.area_id})), Q1)
    assert (camden.total.cost_pence, camden.paid.sessions) == (36000, 0)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2026, 2, 1), date(2026, 1, 1))
