"""Generated conversations for load tests: the demo's shape (seasonal topics, settings by kind
of organisation, signposts to matching services, consented referrals with a status history)
at any size, loaded in chunks with COPY on PostgreSQL.

Authors are the generated staff (accounts.generate). Referral contact details are synthetic
(Ofcom's drama number range), encrypted with the project's field encryption, and blank once a
closed referral is past the retention period, as the purge would leave them.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.generate import GENERATED_DOMAIN
from accounts.models import Area, Organisation, Role, RoleMembership, User
from core.bulk import GenerationPlan, bulk_insert, next_id, random_uuid
from core.encryption import fernet
from core.services import change_record
from referrals.demo_activity import (
    AGE_BANDS,
    DECLINE_REASONS,
    ETHNIC_GROUPS,
    MECC_LEVELS,
    OUTCODES,
    OUTCOMES,
    SEASONS,
    SETTINGS_BY_KIND,
    TOPIC_BASE,
    S,
    _directory,
    _referral_path,
)
from referrals.models import (
    Conversation,
    ConversationSetting,
    Outcome,
    Referral,
    ReferralStatusChange,
    Sex,
    Topic,
)
from referrals.selectors.rollups import CONVERSATION_STREAM, bucket_key

DAYS_BACK = 730
CHUNK = 50_000
CLOSED = (S.DECLINED, S.DID_NOT_ATTEND, S.COMPLETED, S.CANCELLED)
CONVERSATION_FIELDS = [
    "id", "created_at", "updated_at", "uuid", "author", "organisation", "area", "occurred_at",
    "setting", "mecc_level", "outcome", "age_band", "sex", "ethnic_group", "postcode_district",
    "is_demo",
]  # fmt: skip
REFERRAL_FIELDS = [
    "id", "created_at", "updated_at", "uuid", "conversation", "service", "topic", "kind",
    "status", "created_by", "status_changed_at", "closed_at", "consent_statement",
    "consent_given_at", "consent_recorded_by", "contact_name", "contact_phone", "contact_email",
    "contact_preferred_time", "contact_purged_at", "is_demo",
]  # fmt: skip
HISTORY_FIELDS = ["referral", "status", "changed_at", "changed_by", "reason"]


class _Weighted:
    """rng.choices with the cumulative weights worked out once."""

    def __init__(self, weighted: Sequence[tuple[Any, float]]) -> None:
        self.values = [value for value, _ in weighted]
        self.cumulative = list(accumulate(weight for _, weight in weighted))

    def pick(self, rng: random.Random) -> Any:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


@dataclass
class _World:
    authors: list[tuple[int, int, int, str]]  # user id, organisation id, area id, kind
    area_names: dict[int, str]
    topic_ids: dict[str, int]
    slugs: list[str]
    topic_weights: list[list[float]]  # per calendar month, in slug order
    directory: Any
    responders: dict[int, int]
    settings_by_kind: dict[str, _Weighted] = field(default_factory=dict)


def _world() -> _World | None:
    topics = dict(Topic.objects.filter(is_active=True).values_list("slug", "pk"))
    authors = [
        (pk, org, area, kind)
        for pk, org, area, kind in User.objects.filter(
            email__endswith=f"@{GENERATED_DOMAIN}", organisation__isnull=False
        )
        .order_by("pk")
        .values_list("pk", "organisation_id", "organisation__area_id", "organisation__kind")
    ]
    if not topics or not authors:
        return None
    slugs = sorted(topics)
    weights = [
        [SEASONS.get(slug, [1.0] * 12)[month] * TOPIC_BASE.get(slug, 1.0) for slug in slugs]
        for month in range(12)
    ]
    responders = dict(
        RoleMembership.objects.filter(role=Role.SERVICE_PROVIDER, organisation__isnull=False)
        .order_by("-id")
        .values_list("organisation_id", "user_id")
    )
    world = _World(
        authors=authors,
        area_names=dict(Area.objects.values_list("pk", "name")),
        topic_ids=topics,
        slugs=slugs,
        topic_weights=[list(accumulate(row)) for row in weights],
        directory=_directory(),
        responders=responders,
    )
    for kind in Organisation.Kind.values:
        world.settings_by_kind[kind] = _Weighted(
            SETTINGS_BY_KIND.get(kind, [(ConversationSetting.OTHER, 1)])
        )
    return world


class _Loader:
    """Builds one chunk of conversations and everything made in them, then loads it."""

    def __init__(self, plan: GenerationPlan, world: _World, rng: random.Random) -> None:
        self.plan, self.world, self.rng = plan, world, rng
        self.levels = _Weighted(MECC_LEVELS)
        self.outcomes = _Weighted(OUTCOMES)
        self.ages = _Weighted(AGE_BANDS)
        self.ethnic = _Weighted(ETHNIC_GROUPS)
        self.encrypt = fernet().encrypt
        self.retention = datetime.timedelta(days=settings.REFERRAL_CONTACT_RETENTION_DAYS)
        self.now = timezone.make_aware(datetime.datetime.combine(plan.today, datetime.time(18)))
        self.conversation_id = next_id(Conversation)
        self.referral_id = next_id(Referral)
        self.counts = {"conversations": 0, "topic links": 0, "signposts": 0, "referrals": 0}
        self.buckets: set[str] = set()

    def load(self, count: int, *, days_back: int, today_only: bool = False) -> None:
        done = 0
        while done < count:
            size = min(CHUNK, count - done)
            self._chunk(size, days_back=days_back, today_only=today_only)
            done += size

    def _sealed(self, text: str) -> str:
        return self.encrypt(text.encode("utf-8")).decode("ascii")

    def _chunk(self, size: int, *, days_back: int, today_only: bool) -> None:
        rng, world = self.rng, self.world
        conversations: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        referrals: list[tuple[Any, ...]] = []
        history: list[tuple[Any, ...]] = []
        for _ in range(size):
            pk = self.conversation_id
            self.conversation_id += 1
            author, organisation, area, kind = rng.choice(world.authors)
            if today_only:
                day = self.plan.today
                clock = datetime.time(rng.randint(0, 7), rng.randint(0, 59))
            else:
                day = self.plan.today - datetime.timedelta(days=rng.randint(1, days_back))
                clock = datetime.time(rng.randint(8, 17), rng.randint(0, 59))
            occurred = timezone.make_aware(datetime.datetime.combine(day, clock))
            chosen = sorted(
                set(
                    rng.choices(
                        world.slugs,
                        cum_weights=world.topic_weights[day.month - 1],
                        k=1 + (rng.random() < 0.3),
                    )
                )
            )
            outcome = self.outcomes.pick(rng)
            profiled = rng.random() < 0.6
            area_name = world.area_names.get(area, "")
            conversations.append(
                (
                    pk, occurred, occurred, random_uuid(rng), author, organisation, area,
                    occurred, world.settings_by_kind[kind].pick(rng), self.levels.pick(rng),
                    outcome,
                    self.ages.pick(rng) if profiled else "",
                    rng.choice((Sex.FEMALE, Sex.MALE, Sex.FEMALE)) if profiled else "",
                    self.ethnic.pick(rng) if profiled else "",
                    rng.choice(OUTCODES.get(area_name, [""])) if profiled else "",
                    False,
                )
            )  # fmt: skip
            links.extend((pk, world.topic_ids[slug]) for slug in chosen)
            self.buckets.add(
                bucket_key(
                    month=timezone.localtime(occurred).date().replace(day=1),
                    organisation_id=organisation,
                )
            )
            if outcome == Outcome.SIGNPOSTED:
                self._signposts(pk, chosen[0], area, author, occurred, referrals)
            elif outcome == Outcome.REFERRED:
                self._referral(pk, chosen[0], area, author, occurred, referrals, history)
        bulk_insert(Conversation, CONVERSATION_FIELDS, conversations)
        bulk_insert(Conversation.topics.through, ["conversation_id", "topic_id"], links)
        bulk_insert(Referral, REFERRAL_FIELDS, referrals)
        bulk_insert(ReferralStatusChange, HISTORY_FIELDS, history)
        self.counts["conversations"] += len(conversations)
        self.counts["topic links"] += len(links)

    def _signposts(
        self, pk: int, slug: str, area: int, author: int, at: datetime.datetime, out: list[Any]
    ) -> None:
        options = self.world.directory.matching(slug, area, referral=False)
        for service in self.rng.sample(options, k=min(len(options), self.rng.choice((1, 1, 2)))):
            out.append(
                (
                    self.referral_id, at, at, random_uuid(self.rng), pk, service.pk,
                    self.world.topic_ids[slug], Referral.Kind.SIGNPOST, S.SIGNPOSTED, author,
                    None, None, "", None, None, "", "", "", "", None, False,
                )
            )  # fmt: skip
            self.referral_id += 1
            self.counts["signposts"] += 1

    def _referral(
        self,
        pk: int,
        slug: str,
        area: int,
        author: int,
        sent: datetime.datetime,
        out: list[Any],
        history: list[Any],
    ) -> None:
        rng = self.rng
        options = self.world.directory.matching(slug, area, referral=True)
        if not options:
            return
        service = rng.choice(options)
        path = _referral_path(rng, max(0, (self.now - sent).days))
        times = [sent]
        for _ in path[1:]:
            times.append(min(self.now, times[-1] + datetime.timedelta(days=rng.randint(1, 12))))
        closed = times[-1] if path[-1] in CLOSED else None
        purged = closed is not None and self.now - closed > self.retention
        number = self.referral_id
        contact = (
            ("", "", "", "")
            if purged
            else (
                self._sealed(f"Generated Resident {number}"),
                self._sealed(f"07700 900{number % 1000:03d}"),
                self._sealed(f"resident{number}@resident.generated.example")
                if rng.random() < 0.4
                else "",
                self._sealed(rng.choice(("Mornings", "Afternoons", "Any time"))),
            )
        )
        out.append(
            (
                number, sent, times[-1], random_uuid(rng), pk, service.pk,
                self.world.topic_ids[slug], Referral.Kind.REFERRAL, path[-1], author, times[-1],
                closed,
                f"The resident agreed to share their contact details with {service.name}.",
                sent, author, *contact, (closed + self.retention) if purged and closed else None,
                False,
            )
        )  # fmt: skip
        for status, at in zip(path, times, strict=True):
            changed_by = (
                author
                if status in (S.SENT, S.CANCELLED)
                else self.world.responders.get(service.provider_id)
            )
            reason = rng.choice(DECLINE_REASONS) if status == S.DECLINED else ""
            history.append((number, status, at, changed_by, reason))
        self.referral_id += 1
        self.counts["referrals"] += 1


def generate(plan: GenerationPlan) -> dict[str, int]:
    world = _world()
    if world is None:
        return {}
    loader = _Loader(plan, world, plan.rng("referrals"))
    loader.load(plan.conversations, days_back=DAYS_BACK)
    return loader.counts


def conversations_add_today(*, plan: GenerationPlan, count: int) -> int:
    """Add `count` conversations early today and record their buckets in the change feed, as
    logging them one by one would (the benchmark's incremental-refresh workload)."""
    world = _world()
    if world is None:
        return 0
    loader = _Loader(plan, world, plan.rng(f"referrals-today-{next_id(Conversation)}"))
    loader.load(count, days_back=1, today_only=True)
    change_record(stream=CONVERSATION_STREAM, keys=sorted(loader.buckets))
    return loader.counts["conversations"]
