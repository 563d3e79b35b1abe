"""Reads for surveys: a learner's invitations, response rates, and the survey measures
(matched pre/post change, satisfaction, would-recommend, follow-up conversations)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from evaluation.models import Answer, Invitation, Measure, Question, SurveyKind
from training.selectors import sessions_manageable

LEARNING_MEASURES = (Measure.CONFIDENCE, Measure.KNOWLEDGE, Measure.INTENTION)
FOLLOW_UP_KINDS = (SurveyKind.FOLLOW_UP_3_MONTHS, SurveyKind.FOLLOW_UP_6_MONTHS)


def invitation_for_learner(*, learner: Any, token: str) -> Invitation:
    """The signed-in learner's own invitation with its questions; anyone else's is a 404."""
    invitation = (
        Invitation.objects.filter(learner=learner, token=token)
        .select_related("survey", "session__course")
        .prefetch_related(
            Prefetch("survey__questions", queryset=Question.objects.order_by("order"))
        )
        .first()
    )
    if invitation is None:
        raise Http404("Not found")
    return invitation


def learner_open_invitations(*, learner: Any, now: datetime | None = None) -> QuerySet[Invitation]:
    """Surveys the learner has been sent and can still answer, newest session first."""
    now = now or timezone.now()
    return (
        Invitation.objects.filter(learner=learner, responded_at__isnull=True, sent_at__isnull=False)
        .exclude(closes_at__lte=now)
        .select_related("survey", "session__course")
        .order_by("-session_date", "kind")
    )


@dataclass(frozen=True)
class ResponseRate:
    kind: str
    invited: int
    responded: int

    @property
    def label(self) -> str:
        return str(SurveyKind(self.kind).label)

    @property
    def percent(self) -> float | None:
        return None if not self.invited else 100 * self.responded / self.invited


def response_rates(invitations: QuerySet[Invitation]) -> list[ResponseRate]:
    """Invited and responded per survey kind (every kind listed, in survey order)."""
    counts: dict[str, tuple[int, int]] = {
        row["kind"]: (row["invited"], row["responded"])
        for row in invitations.order_by()
        .values("kind")
        .annotate(invited=Count("pk"), responded=Count("pk", filter=Q(responded_at__isnull=False)))
    }
    return [ResponseRate(kind, *counts.get(kind, (0, 0))) for kind in SurveyKind.values]


def response_rates_by_session(*, session_ids: Collection[int]) -> dict[int, list[ResponseRate]]:
    """Response rates per survey kind for each session, in one query."""
    rows = (
        Invitation.objects.filter(session_id__in=list(session_ids))
        .order_by()
        .values("session_id", "kind")
        .annotate(invited=Count("pk"), responded=Count("pk", filter=Q(responded_at__isnull=False)))
    )
    found: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        found[row["session_id"]][row["kind"]] = (row["invited"], row["responded"])
    return {
        session_id: [
            ResponseRate(kind, *found[session_id].get(kind, (0, 0))) for kind in SurveyKind.values
        ]
        for session_id in session_ids
    }


@dataclass(frozen=True)
class MatchedChange:
    """Mean answers of the people who answered both before and after the course."""

    measure: str
    pairs: int
    mean_pre: float | None
    mean_post: float | None

    @property
    def label(self) -> str:
        return str(Measure(self.measure).label)

    @property
    def mean_change(self) -> float | None:
        if self.mean_pre is None or self.mean_post is None:
            return None
        return self.mean_post - self.mean_pre


def _numbers(
    invitations: QuerySet[Invitation], kinds: Collection[str], measures: Collection[str]
) -> QuerySet[Answer]:
    return Answer.objects.filter(
        response__invitation__in=invitations.filter(kind__in=list(kinds)),
        question__measure__in=list(measures),
        number_value__isnull=False,
    ).order_by()


def matched_changes(
    invitations: QuerySet[Invitation], measures: Collection[str] = LEARNING_MEASURES
) -> dict[str, MatchedChange]:
    """Per measure, the change from pre- to post-course answers on matched pairs only."""
    values: dict[tuple[str, str], dict[tuple[int, int], int]] = defaultdict(dict)
    rows: Iterable[tuple[str, str, int, int, int]]
    rows = _numbers(  # type: ignore[assignment]  # number_value is not null here
        invitations, (SurveyKind.PRE_COURSE, SurveyKind.POST_COURSE), measures
    ).values_list(
        "question__measure",
        "response__invitation__kind",
        "response__invitation__learner_id",
        "response__invitation__session_id",
        "number_value",
    )
    for measure, kind, learner_id, session_id, value in rows:
        values[(measure, kind)][(learner_id, session_id)] = value
    result = {}
    for measure in measures:
        pre = values[(measure, SurveyKind.PRE_COURSE)]
        post = values[(measure, SurveyKind.POST_COURSE)]
        matched = sorted(pre.keys() & post.keys())
        n = len(matched)
        result[measure] = MatchedChange(
            measure=measure,
            pairs=n,
            mean_pre=sum(pre[k] for k in matched) / n if n else None,
            mean_post=sum(post[k] for k in matched) / n if n else None,
        )
    return result


@dataclass(frozen=True)
class Reaction:
    satisfaction_answers: int
    satisfaction_mean: float | None
    recommend_answers: int
    recommend_yes: int

    @property
    def recommend_percent(self) -> float | None:
        return (
            None
            if not self.recommend_answers
            else 100 * self.recommend_yes / self.recommend_answers
        )


def reaction(invitations: QuerySet[Invitation]) -> Reaction:
    """Post-course satisfaction (mean of 1 to 5) and the share who would recommend."""
    rows = _numbers(
        invitations, (SurveyKind.POST_COURSE,), (Measure.SATISFACTION, Measure.WOULD_RECOMMEND)
    ).values_list("question__measure", "number_value")
    satisfaction = [v for m, v in rows if m == Measure.SATISFACTION and v is not None]
    recommend = [v for m, v in rows if m == Measure.WOULD_RECOMMEND and v is not None]
    return Reaction(
        satisfaction_answers=len(satisfaction),
        satisfaction_mean=sum(satisfaction) / len(satisfaction) if satisfaction else None,
        recommend_answers=len(recommend),
        recommend_yes=sum(1 for v in recommend if v == 1),
    )


@dataclass(frozen=True)
class FollowUp:
    kind: str
    respondents: int
    conversations: int
    barriers: dict[str, int] = field(default_factory=dict)

    @property
    def mean(self) -> float | None:
        return None if not self.respondents else self.conversations / self.respondents


def follow_ups(invitations: QuerySet[Invitation]) -> dict[str, FollowUp]:
    """At 3 and 6 months: who answered, conversations they reported, barriers they chose."""
    numbers = _numbers(invitations, FOLLOW_UP_KINDS, (Measure.CONVERSATIONS,)).values_list(
        "response__invitation__kind", "number_value"
    )
    totals: dict[str, list[int]] = defaultdict(list)
    for kind, value in numbers:
        if value is not None:
            totals[kind].append(value)
    barriers: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    chosen = Answer.objects.filter(
        response__invitation__in=invitations.filter(kind__in=FOLLOW_UP_KINDS),
        question__measure=Measure.BARRIERS,
        question__kind=Question.Kind.CHECKBOXES,
    ).values_list("response__invitation__kind", "choices_value")
    for kind, options in chosen:
        for option in options or []:
            barriers[kind][option] += 1
    return {
        kind: FollowUp(
            kind=kind,
            respondents=len(totals[kind]),
            conversations=sum(totals[kind]),
            barriers=dict(barriers[kind]),
        )
        for kind in FOLLOW_UP_KINDS
    }


# --- Trainers' evaluation results ---------------------------------------------------------


SESSIONS_LISTED = 100


@dataclass(frozen=True)
class SessionRates:
    session: Any
    rates: list[ResponseRate]


def sessions_with_results(user: Any, *, now: datetime | None = None) -> list[SessionRates]:
    """The latest sessions the user runs that have started, newest first, with rates."""
    now = now or timezone.now()
    sessions = list(
        sessions_manageable(user)
        .filter(starts_at__lte=now)
        .order_by("-starts_at")[:SESSIONS_LISTED]
    )
    rates = response_rates_by_session(session_ids=[s.pk for s in sessions])
    return [SessionRates(session, rates[session.pk]) for session in sessions]


@dataclass(frozen=True)
class SessionResults:
    rates: list[ResponseRate]
    changes: dict[str, MatchedChange]
    reaction: Reaction
    follow_ups: dict[str, FollowUp]


def session_results(*, session_id: int) -> SessionResults:
    """Everything the trainer's evaluation page shows for one session."""
    invitations = Invitation.objects.filter(session_id=session_id)
    return SessionResults(
        rates=response_rates(invitations),
        changes=matched_changes(invitations, (Measure.CONFIDENCE, Measure.KNOWLEDGE)),
        reaction=reaction(invitations),
        follow_ups=follow_ups(invitations),
    )
