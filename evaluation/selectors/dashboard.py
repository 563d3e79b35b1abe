"""Reads for the commissioner dashboard, benchmark and reports: rollup tables only, scoped to
the areas (or organisations) where the user may view dashboards.

The number of queries is fixed whatever the amount of data: each figure is one grouped
aggregate over a rollup table.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet, Subquery, Sum
from django.utils import timezone

from accounts import access
from accounts.access import Permission
from accounts.models import Area, Organisation, Role, StaffGroup
from evaluation.models import (
    ConversationRollup,
    ConversationTopicRollup,
    ReferralOutcomeRollup,
    SessionRollup,
    TrainingRollup,
    Watermark,
)
from referrals.selectors import rollups as referral_reads
from training.selectors import rollups as training_reads

PERMISSION = Permission.VIEW_DASHBOARDS
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Period:
    """Whole months from `start` to `end` (both the first of a month), inclusive."""

    start: date
    end: date

    @classmethod
    def last(cls, months: int, *, today: date | None = None, complete: bool = False) -> Period:
        """The last `months` months up to this one, or up to last month if `complete`."""
        end = (today or timezone.localdate()).replace(day=1)
        if complete:
            end = add_months(end, -1)
        return cls(start=add_months(end, 1 - months), end=end)

    @property
    def ends_this_month(self) -> bool:
        return self.end == timezone.localdate().replace(day=1)

    @property
    def months(self) -> list[date]:
        months, month = [], self.start
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months

    def __str__(self) -> str:
        if self.start == self.end:
            return f"{self.start:%B %Y}"
        return f"{self.start:%B %Y} to {self.end:%B %Y}"


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class DashboardScope:
    """Where the user may look: boroughs, organisations, and whether that is everywhere."""

    areas: QuerySet[Area]
    organisations: QuerySet[Organisation]
    partnership_wide: bool
    rows: Q  # the filter every rollup query starts from

    @property
    def boroughs(self) -> QuerySet[Area]:
        return self.areas.filter(kind=Area.Kind.BOROUGH)


def dashboard_scope(user: Any) -> DashboardScope:
    """The user's dashboard scope; an empty one if they may not view dashboards."""
    areas = access.areas_in_scope(user, PERMISSION)
    organisations = access.organisations_in_scope(user, PERMISSION)
    # An area grant covers what happened in the area; an organisation grant covers the
    # organisation wherever its staff worked.
    outside = organisations.exclude(area__in=areas).values("pk")
    rows = Q(area__in=areas.values("pk")) | Q(organisation__in=outside)
    partnership_wide = any(
        m.area is not None and m.area.kind == Area.Kind.PARTNERSHIP
        for m in access.memberships(user)
        if PERMISSION in access.ROLE_PERMISSIONS[Role(m.role)]
    )
    return DashboardScope(
        areas=areas.order_by("name"),
        organisations=organisations.select_related("area").order_by("name"),
        partnership_wide=partnership_wide,
        rows=rows,
    )


@dataclass(frozen=True)
class DashboardFilters:
    period: Period
    area: Area | None = None
    organisation: Organisation | None = None
    programme_id: int | None = None
    staff_group: str = ""
    topic_id: int | None = None

    @property
    def below_partnership(self) -> bool:
        return self.area is not None or self.organisation is not None

    def as_scope(self) -> dict[str, Any]:
        """The filters as plain values (stored with a report)."""
        return {
            "area": self.area.pk if self.area else None,
            "organisation": self.organisation.pk if self.organisation else None,
            "programme": self.programme_id,
            "staff_group": self.staff_group,
            "topic": self.topic_id,
        }


@dataclass
class DashboardData:
    """Unrounded figures; presenters apply disclosure control before anything is shown."""

    months: list[date]
    conversations_by_month: list[int]
    signposts_by_month: list[int]
    referrals_by_month: list[int]
    trained_by_month: list[int]
    by_area: list[tuple[str, int]]
    by_topic: list[tuple[str, int]]
    by_level: list[tuple[str, int]]
    by_staff_group: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    trained_by_programme: list[tuple[str, int]]
    # (programme, sessions, attended, cost in pence); None when filtered by staff group.
    cost_by_programme: list[tuple[str, int, int, int]] | None
    names: dict[str, Any] = field(default_factory=dict)
    partial_last: bool = False  # the last month is still in progress

    @property
    def conversations(self) -> int:
        return sum(self.conversations_by_month)

    @property
    def signposts(self) -> int:
        return sum(self.signposts_by_month)

    @property
    def referrals(self) -> int:
        return sum(self.referrals_by_month)

    @property
    def trained(self) -> int:
        return sum(self.trained_by_month)

    @property
    def cost_pence(self) -> int | None:
        if self.cost_by_programme is None:
            return None
        return sum(row[3] for row in self.cost_by_programme)

    @property
    def sessions(self) -> int | None:
        if self.cost_by_programme is None:
            return None
        return sum(row[1] for row in self.cost_by_programme)


def _narrow(
    queryset: QuerySet[Any],
    scope: DashboardScope,
    filters: DashboardFilters,
    *,
    staff_group: bool = True,
    topic: bool = False,
    programme: bool = False,
) -> QuerySet[Any]:
    queryset = queryset.filter(scope.rows).filter(
        month__gte=filters.period.start, month__lte=filters.period.end
    )
    if filters.area is not None:
        queryset = queryset.filter(area=filters.area)
    if filters.organisation is not None:
        queryset = queryset.filter(organisation=filters.organisation)
    if staff_group and filters.staff_group:
        queryset = queryset.filter(staff_group=filters.staff_group)
    if topic and filters.topic_id is not None:
        queryset = queryset.filter(topic_id=filters.topic_id)
    if programme and filters.programme_id is not None:
        queryset = queryset.filter(programme_id=filters.programme_id)
    return queryset


def _grouped(queryset: QuerySet[Any], key: str, *measures: str) -> dict[Any, tuple[int, ...]]:
    rows = queryset.values(key).annotate(**{m: Sum(m) for m in measures}).order_by()
    return {row[key]: tuple(int(row[m] or 0) for m in measures) for row in rows}


def _series(by_month: dict[Any, tuple[int, ...]], months: list[date], index: int) -> list[int]:
    return [by_month.get(month, (0,) * (index + 1))[index] for month in months]


def _ranked(pairs: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(((label, n) for label, n in pairs if n), key=lambda p: (-p[1], p[0]))


def _cache_key(scope: DashboardScope, filters: DashboardFilters) -> str | None:
    """The figures' cache key: None when caching is off or the rollups were never built.

    Figures are cached until the rollups next change and never longer than
    settings.DASHBOARD_CACHE_SECONDS, so renamed topics or areas show within minutes."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return None
    # The watermarks, and the newest row of each rollup table (a refresh or rebuild inserts
    # rows, so even one at the same instant changes the key): one query.
    newest = {
        model.__name__: Subquery(model.objects.order_by("-pk").values("pk")[:1])
        for model in (
            ConversationRollup,
            ConversationTopicRollup,
            ReferralOutcomeRollup,
            TrainingRollup,
            SessionRollup,
        )
    }
    version = list(
        Watermark.objects.filter(stream__in=STREAMS)
        .annotate(**newest)
        .order_by("stream")
        .values_list("stream", "last_change_id", "refreshed_at", *newest)
    )
    if len(version) < len(STREAMS):
        return None  # never refreshed: the rollups may change without a new watermark
    parts = (
        # The scope as the SQL that selects it (compiled here, not run).
        str(scope.areas.values("pk").query),
        str(scope.organisations.values("pk").query),
        filters.period,
        filters.as_scope(),
        version,
    )
    return "dashboard-data:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def dashboard_data(*, scope: DashboardScope, filters: DashboardFilters) -> DashboardData:
    """Every figure the dashboard shows for these filters, from the rollups (or the cache,
    while the rollups have not changed)."""
    key = _cache_key(scope, filters)
    if key is not None:
        try:
            cached = cache.get(key)
        except Exception:  # the cache is an optimisation: without it, read the rollups
            logger.warning("dashboard cache unavailable", exc_info=True)
            key, cached = None, None
        if isinstance(cached, DashboardData):
            return cached
    data = _dashboard_data(scope=scope, filters=filters)
    if key is not None:
        try:
            cache.set(key, data, settings.DASHBOARD_CACHE_SECONDS)
        except Exception:
            logger.warning("dashboard cache unavailable", exc_info=True)
    return data


def _dashboard_data(*, scope: DashboardScope, filters: DashboardFilters) -> DashboardData:
    months = filters.period.months
    conversations = _narrow(
        ConversationTopicRollup.objects.all()
        if filters.topic_id is not None
        else ConversationRollup.objects.all(),
        scope,
        filters,
        topic=True,
    )
    measures = ("conversations", "signposts", "referrals")
    by_month = _grouped(conversations, "month", *measures)
    topics = _grouped(
        _narrow(ConversationTopicRollup.objects.all(), scope, filters, topic=True),
        "topic_id",
        "conversations",
    )
    outcomes = _grouped(
        _narrow(ReferralOutcomeRollup.objects.all(), scope, filters, topic=True),
        "status",
        "referrals",
    )
    training = _narrow(TrainingRollup.objects.all(), scope, filters, programme=True)
    trained_by_month = _grouped(training, "month", "completions")
    names = _names(scope)
    level_labels = dict(referral_reads.MECC_LEVEL_CHOICES)
    status_labels = dict(referral_reads.REFERRAL_STATUS_CHOICES)
    staff_labels = dict(StaffGroup.choices)
    cost_by_programme = None
    if not filters.staff_group:
        sessions = _narrow(
            SessionRollup.objects.all(), scope, filters, staff_group=False, programme=True
        )
        costs = _grouped(sessions, "programme_id", "sessions", "attended", "cost_pence")
        cost_by_programme = sorted(
            (names["programmes"].get(pid, "Other"), values[0], values[1], values[2])
            for pid, values in costs.items()
        )
    return DashboardData(
        months=months,
        conversations_by_month=_series(by_month, months, 0),
        signposts_by_month=_series(by_month, months, 1),
        referrals_by_month=_series(by_month, months, 2),
        trained_by_month=_series(trained_by_month, months, 0),
        by_area=_ranked(
            (names["areas"].get(aid, "Unknown"), v[0])
            for aid, v in _grouped(conversations, "area_id", "conversations").items()
        ),
        by_topic=_ranked((names["topics"].get(tid, "Other"), v[0]) for tid, v in topics.items()),
        by_level=_levels(conversations, level_labels),
        by_staff_group=_ranked(
            (staff_labels.get(g, "Not recorded"), v[0])
            for g, v in _grouped(conversations, "staff_group", "conversations").items()
        ),
        by_outcome=[
            (status_labels[status], outcomes[status][0])
            for status, _ in referral_reads.REFERRAL_STATUS_CHOICES
            if status in outcomes
        ],
        trained_by_programme=_ranked(
            (names["programmes"].get(pid, "Other"), v[0])
            for pid, v in _grouped(training, "programme_id", "completions").items()
        ),
        cost_by_programme=cost_by_programme,
        names=names,
        partial_last=filters.period.ends_this_month,
    )


def _levels(conversations: QuerySet[Any], labels: dict[str, str]) -> list[tuple[str, int]]:
    counts = _grouped(conversations, "mecc_level", "conversations")
    return [(label, counts[value][0]) for value, label in labels.items() if value in counts]


def _names(scope: DashboardScope) -> dict[str, dict[int, str]]:
    return {
        "areas": dict(Area.objects.values_list("pk", "name")),
        "topics": dict(referral_reads.topics_all().values_list("pk", "name")),
        "programmes": dict(training_reads.programmes_all().values_list("pk", "name")),
    }


def area_series(*, scope: DashboardScope, period: Period) -> dict[int, dict[str, dict[date, int]]]:
    """Per borough and month: conversations, signposts, referrals completed, completions,
    attended and cost; for the benchmark (one query per table)."""
    filters = DashboardFilters(period=period)
    result: dict[int, dict[str, dict[date, int]]] = defaultdict(lambda: defaultdict(dict))
    conv = _narrow(ConversationRollup.objects.all(), scope, filters)
    for row in conv.values("area_id", "month").annotate(c=Sum("conversations"), s=Sum("signposts")):
        result[row["area_id"]]["conversations"][row["month"]] = int(row["c"])
        result[row["area_id"]]["signposts"][row["month"]] = int(row["s"])
    outcome = _narrow(ReferralOutcomeRollup.objects.all(), scope, filters)
    for row in outcome.values("area_id", "month", "status").annotate(n=Sum("referrals")):
        series = result[row["area_id"]]
        series["referrals"][row["month"]] = series["referrals"].get(row["month"], 0) + row["n"]
        if row["status"] == "completed":
            series["completed"][row["month"]] = int(row["n"])
    training = _narrow(TrainingRollup.objects.all(), scope, filters)
    for row in training.values("area_id", "month").annotate(n=Sum("completions")):
        result[row["area_id"]]["completions"][row["month"]] = int(row["n"])
    sessions = _narrow(SessionRollup.objects.all(), scope, filters, staff_group=False)
    for row in sessions.values("area_id", "month").annotate(
        a=Sum("attended"), cost=Sum("cost_pence")
    ):
        result[row["area_id"]]["attended"][row["month"]] = int(row["a"])
        result[row["area_id"]]["cost_pence"][row["month"]] = int(row["cost"])
    return result


def completions_to_date(*, scope: DashboardScope, until: date) -> dict[int, int]:
    """Courses completed per borough up to and including the month `until` (all time)."""
    rows = (
        TrainingRollup.objects.filter(scope.rows, month__lte=until)
        .values("area_id")
        .annotate(n=Sum("completions"))
        .order_by()
    )
    return {row["area_id"]: int(row["n"]) for row in rows}


STREAMS = (
    referral_reads.CONVERSATION_STREAM,
    training_reads.COMPLETION_STREAM,
    training_reads.SESSION_STREAM,
)


def data_refreshed_at() -> datetime | None:
    """When the stalest rollup stream was last refreshed (None if any never was)."""
    times = dict(Watermark.objects.filter(stream__in=STREAMS).values_list("stream", "refreshed_at"))
    if len(times) < len(STREAMS) or any(t is None for t in times.values()):
        return None
    return min(t for t in times.values() if t is not None)
