"""Synthetic conversations, signposts and referrals: 18 months with believable seasons.

Runs after accounts.demo and demo_directory. Adds a few dozen synthetic frontline workers
(reserved `.example` addresses, unusable passwords) and about three thousand conversations.
Residents are invented; referral contact details are synthetic (Ofcom's drama number range)
and, as in real life, blanked once a closed referral passes the retention period.
Idempotent: does nothing once demo conversations exist.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Organisation, Role, RoleMembership, User
from core.models import AuditEvent
from referrals.models import (
    AgeBand,
    Conversation,
    ConversationSetting,
    EthnicGroup,
    MeccLevel,
    Outcome,
    Referral,
    ReferralStatusChange,
    Service,
    Sex,
    Topic,
)

SEED = 20_261_124
MONTHS = 18
WORKERS_PER_ORGANISATION = 4
CONVERSATIONS_PER_WEEKDAY = 6.0
WORKER_ORGANISATION_KINDS = (
    Organisation.Kind.NHS_TRUST,
    Organisation.Kind.LOCAL_AUTHORITY,
    Organisation.Kind.PRIMARY_CARE,
)
FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ellie",
    "Femi",
    "Grace",
    "Hassan",
    "Ines",
    "Jack",
    "Kemi",
    "Liam",
    "Maya",
    "Nikhil",
    "Olu",
    "Poppy",
    "Rosa",
    "Sam",
    "Tariq",
    "Zara",
]
LAST_NAMES = [
    "Adeyemi",
    "Brown",
    "Chen",
    "Demir",
    "Evans",
    "Fraser",
    "Gupta",
    "Hughes",
    "Ibrahim",
    "Jones",
    "Kowalski",
    "Lewis",
    "Mensah",
    "Novak",
    "O'Brien",
    "Patel",
    "Quinn",
    "Rahman",
]
OUTCODES = {
    "Barnet": ["N3", "N12", "N20", "NW4", "NW7", "EN5"],
    "Camden": ["NW1", "NW3", "NW5", "NW6", "WC1"],
    "Enfield": ["EN1", "EN2", "EN3", "N9", "N13", "N18"],
    "Haringey": ["N4", "N8", "N10", "N15", "N17", "N22"],
    "Islington": ["N1", "N5", "N7", "N19", "EC1"],
}
# Relative weight of each topic by month (January = index 0): smoking peaks with new-year
# resolutions and Stoptober, activity in spring, loneliness and money worries in winter.
SEASONS: dict[str, list[float]] = {
    "smoking": [3.0, 1.8, 1.3, 1.1, 1.0, 1.0, 1.0, 1.0, 1.2, 2.2, 1.3, 1.0],
    "alcohol": [2.2, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 1.0, 0.9, 1.0, 1.1, 1.8],
    "physical-activity": [1.5, 1.2, 1.6, 2.0, 2.2, 2.0, 1.6, 1.3, 1.3, 1.0, 0.8, 0.7],
    "healthy-eating-and-weight": [2.0, 1.6, 1.4, 1.4, 1.4, 1.2, 1.0, 1.0, 1.2, 1.1, 1.0, 0.9],
    "mental-wellbeing": [1.8, 1.6, 1.4, 1.2, 1.2, 1.1, 1.1, 1.1, 1.3, 1.4, 1.6, 1.7],
    "loneliness": [2.2, 1.8, 1.3, 1.0, 0.8, 0.7, 0.7, 0.8, 1.0, 1.3, 1.8, 2.4],
    "debt-and-money": [2.2, 1.8, 1.4, 1.4, 1.0, 0.9, 0.9, 1.0, 1.2, 1.4, 1.7, 2.0],
    "housing": [1.4, 1.3, 1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.3, 1.5],
    "falls": [1.6, 1.5, 1.1, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.3, 1.6],
    "dementia": [1.0] * 12,
    "employment": [1.5, 1.3, 1.1, 1.0, 1.0, 0.9, 0.8, 0.8, 1.2, 1.1, 1.0, 0.8],
    "carers-support": [1.1, 1.0, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0, 1.0, 1.0, 1.1, 1.3],
    "sexual-health": [0.8, 0.8, 0.9, 1.0, 1.1, 1.3, 1.3, 1.3, 1.2, 1.0, 0.9, 0.9],
    "social-prescribing": [1.2, 1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2],
    "mental-health-crisis": [0.25] * 12,
    "safeguarding": [0.15] * 12,
}
TOPIC_BASE = {"smoking": 1.6, "physical-activity": 1.4, "mental-wellbeing": 1.5, "alcohol": 1.1}
SETTINGS_BY_KIND: dict[str, list[tuple[ConversationSetting, int]]] = {
    Organisation.Kind.NHS_TRUST: [
        (ConversationSetting.HOSPITAL_WARD, 4),
        (ConversationSetting.OUTPATIENTS, 4),
        (ConversationSetting.COMMUNITY, 2),
        (ConversationSetting.REMOTE, 1),
    ],
    Organisation.Kind.PRIMARY_CARE: [
        (ConversationSetting.GP_PRACTICE, 6),
        (ConversationSetting.PHARMACY, 2),
        (ConversationSetting.REMOTE, 2),
    ],
    Organisation.Kind.LOCAL_AUTHORITY: [
        (ConversationSetting.COUNCIL, 4),
        (ConversationSetting.HOUSING, 3),
        (ConversationSetting.COMMUNITY, 2),
        (ConversationSetting.REMOTE, 1),
    ],
}
MECC_LEVELS = [
    (MeccLevel.VERY_BRIEF_ADVICE, 6),
    (MeccLevel.BRIEF_ADVICE, 3),
    (MeccLevel.BRIEF_INTERVENTION, 1),
]
OUTCOMES = [
    (Outcome.INFORMATION_GIVEN, 30),
    (Outcome.SIGNPOSTED, 38),
    (Outcome.REFERRED, 12),
    (Outcome.DECLINED, 14),
    (Outcome.NOT_APPROPRIATE, 6),
]
AGE_BANDS = [
    (AgeBand.AGE_18_24, 8),
    (AgeBand.AGE_25_34, 14),
    (AgeBand.AGE_35_44, 16),
    (AgeBand.AGE_45_54, 17),
    (AgeBand.AGE_55_64, 17),
    (AgeBand.AGE_65_74, 15),
    (AgeBand.AGE_75_PLUS, 11),
    (AgeBand.UNDER_18, 2),
]
ETHNIC_GROUPS = [
    (EthnicGroup.WHITE, 55),
    (EthnicGroup.ASIAN, 15),
    (EthnicGroup.BLACK, 15),
    (EthnicGroup.MIXED, 6),
    (EthnicGroup.OTHER, 6),
    (EthnicGroup.NOT_SAID, 3),
]
S = Referral.Status
DECLINE_REASONS = [
    "The resident lives outside the area we cover.",
    "Our waiting list is closed this month; we have suggested another service.",
    "The resident is already working with us.",
]


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return str(rng.choices(values, weights=weights)[0])


DEMO_FRONTLINE_EMAIL = "frontline@fleetvalley.nhs.example"
AUTHORS_PER_ORGANISATION = 8


def _workers(rng: random.Random) -> list[User]:
    """Authors: the demo's existing frontline staff (so trained workers have conversations and
    the evaluation can relate the two), or else a few synthetic workers per organisation."""
    staff = _existing_frontline_staff(rng)
    return staff if staff else _synthetic_workers(rng)


def _existing_frontline_staff(rng: random.Random) -> list[User]:
    people = list(
        User.objects.filter(
            is_active=True,
            role_memberships__role=Role.FRONTLINE_WORKER,
            organisation__kind__in=WORKER_ORGANISATION_KINDS,
        )
        .exclude(email=DEMO_FRONTLINE_EMAIL)
        .select_related("organisation__area")
        .order_by("email")
        .distinct()
    )
    by_organisation: dict[int, list[User]] = defaultdict(list)
    for person in people:
        by_organisation[person.organisation_id or 0].append(person)
    chosen: list[User] = []
    for organisation_id in sorted(by_organisation):
        group = by_organisation[organisation_id]
        chosen.extend(rng.sample(group, min(len(group), AUTHORS_PER_ORGANISATION)))
    return _with_demo_worker(chosen) if chosen else []


def _with_demo_worker(workers: list[User]) -> list[User]:
    # The demo frontline worker whose credentials `make run` prints should see their own
    # conversations and referrals on "My impact": give them a larger share than most.
    demo_worker = (
        User.objects.filter(email=DEMO_FRONTLINE_EMAIL).select_related("organisation__area").first()
    )
    if demo_worker is not None and demo_worker.organisation_id is not None:
        workers.extend([demo_worker] * 3)
    return workers


def _synthetic_workers(rng: random.Random) -> list[User]:
    """A few synthetic frontline workers in each demo trust, council and GP practice."""
    organisations = list(
        Organisation.objects.filter(kind__in=WORKER_ORGANISATION_KINDS)
        .prefetch_related("email_domains")
        .order_by("name")
    )
    wanted: list[User] = []
    for organisation in organisations:
        domains = [d.domain for d in organisation.email_domains.all()]
        if not domains:
            continue
        for number in range(1, WORKERS_PER_ORGANISATION + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            user = User(
                email=f"demo.worker{number:02d}@{domains[0]}",
                full_name=f"{first} {last}",
                organisation=organisation,
                staff_group="nursing" if organisation.kind == Organisation.Kind.NHS_TRUST else "",
                job_title="Frontline worker",
            )
            user.set_unusable_password()
            wanted.append(user)
    existing = set(
        User.objects.filter(email__in=[u.email for u in wanted]).values_list("email", flat=True)
    )
    User.objects.bulk_create([u for u in wanted if u.email not in existing])
    workers = list(
        User.objects.filter(email__in=[u.email for u in wanted]).select_related(
            "organisation__area"
        )
    )
    has_role = set(
        RoleMembership.objects.filter(user__in=workers, role=Role.FRONTLINE_WORKER).values_list(
            "user_id", flat=True
        )
    )
    RoleMembership.objects.bulk_create(
        [
            RoleMembership(user=w, role=Role.FRONTLINE_WORKER, organisation_id=w.organisation_id)
            for w in workers
            if w.pk not in has_role
        ]
    )
    return _with_demo_worker(workers)


@dataclass
class _Directory:
    """Open services by topic slug, each with the borough ids it serves (empty = all)."""

    by_topic: dict[str, list[tuple[Service, set[int]]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def matching(self, slug: str, area_id: int, *, referral: bool) -> list[Service]:
        return [
            service
            for service, areas in self.by_topic.get(slug, [])
            if (not areas or area_id in areas)
            and (
                not referral
                or service.referral_route == Service.ReferralRoute.PROFESSIONAL_REFERRAL
            )
        ]


def _directory() -> _Directory:
    directory = _Directory()
    services = Service.objects.filter(status=Service.Status.ACTIVE).prefetch_related(
        "topics", "areas_served"
    )
    for service in services:
        areas = {area.pk for area in service.areas_served.all()}
        for topic in service.topics.all():
            directory.by_topic[topic.slug].append((service, areas))
    return directory


def _referral_path(rng: random.Random, age_days: int) -> list[str]:
    """The statuses a referral of this age has been through (older ones have closed)."""
    if age_days < 2:
        return [S.SENT]
    if rng.random() < 0.12:
        return [S.SENT, S.DECLINED]
    if age_days < 10:
        return [S.SENT, S.ACCEPTED] if rng.random() < 0.7 else [S.SENT]
    if rng.random() < 0.04:
        return [S.SENT, S.CANCELLED]
    if rng.random() < 0.18:
        return [S.SENT, S.ACCEPTED, S.DID_NOT_ATTEND]
    if age_days < 40:
        return [S.SENT, S.ACCEPTED, S.ATTENDED]
    return [S.SENT, S.ACCEPTED, S.ATTENDED, S.COMPLETED]


def seed() -> None:
    if Conversation.objects.filter(is_demo=True).exists():
        return
    rng = random.Random(SEED)  # noqa: S311  # nosec B311  # synthetic data, not security
    topics = {t.slug: t for t in Topic.objects.filter(is_active=True)}
    workers = _workers(rng)
    if not topics or not workers:
        return
    directory = _directory()
    now = timezone.now()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=round(MONTHS * 30.44))
    slugs = sorted(topics)

    conversations: list[Conversation] = []
    topic_links: list[tuple[int, list[str]]] = []
    day = start
    while day < today:
        weekday_factor = 1.0 if day.weekday() < 5 else 0.25
        count = max(0, round(rng.gauss(CONVERSATIONS_PER_WEEKDAY * weekday_factor, 1.5)))
        weights = [
            SEASONS.get(slug, [1.0] * 12)[day.month - 1] * TOPIC_BASE.get(slug, 1.0)
            for slug in slugs
        ]
        for _ in range(count):
            worker = rng.choice(workers)
            organisation = worker.organisation
            assert organisation is not None  # noqa: S101  # nosec B101  # every demo worker has one
            kind = organisation.kind
            area = organisation.area
            chosen = set(rng.choices(slugs, weights=weights, k=1 + (rng.random() < 0.3)))
            occurred = timezone.make_aware(
                datetime.datetime.combine(
                    day, datetime.time(rng.randint(8, 17), rng.randint(0, 59))
                )
            )
            profiled = rng.random() < 0.6
            conversations.append(
                Conversation(
                    author=worker,
                    organisation=organisation,
                    area=area,
                    occurred_at=occurred,
                    created_at=occurred,
                    setting=_pick(
                        rng, SETTINGS_BY_KIND.get(kind, [(ConversationSetting.OTHER, 1)])
                    ),
                    mecc_level=_pick(rng, MECC_LEVELS),
                    outcome=_pick(rng, OUTCOMES),
                    age_band=_pick(rng, AGE_BANDS) if profiled else "",
                    sex=rng.choice([Sex.FEMALE, Sex.MALE, Sex.FEMALE]) if profiled else "",
                    ethnic_group=_pick(rng, ETHNIC_GROUPS) if profiled else "",
                    postcode_district=(
                        rng.choice(OUTCODES.get(area.name, [""])) if profiled else ""
                    ),
                    is_demo=True,
                )
            )
            topic_links.append((len(conversations) - 1, sorted(chosen)))
        day += datetime.timedelta(days=1)

    Conversation.objects.bulk_create(conversations, batch_size=500)
    through = Conversation.topics.through
    through.objects.bulk_create(
        [
            through(conversation_id=conversations[index].pk, topic_id=topics[slug].pk)
            for index, chosen_slugs in topic_links
            for slug in chosen_slugs
        ],
        batch_size=1000,
    )

    referrals: list[Referral] = []
    paths: list[list[tuple[str, datetime.datetime]]] = []
    retention = datetime.timedelta(days=settings.REFERRAL_CONTACT_RETENTION_DAYS)
    for index, chosen_slugs in topic_links:
        conversation = conversations[index]
        slug = chosen_slugs[0]
        if conversation.outcome == Outcome.SIGNPOSTED:
            options = directory.matching(slug, conversation.area_id, referral=False)
            for service in rng.sample(options, k=min(len(options), rng.choice([1, 1, 2]))):
                referrals.append(
                    Referral(
                        conversation=conversation,
                        service=service,
                        topic=topics[slug],
                        kind=Referral.Kind.SIGNPOST,
                        status=S.SIGNPOSTED,
                        created_by=conversation.author,
                        created_at=conversation.occurred_at,
                        is_demo=True,
                    )
                )
                paths.append([])
        elif conversation.outcome == Outcome.REFERRED:
            options = directory.matching(slug, conversation.area_id, referral=True)
            if not options:
                continue
            service = rng.choice(options)
            sent = conversation.occurred_at
            path = _referral_path(rng, (now - sent).days)
            step_times = [sent]
            for _ in path[1:]:
                step_times.append(
                    min(now, step_times[-1] + datetime.timedelta(days=rng.randint(1, 12)))
                )
            closed_at = (
                step_times[-1]
                if path[-1] in (S.DECLINED, S.DID_NOT_ATTEND, S.COMPLETED, S.CANCELLED)
                else None
            )
            purged = closed_at is not None and now - closed_at > retention
            number = len(referrals)
            referrals.append(
                Referral(
                    conversation=conversation,
                    service=service,
                    topic=topics[slug],
                    kind=Referral.Kind.REFERRAL,
                    status=path[-1],
                    created_by=conversation.author,
                    created_at=sent,
                    status_changed_at=step_times[-1],
                    closed_at=closed_at,
                    consent_statement=(
                        f"The resident agreed to share their contact details with "
                        f"{service.provider.name} so that {service.name} can contact them "
                        f"about this referral."
                    ),
                    consent_given_at=sent,
                    consent_recorded_by=conversation.author,
                    contact_name="" if purged else f"Demo Resident {number}",
                    contact_phone="" if purged else f"07700 900{number % 1000:03d}",
                    contact_preferred_time=""
                    if purged
                    else rng.choice(["Mornings", "Afternoons", "Any time"]),
                    contact_purged_at=(closed_at + retention) if purged and closed_at else None,
                    reminder_sent_at=None,
                    is_demo=True,
                )
            )
            paths.append(list(zip(path, step_times, strict=True)))
    Referral.objects.bulk_create(referrals, batch_size=500)

    responders = dict(
        RoleMembership.objects.filter(role=Role.SERVICE_PROVIDER, organisation__isnull=False)
        .order_by("-id")
        .values_list("organisation_id", "user_id")
    )
    history = []
    for referral, steps in zip(referrals, paths, strict=True):
        for status, at in steps:
            by_id = (
                referral.created_by_id
                if status in (S.SENT, S.CANCELLED)
                else responders.get(referral.service.provider_id)
            )
            history.append(
                ReferralStatusChange(
                    referral=referral,
                    status=status,
                    changed_at=at,
                    changed_by_id=by_id,
                    reason=_decline_reason(rng, referral) if status == S.DECLINED else "",
                )
            )
    ReferralStatusChange.objects.bulk_create(history, batch_size=1000)
    _audit_trail(referrals, history)


def _decline_reason(rng: random.Random, referral: Referral) -> str:
    reason = rng.choice(DECLINE_REASONS)
    # A purged referral's reasons went with its contact details.
    return "" if referral.contact_purged_at is not None else reason


def _audit_trail(referrals: list[Referral], history: list[ReferralStatusChange]) -> None:
    """The audit events the referral services would have written for the demo's history."""
    emails = dict(User.objects.values_list("id", "email"))
    referral_type = ContentType.objects.get_for_model(Referral)

    def event(
        at: datetime.datetime,
        actor_id: int | None,
        action: str,
        referral: Referral,
        **details: object,
    ) -> AuditEvent:
        return AuditEvent(
            occurred_at=at,
            actor_id=actor_id,
            actor_email=emails.get(actor_id, "") if actor_id else "",
            action=action,
            target_type=referral_type,
            target_id=str(referral.pk),
            details=details,
        )

    by_referral: dict[int, list[ReferralStatusChange]] = defaultdict(list)
    for change in history:
        by_referral[change.referral_id].append(change)
    events = []
    for referral in referrals:
        if referral.kind != Referral.Kind.REFERRAL:
            continue
        previous = ""
        for change in by_referral[referral.pk]:
            if change.status == S.SENT:
                events.append(
                    event(
                        change.changed_at,
                        change.changed_by_id,
                        "referral.created",
                        referral,
                        service=str(referral.service.uuid),
                    )
                )
            else:
                if change.status == S.ACCEPTED:  # providers look before they call
                    events.append(
                        event(
                            change.changed_at,
                            change.changed_by_id,
                            "referral.contact_viewed",
                            referral,
                        )
                    )
                events.append(
                    event(
                        change.changed_at,
                        change.changed_by_id,
                        "referral.status_changed",
                        referral,
                        **{"from": previous, "to": change.status},
                    )
                )
            previous = change.status
        if referral.contact_purged_at is not None:
            events.append(
                event(
                    referral.contact_purged_at,
                    None,
                    "referral.contact_purged",
                    referral,
                    reasons_blanked=0,
                )
            )
    AuditEvent.objects.bulk_create(events, batch_size=1000)
