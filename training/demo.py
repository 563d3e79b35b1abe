"""Synthetic training activity for the demo: courses across the partnership, 12 months of past
and 3 months of future sessions, bookings and waiting lists, completions with certificates
(some expiring soon), trainers and who trained them, and quality-marker self-assessments.

Runs after accounts.demo (it uses those organisations and demo users) and adds synthetic
staff with unusable passwords. Deterministic (seeded random) and idempotent: it does nothing
once demo sessions exist. Everything is bulk-created, so it takes a second or two.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Organisation, Role, RoleMembership, StaffGroup, User
from training.models import (
    Booking,
    Completion,
    Course,
    Programme,
    QualityAssessment,
    QualityCriterion,
    QualityScore,
    Session,
    TrainerAccreditation,
)
from training.services import add_months

SEED = 20_261_123
PAST_DAYS = 365
FUTURE_DAYS = 90
DEMO_TRAINER = "trainer@camden.council.example"
DEMO_LEAD = "training.lead@fleetvalley.nhs.example"
DEMO_LEARNER = "frontline@fleetvalley.nhs.example"
FLEET_VALLEY = "Fleet Valley University Hospitals NHS Foundation Trust"
LEARNERS_PER_ORGANISATION = {FLEET_VALLEY: 60}
LEARNERS_DEFAULT = 14
FIRST_NAMES = [
    "Abena", "Bilal", "Carys", "Dmitri", "Efua", "Farah", "Gareth", "Hana", "Idris", "Joy",
    "Kwame", "Leah", "Mohammed", "Niamh", "Oscar", "Priti", "Ravi", "Sinead", "Tomasz", "Yusuf",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Baker", "Campbell", "Da Silva", "Ellis", "Francis", "Georgiou", "Hussain",
    "Iqbal", "Johnson", "Kaur", "Lopez", "Murphy", "Nwosu", "Osei", "Price", "Reid", "Singh",
]  # fmt: skip
JOBS: dict[str, list[str]] = {
    StaffGroup.NURSING: ["Staff nurse", "Ward sister", "Community nurse", "Midwife"],
    StaffGroup.MEDICAL: ["Foundation doctor", "Registrar", "GP"],
    StaffGroup.ALLIED_HEALTH: ["Physiotherapist", "Occupational therapist", "Dietitian"],
    StaffGroup.CLINICAL_SUPPORT: ["Healthcare assistant", "Phlebotomist"],
    StaffGroup.ADMIN_CLERICAL: ["Ward clerk", "Receptionist", "Patient services officer"],
    StaffGroup.SOCIAL_CARE: ["Social worker", "Care coordinator"],
    StaffGroup.HOUSING: ["Housing officer", "Tenancy sustainment officer"],
    StaffGroup.PUBLIC_HEALTH: ["Health improvement officer"],
    StaffGroup.VOLUNTARY: ["Community connector", "Volunteer coordinator"],
}
GROUPS_BY_KIND: dict[str, list[str]] = {
    Organisation.Kind.NHS_TRUST: [
        StaffGroup.NURSING, StaffGroup.NURSING, StaffGroup.MEDICAL, StaffGroup.ALLIED_HEALTH,
        StaffGroup.CLINICAL_SUPPORT, StaffGroup.ADMIN_CLERICAL,
    ],
    Organisation.Kind.LOCAL_AUTHORITY: [
        StaffGroup.SOCIAL_CARE, StaffGroup.HOUSING, StaffGroup.PUBLIC_HEALTH,
        StaffGroup.ADMIN_CLERICAL,
    ],
    Organisation.Kind.PRIMARY_CARE: [
        StaffGroup.NURSING, StaffGroup.MEDICAL, StaffGroup.ADMIN_CLERICAL,
    ],
    Organisation.Kind.VOLUNTARY_SECTOR: [StaffGroup.VOLUNTARY],
    Organisation.Kind.COMMISSIONER: [StaffGroup.PUBLIC_HEALTH, StaffGroup.ADMIN_CLERICAL],
}  # fmt: skip
VENUES: dict[str, list[tuple[str, str]]] = {
    "Barnet": [("Hendon Town Hall", "The Burroughs, London NW4 4BG")],
    "Camden": [("Crowndale Centre", "218 Eversholt Street, London NW1 1BD")],
    "Enfield": [("Dugdale Centre", "39 London Road, Enfield EN2 6DS")],
    "Haringey": [("Wood Green Library", "187-197A High Road, London N22 6XD")],
    "Islington": [("Islington Town Hall", "Upper Street, London N1 2UD")],
}


@dataclass(frozen=True)
class CourseSpec:
    title: str
    programme: str
    level: int | None
    mode: str
    minutes: int
    pence: int
    provider: str
    audience: str
    every_days: int = 0
    is_refresher: bool = False


M = Course.Mode
COURSES = [
    CourseSpec("MECC level 1: very brief advice (e-learning)", "mecc", 1, M.E_LEARNING, 45, 0,
               "NHS North Central London Integrated Care Board", "Everyone in the partnership"),
    CourseSpec("MECC level 1: very brief advice", "mecc", 1, M.FACE_TO_FACE, 150, 0,
               "Camden Council", "Frontline staff and volunteers", every_days=21),
    CourseSpec("MECC level 2: brief advice", "mecc", 2, M.FACE_TO_FACE, 210, 0,
               FLEET_VALLEY, "Clinical and patient-facing staff", every_days=28),
    CourseSpec("MECC level 2: brief advice (virtual)", "mecc", 2, M.VIRTUAL, 180, 0,
               "Islington Council", "Staff who work remotely or across sites", every_days=30),
    CourseSpec("MECC level 3: brief intervention", "mecc", 3, M.FACE_TO_FACE, 360, 3500,
               "Haringey Council", "Staff who already hold MECC level 2", every_days=45),
    CourseSpec("Mental Health First Aid (two days)", "mhfa", None, M.FACE_TO_FACE, 840, 15000,
               "North London Mental Health Partnership NHS Trust", "Anyone at work",
               every_days=35),
    CourseSpec("Mental Health First Aid refresher", "mhfa", None, M.VIRTUAL, 240, 4500,
               "North London Mental Health Partnership NHS Trust",
               "Mental Health First Aiders whose certificate is due", every_days=40,
               is_refresher=True),
    CourseSpec("Dementia Friends information session", "dementia", None, M.FACE_TO_FACE, 60, 0,
               "Enfield Carers Network", "Anyone who meets the public", every_days=30),
    CourseSpec("Dementia Awareness for health and care staff", "dementia", None, M.VIRTUAL,
               180, 0, "Lea Valley Community Health NHS Trust", "Health and care staff",
               every_days=32),
    CourseSpec("Dementia Awareness (e-learning)", "dementia", None, M.E_LEARNING, 60, 0,
               "Highgate Hill Hospital NHS Trust", "Everyone in the partnership"),
]  # fmt: skip


def _courses(programmes: dict[str, Programme], orgs: dict[str, Organisation]) -> list[Course]:
    courses = []
    for spec in COURSES:
        course, _ = Course.objects.update_or_create(
            title=spec.title,
            defaults={
                "programme": programmes[spec.programme],
                "level": spec.level,
                "delivery_mode": spec.mode,
                "external_url": (
                    f"https://learning.example/{spec.programme}/{spec.level or 'awareness'}"
                    if spec.mode == M.E_LEARNING
                    else ""
                ),
                "duration_minutes": spec.minutes,
                "cost_pence": spec.pence,
                "provider": orgs[spec.provider],
                "audience": spec.audience,
                "is_refresher": spec.is_refresher,
                "description": f"{programmes[spec.programme].name} training for "
                f"{spec.audience.lower()}.",
            },
        )
        courses.append(course)
    return courses


def _synthetic_users(
    rng: random.Random, orgs: list[Organisation]
) -> tuple[dict[int, list[User]], dict[int, list[User]]]:
    """(learners, trainers) per organisation id, created once with unusable passwords."""
    unusable = make_password(None)
    wanted: list[tuple[User, Role]] = []
    for org in orgs:
        domain = org.email_domains.all()[0].domain
        groups = GROUPS_BY_KIND.get(org.kind, [StaffGroup.OTHER])
        for n in range(LEARNERS_PER_ORGANISATION.get(org.name, LEARNERS_DEFAULT)):
            group = rng.choice(groups)
            user = User(
                email=f"demo.learner{n:03d}@{domain}",
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                organisation=org,
                staff_group=group,
                job_title=rng.choice(JOBS.get(group, ["Officer"])),
                password=unusable,
            )
            wanted.append((user, Role.FRONTLINE_WORKER))
        for n in range(2):
            user = User(
                email=f"demo.trainer{n}@{domain}",
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                organisation=org,
                staff_group=StaffGroup.PUBLIC_HEALTH,
                job_title="Trainer",
                password=unusable,
            )
            wanted.append((user, Role.TRAINER))
    existing = set(
        User.objects.filter(email__in=[u.email for u, _ in wanted]).values_list("email", flat=True)
    )
    User.objects.bulk_create([u for u, _ in wanted if u.email not in existing])
    users = {u.email: u for u in User.objects.filter(email__in=[u.email for u, _ in wanted])}
    RoleMembership.objects.bulk_create(
        [
            RoleMembership(user=users[u.email], role=role, organisation_id=u.organisation_id)
            for u, role in wanted
        ],
        ignore_conflicts=True,
    )
    learners: dict[int, list[User]] = {}
    trainers: dict[int, list[User]] = {}
    for user, role in wanted:
        bucket = trainers if role == Role.TRAINER else learners
        bucket.setdefault(user.organisation_id or 0, []).append(users[user.email])
    return learners, trainers


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


def _sessions(
    rng: random.Random,
    courses: list[Course],
    trainers: dict[int, list[User]],
    demo_trainer: User,
    today: date,
) -> list[Session]:
    sessions: list[Session] = []
    teaching: list[tuple[int, User]] = []
    for course in courses:
        spec = next(s for s in COURSES if s.title == course.title)
        if not spec.every_days:
            continue
        org = course.provider
        borough = org.area.name
        venue, address = rng.choice(VENUES.get(borough, [("Training room", "")]))
        day = today - timedelta(days=PAST_DAYS - rng.randrange(spec.every_days))
        while day <= today + timedelta(days=FUTURE_DAYS):
            start = _at(day, rng.choice([9, 10, 13]))
            virtual = course.delivery_mode == M.VIRTUAL
            session = Session(
                course=course,
                organisation=org,
                starts_at=start,
                ends_at=start + timedelta(minutes=min(course.duration_minutes, 7 * 60)),
                venue_name="" if virtual else venue,
                venue_address="" if virtual else address,
                area=None if virtual else org.area,
                joining_url=f"https://meet.example/mecc-{len(sessions) + 1}" if virtual else "",
                capacity=rng.choice([12, 15, 16, 20]),
                trainer_cost_pence=rng.choice([0, 25000, 35000]) if course.cost_pence else 0,
                venue_cost_pence=0 if virtual else rng.choice([0, 0, 8000, 12000]),
                materials_cost_pence=rng.choice([0, 1500, 3000]),
            )
            if day > today and rng.random() < 0.04:
                session.status = Session.Status.CANCELLED
                session.cancelled_at = timezone.now()
                session.cancellation_reason = "The trainer is unwell. We are sorry."
            sessions.append(session)
            team = list(trainers.get(org.pk, []))
            if org.pk == demo_trainer.organisation_id:
                team = [demo_trainer, *team[:1]]
            teaching.append((len(sessions) - 1, team[0]))
            if len(team) > 1 and rng.random() < 0.4:
                teaching.append((len(sessions) - 1, team[1]))
            day += timedelta(days=spec.every_days + rng.randrange(-3, 4))
    # One session running today, so the demo trainer can take a register.
    camden_l1 = next(c for c in courses if c.title == "MECC level 1: very brief advice")
    now = timezone.localtime()
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(minutes=30)
    sessions.append(
        Session(
            course=camden_l1,
            organisation=camden_l1.provider,
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            venue_name="Crowndale Centre",
            venue_address="218 Eversholt Street, London NW1 1BD",
            area=camden_l1.provider.area,
            capacity=12,
            materials_cost_pence=1500,
        )
    )
    teaching.append((len(sessions) - 1, demo_trainer))
    created = Session.objects.bulk_create(sessions)
    Through = Session.trainers.through
    Through.objects.bulk_create(
        [Through(session_id=created[i].pk, user_id=u.pk) for i, u in teaching],
        ignore_conflicts=True,
    )
    return created


def _bookings(
    rng: random.Random,
    sessions: list[Session],
    learners: list[User],
    now: datetime,
) -> list[Booking]:
    bookings: list[Booking] = []
    for session in sessions:
        past = session.ends_at < now
        running = session.starts_at <= now <= session.ends_at
        if past:
            demand = rng.uniform(0.55, 1.0)
        else:
            demand = rng.uniform(0.5, 0.9) if running else rng.uniform(0.3, 1.35)
        people = rng.sample(learners, min(len(learners), round(session.capacity * demand)))
        for index, learner in enumerate(people):
            made = session.starts_at - timedelta(days=rng.randrange(8, 40), hours=rng.randrange(9))
            booking = Booking(session=session, learner=learner, booked_by=learner, created_at=made)
            if session.status == Session.Status.CANCELLED:
                booking.status = Booking.Status.CANCELLED
                booking.cancelled_at = session.cancelled_at
            elif index >= session.capacity:
                booking.status = Booking.Status.WAITLISTED
                booking.waitlist_position = index - session.capacity + 1
            elif past:
                roll = rng.random()
                booking.confirmed_at = made
                if roll < 0.05:
                    booking.status = Booking.Status.CANCELLED
                    booking.cancelled_at = made + timedelta(days=2)
                else:
                    booking.status = (
                        Booking.Status.ATTENDED if roll < 0.88 else Booking.Status.NO_SHOW
                    )
                    booking.attendance_marked_at = session.ends_at
                    if booking.status == Booking.Status.ATTENDED and rng.random() < 0.75:
                        booking.post_course_evaluation_completed_at = session.ends_at + timedelta(
                            days=rng.randrange(0, 6)
                        )
            else:
                booking.status = Booking.Status.BOOKED
                booking.confirmed_at = made
            bookings.append(booking)
    return Booking.objects.bulk_create(bookings)


def _certificate(rng: random.Random, course: Course, day: date) -> tuple[str, str]:
    number = f"{course.programme.code.upper()}-{day.year}-{rng.getrandbits(32):08X}"
    return number, secrets.token_urlsafe(16)


def _completions(
    rng: random.Random,
    bookings: list[Booking],
    courses: list[Course],
    learners: list[User],
    today: date,
) -> None:
    completions = []
    for booking in bookings:
        if booking.status != Booking.Status.ATTENDED:
            continue
        course = booking.session.course
        day = timezone.localdate(booking.session.starts_at)
        number, code = _certificate(rng, course, day)
        completions.append(
            Completion(
                learner=booking.learner,
                course=course,
                booking=booking,
                completed_on=day,
                certificate_number=number,
                verification_code=code,
                issued_on=day,
                expires_on=_expiry(course, day),
            )
        )
    # Older training imported from a learning system: some of it expiring soon or expired.
    by_programme = {c.programme.code: c for c in courses if c.delivery_mode == M.E_LEARNING}
    by_programme["mhfa"] = next(c for c in courses if c.title.startswith("Mental Health First"))
    for learner in learners:
        for code, share, low, high in (
            ("mhfa", 0.3, 800, 1140),
            ("mecc", 0.35, 400, 1100),
            ("dementia", 0.3, 300, 760),
        ):
            if rng.random() >= share:
                continue
            course = by_programme[code]
            day = today - timedelta(days=rng.randrange(low, high))
            number, verification = _certificate(rng, course, day)
            completions.append(
                Completion(
                    learner=learner,
                    course=course,
                    completed_on=day,
                    certificate_number=number,
                    verification_code=verification,
                    issued_on=day,
                    expires_on=_expiry(course, day),
                    source=Completion.Source.IMPORT,
                )
            )
    Completion.objects.bulk_create(completions, ignore_conflicts=True)


def _expiry(course: Course, day: date) -> date | None:
    months = course.programme.certificate_validity_months
    return None if months is None else add_months(day, months)


def _demo_people(rng: random.Random, sessions: list[Session], learner: User, today: date) -> None:
    """Give the demo frontline worker a believable history: a MECC level 2 certificate, an
    MHFA certificate due for a refresher, a refresher booked and a waiting-list place."""
    mhfa = Course.objects.get(title="Mental Health First Aid (two days)")
    old_day = today - timedelta(days=3 * 365 - 40)
    number, code = _certificate(rng, mhfa, old_day)
    Completion.objects.create(
        learner=learner,
        course=mhfa,
        completed_on=old_day,
        certificate_number=number,
        verification_code=code,
        issued_on=old_day,
        expires_on=_expiry(mhfa, old_day),
        source=Completion.Source.IMPORT,
    )
    now = timezone.now()
    mine = set(Booking.objects.filter(learner=learner).values_list("session_id", flat=True))

    def first(title: str, upcoming: bool) -> Session | None:
        matches = [
            s
            for s in sessions
            if s.course.title == title
            and s.status == Session.Status.SCHEDULED
            and (s.starts_at > now if upcoming else s.ends_at < now - timedelta(days=90))
            and s.pk not in mine
        ]
        return (matches[0] if upcoming else matches[-1]) if matches else None

    attended = first("MECC level 2: brief advice", upcoming=False)
    if attended is not None:
        booking = Booking.objects.create(
            session=attended,
            learner=learner,
            booked_by=learner,
            status=Booking.Status.ATTENDED,
            confirmed_at=attended.starts_at - timedelta(days=20),
            attendance_marked_at=attended.ends_at,
            post_course_evaluation_completed_at=attended.ends_at + timedelta(days=1),
        )
        day = timezone.localdate(attended.starts_at)
        number, code = _certificate(rng, attended.course, day)
        Completion.objects.create(
            learner=learner,
            course=attended.course,
            booking=booking,
            completed_on=day,
            certificate_number=number,
            verification_code=code,
            issued_on=day,
            expires_on=_expiry(attended.course, day),
        )
    refresher = first("Mental Health First Aid refresher", upcoming=True)
    if refresher is not None:
        Booking.objects.create(
            session=refresher,
            learner=learner,
            booked_by=learner,
            status=Booking.Status.BOOKED,
            confirmed_at=now,
        )
    waiting = (
        Booking.objects.filter(status=Booking.Status.WAITLISTED, session__starts_at__gt=now)
        .exclude(session_id__in=mine)
        .order_by("session__starts_at")
        .first()
    )
    full = waiting.session if waiting is not None else None
    if full is not None:
        last = max(
            [b.waitlist_position or 0 for b in Booking.objects.filter(session=full)], default=0
        )
        Booking.objects.create(
            session=full,
            learner=learner,
            booked_by=learner,
            status=Booking.Status.WAITLISTED,
            waitlist_position=last + 1,
        )


def _trainers_and_quality(
    trainers: dict[int, list[User]],
    demo_trainer: User,
    lead: User,
    programmes: dict[str, Programme],
    courses: list[Course],
    today: date,
) -> None:
    mecc = programmes["mecc"]
    accreditations = [
        TrainerAccreditation(
            trainer=demo_trainer,
            programme=mecc,
            trained_by_name="Royal Society for Public Health (train the trainer)",
            accredited_on=today - timedelta(days=900),
        )
    ]
    for org_id, team in trainers.items():
        for index, trainer in enumerate(team):
            trained_by = demo_trainer if org_id == demo_trainer.organisation_id else None
            if index == 1 and trained_by is None:
                trained_by = team[0]
            accreditations.append(
                TrainerAccreditation(
                    trainer=trainer,
                    programme=mecc,
                    trained_by=trained_by,
                    trained_by_name="" if trained_by else "Health Education England",
                    accredited_on=today - timedelta(days=200 + 90 * index),
                )
            )
    TrainerAccreditation.objects.bulk_create(accreditations, ignore_conflicts=True)

    organisation = lead.organisation
    if organisation is None:
        return
    criteria = list(QualityCriterion.objects.filter(is_active=True))
    level2 = next(c for c in courses if c.title == "MECC level 2: brief advice")
    submitted = QualityAssessment.objects.create(
        course=level2,
        organisation=organisation,
        created_by=lead,
        status=QualityAssessment.Status.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=40),
    )
    draft = QualityAssessment.objects.create(
        course=next(c for c in courses if c.title == "MECC level 1: very brief advice"),
        organisation=organisation,
        created_by=lead,
    )
    scores = [
        QualityScore(
            assessment=submitted,
            criterion=c,
            score=(3, 3, 2, 3, 1)[i % 5],
            evidence="Course plan, trainer records and learner feedback for the last year.",
        )
        for i, c in enumerate(criteria)
    ]
    scores += [
        QualityScore(assessment=draft, criterion=c, score=2, evidence="In progress.")
        for c in criteria[:4]
    ]
    QualityScore.objects.bulk_create(scores)


def seed() -> list[tuple[str, str, str]]:
    rng = random.Random(SEED)  # noqa: S311  # nosec B311  # synthetic demo data, not security
    today = timezone.localdate()
    programmes = {p.code: p for p in Programme.objects.all()}
    orgs = {
        o.name: o
        for o in Organisation.objects.select_related("area").prefetch_related("email_domains")
    }
    courses = _courses(programmes, orgs)
    demo_trainer = User.objects.get(email=DEMO_TRAINER)
    if Session.objects.filter(trainers=demo_trainer).exists():
        return []  # already seeded: nothing changes
    lead = User.objects.select_related("organisation").get(email=DEMO_LEAD)
    learner = User.objects.get(email=DEMO_LEARNER)
    staff_orgs = [o for o in orgs.values() if o.email_domains.all()]
    learners_by_org, trainers = _synthetic_users(rng, staff_orgs)
    everyone = [u for people in learners_by_org.values() for u in people]
    sessions = _sessions(rng, courses, trainers, demo_trainer, today)
    course_by_pk = {c.pk: c for c in courses}
    for session in sessions:
        session.course = course_by_pk[session.course_id]
    bookings = _bookings(rng, sessions, everyone, timezone.now())
    _completions(rng, bookings, courses, everyone, today)
    _demo_people(rng, sessions, learner, today)
    _trainers_and_quality(trainers, demo_trainer, lead, programmes, courses, today)
    return []
