"""Synthetic services across the five boroughs and every topic (never real services).

Deterministic (a seeded random.Random, ids from names) and idempotent: running it twice
leaves the same rows. About a fifth of listings were last checked over six months ago, so
the freshness flags and reminders have something to show.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Area, Organisation
from referrals import postcodes
from referrals.models import (
    Contact,
    CostOption,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    Topic,
)

R = Service.ReferralRoute
WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"

COUNCILS = {
    "Barnet": "London Borough of Barnet",
    "Camden": "Camden Council",
    "Enfield": "Enfield Council",
    "Haringey": "Haringey Council",
    "Islington": "Islington Council",
}
TRUSTS = {
    "Barnet": "North London Mental Health Partnership NHS Trust",
    "Camden": "Fleet Valley University Hospitals NHS Foundation Trust",
    "Enfield": "Lea Valley Community Health NHS Trust",
    "Haringey": "Alexandra Park Primary Care Network",
    "Islington": "Highgate Hill Hospital NHS Trust",
}
VOLUNTARY = {"Haringey": "Wood Green Voluntary Action", "Enfield": "Enfield Carers Network"}
# Real-looking postcodes in each borough's districts: (postcode, street, town).
PLACES = {
    "Barnet": [
        ("NW4 4BE", "The Burroughs", "Hendon"),
        ("NW9 6AJ", "Grahame Park Way", "Colindale"),
        ("N12 0QF", "High Road", "North Finchley"),
        ("EN5 5RD", "Union Street", "Barnet"),
        ("N3 1BP", "Ballards Lane", "Finchley"),
    ],
    "Camden": [
        ("NW1 7JE", "Camden Street", "Camden Town"),
        ("NW5 2HX", "Highgate Road", "Kentish Town"),
        ("NW3 2QG", "Pond Street", "Hampstead"),
        ("WC1N 3AX", "Guilford Street", "Bloomsbury"),
        ("NW6 1TA", "Kilburn High Road", "Kilburn"),
    ],
    "Enfield": [
        ("EN1 3XA", "Silver Street", "Enfield"),
        ("EN3 4DX", "Hertford Road", "Enfield Highway"),
        ("N9 0UB", "Fore Street", "Edmonton"),
        ("N18 2SG", "Fore Street", "Upper Edmonton"),
        ("N13 4BS", "Green Lanes", "Palmers Green"),
    ],
    "Haringey": [
        ("N22 8HQ", "High Road", "Wood Green"),
        ("N17 9LT", "White Hart Lane", "Tottenham"),
        ("N15 4RX", "West Green Road", "South Tottenham"),
        ("N8 9JJ", "Crouch End Broadway", "Crouch End"),
        ("N4 1PJ", "Stroud Green Road", "Finsbury Park"),
    ],
    "Islington": [
        ("N1 1XR", "Upper Street", "Islington"),
        ("N7 6NX", "Holloway Road", "Holloway"),
        ("N19 5RQ", "Junction Road", "Archway"),
        ("N5 1LY", "Highbury Grove", "Highbury"),
        ("N4 3HT", "Seven Sisters Road", "Finsbury Park"),
    ],
}
# topic slug: (service name, description, route, provider kind, ages, hours, cost)
TEMPLATES: dict[str, list[tuple[str, str, str, str, tuple[int | None, int | None], str, str]]] = {
    "mental-health-crisis": [
        (
            "Crisis line",
            "Round-the-clock telephone support for anyone in a mental health crisis, "
            "and for people worried about someone.",
            R.SELF_REFERRAL,
            "trust",
            (None, None),
            "24h",
            "",
        ),
    ],
    "safeguarding": [
        (
            "Safeguarding front door",
            "Report a concern that a child or adult is being abused or "
            "neglected. Professionals and residents can both contact the team.",
            R.SELF_REFERRAL,
            "council",
            (None, None),
            "office",
            "",
        ),
    ],
    "smoking": [
        (
            "Stop smoking service",
            "Twelve weeks of one-to-one support from a trained adviser, "
            "with free nicotine replacement or vapes.",
            R.PROFESSIONAL_REFERRAL,
            "council",
            (12, None),
            "office",
            "",
        ),
    ],
    "alcohol": [
        (
            "Alcohol advice and recovery",
            "Confidential advice, brief interventions and recovery "
            "groups for people who want to cut down or stop drinking.",
            R.PROFESSIONAL_REFERRAL,
            "trust",
            (18, None),
            "evenings",
            "",
        ),
    ],
    "physical-activity": [
        (
            "Active lives programme",
            "Twelve weeks of supported exercise at local leisure "
            "centres for people with a long-term condition.",
            R.PROFESSIONAL_REFERRAL,
            "council",
            (16, None),
            "leisure",
            "£3 a session after the first 4 free sessions",
        ),
        (
            "Health walks",
            "Friendly, led walks of 30 to 90 minutes in local parks.",
            R.SIGNPOST_ONLY,
            "voluntary",
            (None, None),
            "walks",
            "",
        ),
    ],
    "healthy-eating-and-weight": [
        (
            "Healthy weight programme",
            "A 12-week group course on eating well, moving more and "
            "keeping weight off, with a weekly weigh-in.",
            R.PROFESSIONAL_REFERRAL,
            "council",
            (18, None),
            "evenings",
            "",
        ),
    ],
    "mental-wellbeing": [
        (
            "Talking therapies",
            "Free NHS talking therapies for stress, anxiety and low mood. "
            "People can refer themselves.",
            R.SELF_REFERRAL,
            "trust",
            (18, None),
            "office",
            "",
        ),
        (
            "Wellbeing cafe",
            "Drop-in peer support in a relaxed cafe setting.",
            R.SIGNPOST_ONLY,
            "voluntary",
            (18, None),
            "afternoons",
            "",
        ),
    ],
    "dementia": [
        (
            "Memory clinic",
            "Assessment and diagnosis for people worried about their memory.",
            R.PROFESSIONAL_REFERRAL,
            "trust",
            (40, None),
            "office",
            "",
        ),
        (
            "Dementia friendly activities",
            "Singing, art and lunch clubs for people living with dementia and their carers.",
            R.SIGNPOST_ONLY,
            "voluntary",
            (None, None),
            "afternoons",
            "",
        ),
    ],
    "loneliness": [
        (
            "Befriending service",
            "A volunteer who phones or visits each week for a chat.",
            R.PROFESSIONAL_REFERRAL,
            "voluntary",
            (50, None),
            "office",
            "",
        ),
    ],
    "sexual-health": [
        (
            "Sexual health clinic",
            "Testing, treatment and contraception. Walk in or book.",
            R.SELF_REFERRAL,
            "trust",
            (13, None),
            "clinic",
            "",
        ),
    ],
    "debt-and-money": [
        (
            "Money and debt advice",
            "Free, confidential advice on debt, benefits and budgeting.",
            R.PROFESSIONAL_REFERRAL,
            "voluntary",
            (18, None),
            "office",
            "",
        ),
    ],
    "employment": [
        (
            "Work and skills hub",
            "One-to-one help to find work, training or volunteering.",
            R.PROFESSIONAL_REFERRAL,
            "council",
            (16, 66),
            "office",
            "",
        ),
    ],
    "housing": [
        (
            "Housing advice",
            "Help if you are homeless or at risk of losing your home, and with "
            "repairs, damp and cold homes.",
            R.SELF_REFERRAL,
            "council",
            (16, None),
            "office",
            "",
        ),
        (
            "Warm homes advice",
            "Home visits to check energy use and help with grants for heating and insulation.",
            R.PROFESSIONAL_REFERRAL,
            "voluntary",
            (None, None),
            "office",
            "",
        ),
    ],
    "carers-support": [
        (
            "Carers support service",
            "Advice, a carer's assessment, breaks and groups for people who look after someone.",
            R.PROFESSIONAL_REFERRAL,
            "voluntary",
            (16, None),
            "office",
            "",
        ),
    ],
    "falls": [
        (
            "Falls prevention classes",
            "Strength and balance classes to reduce the risk of falls.",
            R.PROFESSIONAL_REFERRAL,
            "trust",
            (65, None),
            "mornings",
            "",
        ),
    ],
    "social-prescribing": [
        (
            "Social prescribing link workers",
            "Link workers help people with non-medical needs connect to local groups and support.",
            R.PROFESSIONAL_REFERRAL,
            "voluntary",
            (18, None),
            "office",
            "",
        ),
    ],
}
HOURS = {
    "24h": [(EVERY_DAY, "00:00", "23:59", "Open 24 hours, every day")],
    "office": [(WEEKDAYS, "09:00", "17:00", "")],
    "evenings": [("TU,TH", "17:30", "20:30", "")],
    "afternoons": [("WE,FR", "13:00", "16:00", "")],
    "mornings": [("MO,WE", "10:00", "12:00", "")],
    "clinic": [(WEEKDAYS, "08:30", "18:30", ""), ("SA", "10:00", "14:00", "")],
    "leisure": [("MO,WE,FR", "07:00", "21:00", ""), ("SA,SU", "08:00", "18:00", "")],
    "walks": [("TU,SA", "10:30", "12:00", "Meet at the park gates")],
}
LANGUAGES = [("Turkish", "tr"), ("Somali", "so"), ("Polish", "pl"), ("Bengali", "bn")]


def _id(*parts: object) -> UUID:
    return uuid5(NAMESPACE_URL, "mecc-demo:" + ":".join(str(part) for part in parts))


def _provider(kind: str, borough: str, organisations: dict[str, Organisation]) -> Organisation:
    if kind == "voluntary":
        name = VOLUNTARY.get(borough, COUNCILS[borough])
    elif kind == "trust":
        name = TRUSTS[borough]
    else:
        name = COUNCILS[borough]
    return organisations[name]


def seed() -> None:
    # Seeded for repeatable demo data, not for anything secret.
    rng = random.Random(20261123)  # noqa: S311  # nosec B311  # demo data
    today = timezone.localdate()
    organisations = {org.name: org for org in Organisation.objects.all()}
    areas = {area.name: area for area in Area.objects.filter(kind=Area.Kind.BOROUGH)}
    partnership = Area.objects.filter(kind=Area.Kind.PARTNERSHIP).first()
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    if not areas or not topics:
        return
    for slug, templates in TEMPLATES.items():
        topic = topics.get(slug)
        if topic is None:
            continue
        for template in templates:
            for borough in PLACES:
                if rng.random() < 0.4 and slug not in ("mental-health-crisis", "safeguarding"):
                    continue
                _seed_service(rng, today, borough, topic, template, organisations, areas)
    # One partnership-wide service so "areas served" spans boroughs.
    if partnership is not None:
        _seed_service(
            rng,
            today,
            "Camden",
            topics["mental-wellbeing"],
            (
                "NCL wellbeing line",
                "A telephone and text line for anyone in North Central London "
                "who wants to talk about how they are feeling.",
                R.SELF_REFERRAL,
                "trust",
                (16, None),
                "evenings",
                "",
            ),
            organisations,
            areas,
            all_boroughs=True,
        )


def _seed_service(
    rng: random.Random,
    today: datetime.date,
    borough: str,
    topic: Topic,
    template: tuple[str, str, str, str, tuple[int | None, int | None], str, str],
    organisations: dict[str, Organisation],
    areas: dict[str, Area],
    *,
    all_boroughs: bool = False,
) -> None:
    base_name, description, route, kind, (youngest, oldest), hours, fees = template
    name = base_name if all_boroughs else f"{borough} {base_name.lower()}"
    name = name[0].upper() + name[1:]
    key = slugify(name)
    provider = _provider(kind, borough, organisations)
    stale = rng.random() < 0.2
    verified = today - datetime.timedelta(
        days=rng.randint(200, 400) if stale else rng.randint(1, 150)
    )
    service, _ = Service.objects.update_or_create(
        uuid=_id("service", key),
        defaults={
            "provider": provider,
            "name": name,
            "description": description,
            "referral_route": route,
            "status": Service.Status.ACTIVE,
            "email": f"{key[:40]}@{slugify(provider.name)[:30]}.example",
            "url": f"https://{slugify(provider.name)[:30]}.example/{key[:40]}",
            "minimum_age": youngest,
            "maximum_age": oldest,
            "eligibility_description": f"People who live, work or are registered with a GP in "
            f"{'North Central London' if all_boroughs else borough}.",
            "is_free": not fees,
            "fees_description": fees,
            "last_verified_on": verified,
        },
    )
    service.topics.set([topic])
    service.areas_served.set(list(areas.values()) if all_boroughs else [areas[borough]])
    postcode, street, town = rng.choice(PLACES[borough])
    centre = postcodes.locate(postcode)
    location, _ = Location.objects.update_or_create(
        uuid=_id("location", key),
        defaults={
            "address_uuid": _id("address", key),
            "name": f"{town} {rng.choice(['Community Centre', 'Health Centre', 'Hub', 'Library'])}",
            "address_1": f"{rng.randint(1, 250)} {street}",
            "city": "London",
            "postcode": postcode,
            "latitude": round(centre.latitude + rng.uniform(-0.004, 0.004), 6),
            "longitude": round(centre.longitude + rng.uniform(-0.006, 0.006), 6),
        },
    )
    at, _ = ServiceAtLocation.objects.update_or_create(
        uuid=_id("sal", key), defaults={"service": service, "location": location}
    )
    for index, (byday, opens, closes, note) in enumerate(HOURS[hours]):
        Schedule.objects.update_or_create(
            uuid=_id("schedule", key, index),
            defaults={
                "service": service,
                "service_at_location": at,
                "byday": byday,
                "opens_at": datetime.time.fromisoformat(opens),
                "closes_at": datetime.time.fromisoformat(closes),
                "description": note,
            },
        )
    contact, _ = Contact.objects.update_or_create(
        uuid=_id("contact", key),
        defaults={"service": service, "title": "Referrals coordinator", "name": ""},
    )
    Phone.objects.update_or_create(
        uuid=_id("phone", key),
        defaults={
            "service": service,
            "contact": None,
            "number": f"020 7946 {rng.randint(0, 999):04d}",
            "description": "Main number",
        },
    )
    if fees:
        CostOption.objects.update_or_create(
            uuid=_id("cost", key),
            defaults={
                "service": service,
                "option": "Each session",
                "amount": Decimal("3.00"),
                "amount_description": "per session",
            },
        )
    if rng.random() < 0.3:
        language, code = rng.choice(LANGUAGES)
        ServiceLanguage.objects.update_or_create(
            uuid=_id("language", key), defaults={"service": service, "name": language, "code": code}
        )
    del contact
