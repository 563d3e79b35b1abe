"""Demo data for organisation returns, workforce headcounts, the resources library and the
glossary: synthetic, deterministic and safe to run again (existing rows are kept)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Organisation, Role, RoleMembership, StaffGroup, User
from evaluation.demo_glossary import GLOSSARY, RESOURCES
from evaluation.models import (
    GlossaryTerm,
    OrganisationReturn,
    Resource,
    ReturnPeriod,
    WorkforceHeadcount,
)
from training.selectors.evaluation import people_completed

SEED = 20260405
G = StaffGroup
K = Organisation.Kind
# Typical workforce by organisation kind: staff group -> (low, high) headcount; the demo
# uses these as the mix of staff groups, scaled down to the demo's people.
WORKFORCE: dict[str, dict[str, tuple[int, int]]] = {
    K.NHS_TRUST: {
        G.NURSING: (1800, 3600),
        G.MEDICAL: (600, 1400),
        G.ALLIED_HEALTH: (400, 900),
        G.HEALTHCARE_SCIENCE: (150, 400),
        G.CLINICAL_SUPPORT: (900, 2000),
        G.ADMIN_CLERICAL: (900, 1800),
    },
    K.LOCAL_AUTHORITY: {
        G.SOCIAL_CARE: (500, 1100),
        G.PUBLIC_HEALTH: (30, 70),
        G.HOUSING: (250, 600),
        G.ADMIN_CLERICAL: (900, 2000),
        G.OTHER: (700, 1500),
    },
    K.PRIMARY_CARE: {
        G.NURSING: (15, 40),
        G.MEDICAL: (15, 35),
        G.CLINICAL_SUPPORT: (10, 30),
        G.ADMIN_CLERICAL: (25, 60),
    },
    K.VOLUNTARY_SECTOR: {G.VOLUNTARY: (20, 90), G.ADMIN_CLERICAL: (4, 12)},
    K.COMMISSIONER: {G.PUBLIC_HEALTH: (10, 25), G.ADMIN_CLERICAL: (250, 450)},
}


def _financial_year_start(today: date) -> int:
    return today.year if today.month >= 4 else today.year - 1


def _periods(today: date) -> list[ReturnPeriod]:
    year = _financial_year_start(today)
    wanted = [
        (
            f"{year - 1} to {year}",
            ReturnPeriod.Kind.FINANCIAL_YEAR,
            date(year - 1, 4, 1),
            date(year, 3, 31),
            date(year, 4, 30),
        ),
        (
            f"April to September {year}",
            ReturnPeriod.Kind.HALF_YEAR,
            date(year, 4, 1),
            date(year, 9, 30),
            date(year, 11, 30),
        ),
        (
            f"{year} to {year + 1}",
            ReturnPeriod.Kind.FINANCIAL_YEAR,
            date(year, 4, 1),
            date(year + 1, 3, 31),
            date(year + 1, 4, 30),
        ),
    ]
    periods = []
    for name, kind, starts_on, ends_on, deadline in wanted:
        period, _ = ReturnPeriod.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "deadline": deadline,
            },
        )
        periods.append(period)
    return periods


# The share of each borough's workforce the demo has trained so far, roughly: the boroughs
# differ, so the benchmark has something to say (each organisation varies a little more).
SHARE_TRAINED = {
    "E09000003": 0.2,  # Barnet: behind
    "E09000007": 0.5,  # Camden: ahead
    "E09000010": 0.3,  # Enfield: getting there
    "E09000014": 0.45,  # Haringey
    "E09000019": 0.3,  # Islington
}


def _spread(total: int, floors: dict[str, int], weights: dict[str, int]) -> dict[str, int]:
    """`total` shared out by weight, each group at least its floor."""
    counts = dict(floors)
    spare = total - sum(floors.values())
    weight = sum(weights.values())
    if spare > 0 and weight:
        for group, w in weights.items():
            counts[group] = counts.get(group, 0) + round(spare * w / weight)
    return {group: count for group, count in counts.items() if count > 0}


def _headcounts(organisations: list[Organisation], today: date, rng: random.Random) -> None:
    """Each organisation's headcount, in proportion to the people the demo has: the people
    training's demo trained are 15 to 60 percent of it, so the share trained is believable."""
    year = _financial_year_start(today)
    ids = [o.pk for o in organisations]
    staff: dict[int, dict[str, int]] = {}
    for org_id, group in User.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "staff_group"
    ):
        if group:
            staff.setdefault(org_id, {}).setdefault(group, 0)
            staff[org_id][group] += 1
    rows = []
    for organisation in organisations:
        trained = people_completed(
            start=date(2000, 1, 1), end=today, by="staff_group", organisation_ids=[organisation.pk]
        )
        trained = {group: n for group, n in trained.items() if group}
        people = staff.get(organisation.pk, {})
        share = SHARE_TRAINED.get(organisation.area.ons_code, 0.3)
        share = min(0.6, max(0.15, share * rng.uniform(0.8, 1.2)))
        profile = WORKFORCE.get(organisation.kind, {})
        floors = {g: max(trained.get(g, 0), people.get(g, 0)) for g in {*trained, *people}}
        total = max(sum(floors.values()), round(max(1, sum(trained.values())) / share), 10)
        weights = {group: low + high for group, (low, high) in profile.items()}
        for group, latest in _spread(total, floors, weights).items():
            for as_of, count in (
                (date(year - 1, 3, 31), round(latest * rng.uniform(0.93, 1.02))),
                (date(year, 3, 31), latest),
            ):
                rows.append(
                    WorkforceHeadcount(
                        organisation=organisation, staff_group=group, headcount=count, as_of=as_of
                    )
                )
    WorkforceHeadcount.objects.bulk_create(rows, ignore_conflicts=True)


DELIVERY: dict[str, str] = {
    K.NHS_TRUST: "MECC level 1 on induction for all new starters; level 2 each month for ward "
    "staff; MHFA courses each quarter; Dementia Awareness on e-learning.",
    K.LOCAL_AUTHORITY: "MECC for housing, libraries, leisure and adult social care teams; "
    "MHFA for managers; Dementia Friends sessions with the local Alzheimer's group.",
    K.PRIMARY_CARE: "MECC level 1 and 2 for reception and clinical staff at practice "
    "protected learning time.",
    K.VOLUNTARY_SECTOR: "MECC level 1 for volunteers and staff, run with the borough's "
    "public health team.",
}
PLANS = [
    "Train every frontline team by the end of the year, starting with the areas of highest "
    "deprivation (Core20PLUS5).",
    "Add MECC to induction and appraisal so conversations become routine.",
    "Grow our own trainers so we rely less on paid courses.",
]
JOINT = [
    "Shared MECC trainers with the borough council; joint sessions for housing and community "
    "health staff.",
    "Run MHFA courses with the voluntary sector and offer spare places to partners.",
]
EVALUATIONS = [
    "Pre and post-course surveys for every course; a 3-month follow-up for MECC level 2.",
    "Audit of conversations logged by two pilot teams; focus group with ward managers.",
]


def _return_for(
    organisation: Organisation, period: ReturnPeriod, headcount: int, rng: random.Random
) -> OrganisationReturn:
    # Returns count all training, the portal's and others', so more than the portal shows.
    trained = max(3, round(headcount * rng.uniform(0.15, 0.35)))
    trainers = max(1, round(headcount / rng.randint(40, 90)))
    budget = max(100, round(trained * rng.uniform(25, 60), -2))
    hours = trained * rng.choice((3, 4, 6))
    programmes = ["mecc"] + [c for c in ("mhfa", "dementia") if rng.random() < 0.7]
    return OrganisationReturn(
        organisation=organisation,
        period=period,
        programmes=programmes,
        delivery=DELIVERY.get(organisation.kind, DELIVERY[K.VOLUNTARY_SECTOR]),
        people_trained=trained,
        trainers_now=trainers,
        trainers_next_year=trainers + rng.choice((0, 0, 1, 2)),
        budget_now_pounds=int(budget),
        budget_next_year_pounds=int(budget * rng.choice((1.0, 1.05, 1.1, 0.9))),
        training_hours_now=hours,
        training_hours_next_year=round(hours * rng.uniform(1.0, 1.25)),
        plans_and_priorities=rng.choice(PLANS),
        joint_working=rng.choice(JOINT),
        evaluations_done=rng.choice(EVALUATIONS),
    )


def _returns(
    organisations: list[Organisation], periods: list[ReturnPeriod], today: date, rng: random.Random
) -> None:
    leads = dict(
        RoleMembership.objects.filter(role=Role.TRAINING_LEAD, organisation__isnull=False)
        .order_by("user_id")
        .values_list("organisation_id", "user_id")
    )
    totals: dict[int, int] = {}
    for org_id, count in WorkforceHeadcount.objects.values_list("organisation_id", "headcount"):
        totals[org_id] = totals.get(org_id, 0) + count
    rows = []
    previous, half, current = periods
    for index, organisation in enumerate(organisations):
        if organisation.kind == K.COMMISSIONER:
            continue
        headcount = totals.get(organisation.pk, 100)
        for period, submit_chance, draft_chance in (
            (previous, 0.9, 0.1),
            (half, 0.55, 0.3),
            (current, 0.0, 0.25),
        ):
            roll = rng.random()
            if organisation.pk in leads:
                # A demo training lead's organisation: last year's return is in, this half
                # year's is a draft to finish, and this year's is theirs to start.
                roll = {previous: 0.0, half: submit_chance, current: 1.0}[period]
            elif index == 0 and period is previous:
                roll = 1.0  # one organisation missed last year's return
            if roll >= submit_chance + draft_chance:
                continue
            row = _return_for(organisation, period, headcount, rng)
            if roll < submit_chance and period.deadline - timedelta(days=40) <= today:
                row.status = OrganisationReturn.Status.SUBMITTED
                day = min(today, period.deadline) - timedelta(days=rng.randint(1, 30))
                row.submitted_at = timezone.make_aware(datetime.combine(day, time(10, 30)))
                row.submitted_by_id = leads.get(organisation.pk)
            else:
                row.plans_and_priorities = row.joint_working = row.evaluations_done = ""
            rows.append(row)
    OrganisationReturn.objects.bulk_create(rows, ignore_conflicts=True)


def _glossary_and_resources() -> None:
    terms = {}
    for slug, term, definition, _ in GLOSSARY:
        terms[slug], _ = GlossaryTerm.objects.get_or_create(
            slug=slug, defaults={"term": term, "definition": definition}
        )
    through = GlossaryTerm.related_terms.through
    links = [
        through(from_glossaryterm=terms[a], to_glossaryterm=terms[b])
        for slug, _, _, related in GLOSSARY
        for other in related
        for a, b in ((slug, other), (other, slug))
    ]
    through.objects.bulk_create(links, ignore_conflicts=True)
    for title, category, summary, audience, publisher, year in RESOURCES:
        Resource.objects.get_or_create(
            title=title,
            defaults={
                "category": category,
                "summary": summary,
                "audience": audience,
                "publisher": publisher,
                "published_year": year,
            },
        )


def seed_returns_and_resources() -> None:
    today = timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311  # nosec B311  # synthetic demo data, not security
    organisations = list(Organisation.objects.select_related("area").order_by("name"))
    _glossary_and_resources()
    _headcounts(organisations, today, rng)
    _returns(organisations, _periods(today), today, rng)
