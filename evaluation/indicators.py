"""The PHE/HEE MECC evaluation indicators for a scope and a period, computed from raw data.

Reach, reaction, learning, behaviour, results and value. Training and referrals are read only
through their selectors; survey answers come from this app. These functions do no access
control and no disclosure control: the caller builds the `Scope` from what the user may see
(accounts.access) and passes counts shown below partnership level through core.disclosure.

Conventions:
- A period is whole days, both ends included, in London time.
- People trained count where the learner works (their organisation and its borough);
  sessions (costs) count where they were held; conversations where they were logged.
- Survey indicators describe the cohort whose session fell in the period.
- With a programme in the scope, conversations and referrals are those of people trained in
  that programme.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Organisation
from evaluation.models import Invitation
from evaluation.selectors.surveys import (
    FollowUp,
    MatchedChange,
    Reaction,
    ResponseRate,
    follow_ups,
    matched_changes,
    reaction,
    response_rates,
)
from evaluation.selectors.workforce import headcount_by_org_and_staff_group
from referrals.selectors.evaluation import (
    ConversationCounts,
    conversation_counts,
    referral_counts,
)
from training.selectors import session_costs
from training.selectors.evaluation import (
    CompletionGroup,
    learners_completed,
    people_completed,
)

# "Ever trained" starts here.
EPOCH = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period cannot end before it starts")

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: midnight at the start to midnight after the end."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )


@dataclass(frozen=True)
class Scope:
    """What to count; None means no restriction on that dimension."""

    organisation_ids: frozenset[int] | None = None
    area_ids: frozenset[int] | None = None
    programme_codes: frozenset[str] | None = None
    staff_groups: frozenset[str] | None = None
    topic_slugs: frozenset[str] | None = None


def _ratio(part: float, whole: float) -> float | None:
    return None if not whole else part / whole


def _within(allowed: Collection[object] | None, value: object) -> bool:
    return allowed is None or value in allowed


# --- Reach --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    people_trained: int
    by_programme: dict[str, int]
    by_organisation: dict[int, int]
    by_area: dict[int, int]
    by_staff_group: dict[str, int]
    workforce: int
    workforce_by_organisation: dict[int, int]

    @property
    def share_of_workforce(self) -> float | None:
        """People trained as a share of the recorded headcount (None: none recorded)."""
        return _ratio(self.people_trained, self.workforce)

    @property
    def share_by_organisation(self) -> dict[int, float]:
        return {
            org_id: self.by_organisation.get(org_id, 0) / headcount
            for org_id, headcount in self.workforce_by_organisation.items()
            if headcount
        }


def _organisation_ids(scope: Scope) -> set[int] | None:
    """The organisations the scope covers (by organisation and by borough), None for all."""
    if scope.organisation_ids is None and scope.area_ids is None:
        return None
    organisations = Organisation.objects.all()
    if scope.organisation_ids is not None:
        organisations = organisations.filter(pk__in=scope.organisation_ids)
    if scope.area_ids is not None:
        organisations = organisations.filter(area_id__in=scope.area_ids)
    return set(organisations.values_list("pk", flat=True))


def reach(scope: Scope, period: Period) -> Reach:
    """People trained in the period by programme, organisation, borough and staff group, and
    the share of the workforce (the headcount recorded on the period's last day)."""

    def trained(by: CompletionGroup | None) -> dict[Any, int]:
        return people_completed(
            start=period.start,
            end=period.end,
            by=by,
            organisation_ids=scope.organisation_ids,
            area_ids=scope.area_ids,
            programme_codes=scope.programme_codes,
            staff_groups=scope.staff_groups,
        )

    total = trained(None)[None]
    grouped: dict[str, dict[Any, int]] = {
        by: trained(by) for by in ("programme", "organisation", "area", "staff_group")
    }
    headcounts = headcount_by_org_and_staff_group(
        organisation_ids=_organisation_ids(scope), on=period.end
    )
    workforce_by_org: dict[int, int] = defaultdict(int)
    for (org_id, staff_group), headcount in headcounts.items():
        if scope.staff_groups is None or staff_group in scope.staff_groups:
            workforce_by_org[org_id] += headcount
    return Reach(
        people_trained=total,
        by_programme={k: v for k, v in grouped["programme"].items() if k is not None},
        by_organisation={k: v for k, v in grouped["organisation"].items() if k is not None},
        by_area={k: v for k, v in grouped["area"].items() if k is not None},
        by_staff_group={(k or ""): v for k, v in grouped["staff_group"].items()},
        workforce=sum(workforce_by_org.values()),
        workforce_by_organisation=dict(workforce_by_org),
    )


# --- Reaction and learning (survey answers) -----------------------------------------------


def _invitations(scope: Scope, period: Period) -> QuerySet[Invitation]:
    rows = Invitation.objects.filter(session_date__range=(period.start, period.end))
    if scope.organisation_ids is not None:
        rows = rows.filter(organisation_id__in=scope.organisation_ids)
    if scope.area_ids is not None:
        rows = rows.filter(area_id__in=scope.area_ids)
    if scope.programme_codes is not None:
        rows = rows.filter(programme__code__in=scope.programme_codes)
    if scope.staff_groups is not None:
        rows = rows.filter(staff_group__in=scope.staff_groups)
    return rows


@dataclass(frozen=True)
class ReactionIndicators:
    reaction: Reaction
    response_rates: list[ResponseRate]


def reaction_indicators(scope: Scope, period: Period) -> ReactionIndicators:
    """Satisfaction (mean of 1 to 5), would-recommend, and response rates per survey."""
    invitations = _invitations(scope, period)
    return ReactionIndicators(
        reaction=reaction(invitations), response_rates=response_rates(invitations)
    )


def learning(scope: Scope, period: Period) -> dict[str, MatchedChange]:
    """Mean change in confidence, knowledge and intention, on matched pre/post pairs only."""
    return matched_changes(_invitations(scope, period))


# --- Behaviour and results (conversations and referrals) ----------------------------------


def _trained_workers(scope: Scope, period: Period) -> set[int]:
    """People trained on or before the period's last day, within the scope."""
    return learners_completed(
        start=EPOCH,
        end=period.end,
        organisation_ids=scope.organisation_ids,
        area_ids=scope.area_ids,
        programme_codes=scope.programme_codes,
        staff_groups=scope.staff_groups,
    )


@dataclass(frozen=True)
class Behaviour:
    trained_workers: int
    conversations: int
    by_topic: dict[str, int]
    by_level: dict[str, int]
    follow_ups: dict[str, FollowUp] = field(default_factory=dict)

    @property
    def per_trained_worker(self) -> float | None:
        return _ratio(self.conversations, self.trained_workers)

    @property
    def per_trained_worker_by_topic(self) -> dict[str, float]:
        if not self.trained_workers:
            return {}
        return {topic: n / self.trained_workers for topic, n in self.by_topic.items()}

    @property
    def per_trained_worker_by_level(self) -> dict[str, float]:
        if not self.trained_workers:
            return {}
        return {level: n / self.trained_workers for level, n in self.by_level.items()}


def _conversations_of_trained(scope: Scope, period: Period) -> tuple[int, ConversationCounts]:
    trained = _trained_workers(scope, period)
    start, end = period.bounds
    counts = conversation_counts(
        start=start, end=end, author_ids=trained, topic_slugs=scope.topic_slugs
    )
    return len(trained), counts


def behaviour(scope: Scope, period: Period) -> Behaviour:
    """Conversations in the period by people trained (in scope), per trained worker, by topic
    and MECC level; and what the cohort reported at 3 and 6 months."""
    trained, counts = _conversations_of_trained(scope, period)
    return Behaviour(
        trained_workers=trained,
        conversations=counts.total,
        by_topic=counts.by_topic,
        by_level=counts.by_level,
        follow_ups=follow_ups(_invitations(scope, period)),
    )


@dataclass(frozen=True)
class Results:
    signposts: int
    referrals: int
    accepted: int
    attended: int
    completed: int


def results(scope: Scope, period: Period) -> Results:
    """Signposts and referrals from conversations logged in the period (where they were
    logged) and how many referrals were accepted, attended and completed."""
    start, end = period.bounds
    author_ids: Collection[int] | None = None
    if scope.programme_codes is not None:
        author_ids = _trained_workers(scope, period)
    counts = referral_counts(
        start=start,
        end=end,
        organisation_ids=scope.organisation_ids,
        area_ids=scope.area_ids,
        author_ids=author_ids,
        topic_slugs=scope.topic_slugs,
        staff_groups=scope.staff_groups,
    )
    return Results(
        signposts=counts.signposts,
        referrals=counts.referrals,
        accepted=counts.reached.get("accepted", 0),
        attended=counts.reached.get("attended", 0),
        completed=counts.reached.get("completed", 0),
    )


# --- Value (cost) -------------------------------------------------------------------------


@dataclass
class Cost:
    sessions: int = 0
    people_trained: int = 0
    cost_pence: int = 0

    @property
    def per_person_pence(self) -> float | None:
        return _ratio(self.cost_pence, self.people_trained)

    def add(self, *, people: int, cost_pence: int) -> None:
        self.sessions += 1
        self.people_trained += people
        self.cost_pence += cost_pence


@dataclass(frozen=True)
class Value:
    total: Cost
    free: Cost
    paid: Cost
    by_programme: dict[str, Cost]
    by_area: dict[int | None, Cost]
    conversations: int

    @property
    def per_conversation_pence(self) -> float | None:
        """Training cost in the period per conversation logged by trained people in it."""
        return _ratio(self.total.cost_pence, self.conversations)


def value(scope: Scope, period: Period) -> Value:
    """Cost of sessions held in the period (trainer, venue, materials, and each attendee's
    course fee) per person trained and per conversation; free against paid courses."""
    start, end = period.bounds
    total, free, paid = Cost(), Cost(), Cost()
    by_programme: dict[str, Cost] = defaultdict(Cost)
    by_area: dict[int | None, Cost] = defaultdict(Cost)
    for session in session_costs(start=start, end=end):
        area_id = session.area_id or session.organisation.area_id
        code = session.course.programme.code
        if not (
            _within(scope.organisation_ids, session.organisation_id)
            and _within(scope.area_ids, area_id)
            and _within(scope.programme_codes, code)
        ):
            continue
        people: int = session.attended  # type: ignore[attr-defined]  # annotated by the selector
        cost = session.total_cost_pence + session.course.cost_pence * people
        kind = free if session.course.is_free else paid
        for line in (total, kind, by_programme[code], by_area[area_id]):
            line.add(people=people, cost_pence=cost)
    return Value(
        total=total,
        free=free,
        paid=paid,
        by_programme=dict(by_programme),
        by_area=dict(by_area),
        conversations=_conversations_of_trained(scope, period)[1].total,
    )
