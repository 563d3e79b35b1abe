"""The fixture world of the permission matrix: one user per role, and objects in and out of scope.

Every role holder works on the "home" side (Camden: Camden Trust, the Camden Wellbeing
charity that provides services, the Camden area). The "away" side (Haringey) has the same
objects owned by other people. An object of the home side is IN scope for a role that may act
on it there; the away twin is OUT of scope for everyone but a partnership-wide administrator.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Area, Organisation, Role, RoleMembership, User
from core.encryption import encrypt_text
from core.models import Heartbeat, OutboxMessage
from evaluation.models import (
    BenchmarkIndicator,
    Invitation,
    OrganisationReturn,
    Report,
    Resource,
    ReturnPeriod,
    Standard,
    SurveyKind,
)
from evaluation.selectors.dashboard import DashboardFilters, Period
from evaluation.services import reports as report_services
from referrals.models import (
    Conversation,
    ListingProblemReport,
    Referral,
    Service,
    ServiceAtLocation,
    Taxonomy,
    Topic,
)
from referrals.services import referrals as referral_services
from tests.evaluation.factories import (
    GlossaryTermFactory,
    OrganisationReturnFactory,
    ResourceFactory,
    ReturnPeriodFactory,
    WorkforceHeadcountFactory,
)
from tests.evaluation.survey_support import attended, invitation, past_session
from tests.factories import AreaFactory, OrganisationFactory, UserFactory
from tests.referrals.activity_factories import ConversationFactory
from tests.referrals.factories import LocationFactory, ServiceAtLocationFactory, ServiceFactory
from tests.training.factories import (
    BookingFactory,
    CompletionFactory,
    CourseFactory,
    SessionFactory,
)
from training.models import (
    Booking,
    Completion,
    CompletionImport,
    Course,
    QualityAssessment,
    QualityCriterion,
    QualityScore,
    TrainerAccreditation,
)
from training.models import Session as TrainingSession

# The role keys of the matrix. "no_role" is a signed-in member of staff holding no role yet
# (a new sign-up): the portal must treat them like a stranger to every page behind a role.
ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
ROLE_KEYS: tuple[str, ...] = (
    ANONYMOUS,
    NO_ROLE,
    Role.FRONTLINE_WORKER.value,
    Role.TRAINER.value,
    Role.TRAINING_LEAD.value,
    Role.SERVICE_PROVIDER.value,
    Role.COMMISSIONER.value,
    Role.ADMINISTRATOR.value,
)
IN, OUT = "in scope", "out of scope"

# Resident contact details on the two referrals: distinctive so a search of any response for
# them cannot match anything else. The "best time" doubles as an address-like line.
HOME_CONTACT = {
    "contact_name": "Zebedee Quartermaine",
    "contact_phone": "07700 900481",
    "contact_email": "zebedee.quartermaine@resident.example",
    "contact_preferred_time": "Tuesdays after four at 12 Larkspur Mews",
}
AWAY_CONTACT = {
    "contact_name": "Ottoline Brackenbury",
    "contact_phone": "07700 900517",
    "contact_email": "ottoline.brackenbury@resident.example",
    "contact_preferred_time": "Weekends only at 3 Thistledown Row",
}


@dataclass
class Side:
    """The objects of one side (home or away) that routes are opened on."""

    organisation: Organisation
    provider: Organisation
    area: Area
    service: Service
    service_at_location: ServiceAtLocation
    conversation: Conversation
    referral: Referral
    course: Course
    session: TrainingSession
    past_session: TrainingSession
    booking: Booking
    attended_booking: Booking
    completion: Completion
    invitation: Invitation
    assessment: QualityAssessment
    score: QualityScore
    completion_import: CompletionImport
    period: ReturnPeriod
    organisation_return: OrganisationReturn
    report: Report
    standard: Standard


@dataclass
class World:
    users: dict[str, User | None]
    home: Side
    away: Side
    topic: Topic
    taxonomy: Taxonomy
    resource: Resource
    extra: dict[str, Any] = field(default_factory=dict)

    def side(self, variant: str) -> Side:
        return self.home if variant == IN else self.away


def _user(
    role: Role | None, scope: Organisation | Area | None, organisation: Organisation, **fields: Any
) -> User:
    user: User = UserFactory(organisation=organisation, **fields)
    if role is not None:
        if isinstance(scope, Area):
            RoleMembership.objects.create(user=user, role=role, area=scope)
        else:
            RoleMembership.objects.create(user=user, role=role, organisation=scope)
        if role in (Role.COMMISSIONER, Role.TRAINING_LEAD, Role.ADMINISTRATOR):
            Authenticator.objects.create(
                user=user,
                type=Authenticator.Type.TOTP,
                data={"secret": encrypt_text("JBSWY3DPEHPK3PXP")},
            )
    return user


def _side(
    *,
    name: str,
    area: Area,
    worker: User,
    trainer: User,
    lead: User,
    commissioner: User,
    organisation: Organisation,
    provider: Organisation,
    topic: Topic,
    period: ReturnPeriod,
    contact: dict[str, str],
) -> Side:
    service: Service = ServiceFactory(
        name=f"{name} stop smoking service", provider=provider, topics=[topic], areas_served=[area]
    )
    sal: ServiceAtLocation = ServiceAtLocationFactory(
        service=service, location=LocationFactory(name=f"{name} community centre")
    )
    conversation: Conversation = ConversationFactory(author=worker, topics=[topic])
    referral = referral_services.referral_create(
        conversation=conversation,
        service=service,
        actor=worker,
        consent_given=True,
        contact_name=contact["contact_name"],
        contact_phone=contact["contact_phone"],
        contact_email=contact["contact_email"],
        contact_preferred_time=contact["contact_preferred_time"],
    )
    course: Course = CourseFactory(title=f"{name} MECC level 1", provider=organisation)
    session: TrainingSession = SessionFactory(course=course, trainers=[trainer])
    past: TrainingSession = past_session(days_ago=2, course=course, trainers=[trainer])
    booking: Booking = BookingFactory(session=session, learner=worker)
    attended_booking = attended(past, learner=worker)
    completion: Completion = CompletionFactory(learner=worker, course=course)
    survey_invitation = invitation(attended_booking, SurveyKind.POST_COURSE)
    criterion = QualityCriterion.objects.order_by("pk").first()
    assert criterion is not None, "the quality criteria come from a data migration"
    # Submitted, so the area's commissioner may read it (a draft is the lead's alone).
    assessment = QualityAssessment.objects.create(
        course=course,
        organisation=organisation,
        created_by=lead,
        status=QualityAssessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    score = QualityScore.objects.create(assessment=assessment, criterion=criterion, score=2)
    score.attachment.save("evidence.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    completion_import = CompletionImport.objects.create(
        organisation=organisation, uploaded_by=lead, filename="lms.csv", content="Email\n"
    )
    organisation_return: OrganisationReturn = OrganisationReturnFactory(
        organisation=organisation,
        period=period,
        submitted_at=timezone.now(),
        submitted_by=lead,
        status=OrganisationReturn.Status.SUBMITTED,
    )
    report = report_services.report_request(
        user=commissioner,
        filters=DashboardFilters(period=Period.last(6), area=area),
        format=Report.Format.XLSX,
    )
    report_services.report_build(report_id=report.pk)
    report.refresh_from_db()
    standard = Standard.objects.create(
        indicator=BenchmarkIndicator.SHARE_TRAINED,
        area=area,
        target=Decimal("50"),
        set_by=commissioner,
    )
    return Side(
        organisation=organisation,
        provider=provider,
        area=area,
        service=service,
        service_at_location=sal,
        conversation=conversation,
        referral=referral,
        course=course,
        session=session,
        past_session=past,
        booking=booking,
        attended_booking=attended_booking,
        completion=completion,
        invitation=survey_invitation,
        assessment=assessment,
        score=score,
        completion_import=completion_import,
        period=period,
        organisation_return=organisation_return,
        report=report,
        standard=standard,
    )


def build_world() -> World:
    """One user per role on the home side, and every object the routes open on each side."""
    partnership: Area = AreaFactory(
        ons_code="E54000028", name="North Central London", kind=Area.Kind.PARTNERSHIP
    )
    camden: Area = AreaFactory(ons_code="E09000007", name="Camden", parent=partnership)
    haringey: Area = AreaFactory(ons_code="E09000014", name="Haringey", parent=partnership)
    icb: Organisation = OrganisationFactory(
        name="North Central London ICB", kind=Organisation.Kind.COMMISSIONER, area=partnership
    )
    camden_trust: Organisation = OrganisationFactory(name="Camden Trust", area=camden)
    camden_charity: Organisation = OrganisationFactory(
        name="Camden Wellbeing", kind=Organisation.Kind.VOLUNTARY_SECTOR, area=camden
    )
    haringey_council: Organisation = OrganisationFactory(
        name="Haringey Council", kind=Organisation.Kind.LOCAL_AUTHORITY, area=haringey
    )
    haringey_charity: Organisation = OrganisationFactory(
        name="Wood Green Voluntary Action", kind=Organisation.Kind.VOLUNTARY_SECTOR, area=haringey
    )
    users: dict[str, User | None] = {
        ANONYMOUS: None,
        NO_ROLE: _user(None, None, camden_trust, full_name="Nell Newstarter"),
        Role.FRONTLINE_WORKER: _user(
            Role.FRONTLINE_WORKER, camden_trust, camden_trust, full_name="Wendy Worker"
        ),
        Role.TRAINER: _user(Role.TRAINER, camden_trust, camden_trust, full_name="Tom Trainer"),
        Role.TRAINING_LEAD: _user(
            Role.TRAINING_LEAD, camden_trust, camden_trust, full_name="Lee Lead"
        ),
        Role.SERVICE_PROVIDER: _user(
            Role.SERVICE_PROVIDER, camden_charity, camden_charity, full_name="Pat Provider"
        ),
        Role.COMMISSIONER: _user(Role.COMMISSIONER, camden, icb, full_name="Cam Commissioner"),
        Role.ADMINISTRATOR: _user(Role.ADMINISTRATOR, partnership, icb, full_name="Ada Admin"),
    }
    away_worker = _user(
        Role.FRONTLINE_WORKER, haringey_council, haringey_council, full_name="Olive Outsider"
    )
    away_trainer = _user(
        Role.TRAINER, haringey_council, haringey_council, full_name="Otto Othertrainer"
    )
    away_lead = _user(
        Role.TRAINING_LEAD, haringey_council, haringey_council, full_name="Orla Otherlead"
    )
    _user(Role.SERVICE_PROVIDER, haringey_charity, haringey_charity, full_name="Oscar Provider")
    away_commissioner = _user(Role.COMMISSIONER, haringey, icb, full_name="Hari Commissioner")
    topic = Topic.objects.order_by("pk").first()
    taxonomy = Taxonomy.objects.order_by("pk").first()
    assert topic is not None and taxonomy is not None, "topics come from a data migration"
    period: ReturnPeriod = ReturnPeriodFactory(name="2026 to 2027")

    def user(key: str) -> User:
        found = users[key]
        assert found is not None
        return found

    home = _side(
        name="Camden",
        area=camden,
        worker=user(Role.FRONTLINE_WORKER),
        trainer=user(Role.TRAINER),
        lead=user(Role.TRAINING_LEAD),
        commissioner=user(Role.COMMISSIONER),
        organisation=camden_trust,
        provider=camden_charity,
        topic=topic,
        period=period,
        contact=HOME_CONTACT,
    )
    away = _side(
        name="Haringey",
        area=haringey,
        worker=away_worker,
        trainer=away_trainer,
        lead=away_lead,
        commissioner=away_commissioner,
        organisation=haringey_council,
        provider=haringey_charity,
        topic=topic,
        period=period,
        contact=AWAY_CONTACT,
    )
    # The commissioner's reports come in both formats: the XLSX is the home side's report.
    pdf_report = report_services.report_request(
        user=user(Role.COMMISSIONER),
        filters=DashboardFilters(period=Period.last(6), area=camden),
        format=Report.Format.PDF,
    )
    report_services.report_build(report_id=pdf_report.pk)
    resource: Resource = ResourceFactory(title="MECC quick guide")
    resource.file.save("quick-guide.pdf", ContentFile(b"%PDF-1.4 guide"), save=True)
    # One row of each remaining admin-registered model, so every admin change page has one.
    Group.objects.create(name="Helpdesk")
    UserSession.objects.create(
        user=user(Role.ADMINISTRATOR), ip="192.0.2.1", session_key="matrix", user_agent="test"
    )
    Heartbeat.objects.create(name="worker", last_seen=timezone.now())
    OutboxMessage.objects.get_or_create(
        idempotency_key="matrix-outbox",
        defaults={"recipients": ["nobody@example.org"], "subject": "Hello", "body_text": "Hi"},
    )
    TrainerAccreditation.objects.create(
        trainer=user(Role.TRAINER),
        programme=home.course.programme,
        accredited_on=datetime.date(2025, 1, 6),
    )
    ListingProblemReport.objects.create(
        service=home.service, kind=ListingProblemReport.Kind.HOURS, details="Shut on Mondays"
    )
    WorkforceHeadcountFactory(organisation=camden_trust)
    GlossaryTermFactory(term="Brief advice", slug="brief-advice")
    return World(
        users=users,
        home=home,
        away=away,
        topic=topic,
        taxonomy=taxonomy,
        resource=resource,
        extra={"pdf_report": Report.objects.get(pk=pdf_report.pk)},
    )
