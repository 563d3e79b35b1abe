"""Brief-advice conversations, and the signposts and consented referrals made from them.

A conversation never names the resident: its profile is age band, sex, ethnic group and
postcode district only. Personal data exists only on a consented referral, encrypted at rest
and blanked on a retention schedule.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Area, Organisation
from core.encryption import EncryptedTextField
from core.models import TimeStampedModel
from referrals.models.directory import Service, Topic


class MeccLevel(models.TextChoices):
    VERY_BRIEF_ADVICE = "very_brief_advice", "Very brief advice"
    BRIEF_ADVICE = "brief_advice", "Brief advice"
    BRIEF_INTERVENTION = "brief_intervention", "Brief intervention"


class Outcome(models.TextChoices):
    INFORMATION_GIVEN = "information_given", "Information given"
    SIGNPOSTED = "signposted", "Signposted"
    REFERRED = "referred", "Referred"
    DECLINED = "declined", "Declined"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate"


class ConversationSetting(models.TextChoices):
    HOSPITAL_WARD = "hospital_ward", "Hospital ward"
    OUTPATIENTS = "outpatients", "Outpatients"
    GP_PRACTICE = "gp_practice", "GP practice"
    COMMUNITY = "community", "Community or home visit"
    PHARMACY = "pharmacy", "Pharmacy"
    COUNCIL = "council", "Council service or front desk"
    HOUSING = "housing", "Housing"
    REMOTE = "remote", "Phone or video"
    OTHER = "other", "Other"


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", "Under 18"
    AGE_18_24 = "18_24", "18 to 24"
    AGE_25_34 = "25_34", "25 to 34"
    AGE_35_44 = "35_44", "35 to 44"
    AGE_45_54 = "45_54", "45 to 54"
    AGE_55_64 = "55_64", "55 to 64"
    AGE_65_74 = "65_74", "65 to 74"
    AGE_75_PLUS = "75_plus", "75 or over"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_SAID = "not_said", "Prefer not to say"


class EthnicGroup(models.TextChoices):
    """The five high-level ethnic groups of the 2021 Census (England and Wales)."""

    ASIAN = "asian", "Asian, Asian British or Asian Welsh"
    BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "mixed", "Mixed or Multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_SAID = "not_said", "Prefer not to say"


class Conversation(TimeStampedModel):
    """One brief-advice conversation with a resident (who is never named)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No single-column indexes on author and organisation: the two composite indexes below
    # lead with them and serve every lookup (and the PROTECT checks) a single one would.
    # Each index is one more write on every conversation logged.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conversations",
        db_index=False,
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="conversations", db_index=False
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="conversations")
    occurred_at = models.DateTimeField(db_index=True)
    setting = models.CharField(max_length=30, choices=ConversationSetting.choices)
    mecc_level = models.CharField("MECC level", max_length=30, choices=MeccLevel.choices)
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    topics = models.ManyToManyField(Topic, related_name="conversations")
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    ethnic_group = models.CharField(max_length=20, choices=EthnicGroup.choices, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True)
    # Marks the rows demo_activity.seed() made, so it can skip on a second run.
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ("-occurred_at", "-id")
        indexes = [
            models.Index(fields=["author", "-occurred_at"], name="conversation_author_idx"),
            models.Index(fields=["organisation", "occurred_at"], name="conversation_org_idx"),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.uuid} on {self.occurred_at:%Y-%m-%d}"


# The resident's contact details on a referral: encrypted at rest, read only through
# referrals.services.referrals.referral_contact_view (audited), blanked on retention.
RESIDENT_CONTACT_FIELDS = (
    "contact_name",
    "contact_phone",
    "contact_email",
    "contact_preferred_time",
)


class ReferralManager(models.Manager["Referral"]):
    """Loads referrals without their contact details, so no page decrypts them by accident:
    the one audited read asks for them by name (`.values(*RESIDENT_CONTACT_FIELDS)`)."""

    def get_queryset(self) -> models.QuerySet[Referral]:
        return super().get_queryset().defer(*RESIDENT_CONTACT_FIELDS)


class Referral(TimeStampedModel):
    """A signpost (nothing about the resident) or a consented referral to a service."""

    class Kind(models.TextChoices):
        SIGNPOST = "signpost", "Signpost"
        REFERRAL = "referral", "Referral"

    class Status(models.TextChoices):
        SIGNPOSTED = "signposted", "Signposted"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        ATTENDED = "attended", "Attended"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="referrals"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    # Consent (referrals only): what the resident agreed to, when, and who recorded it.
    consent_statement = models.TextField(blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents_recorded",
    )

    # The resident's contact details (referrals only), encrypted at rest.
    contact_name = EncryptedTextField(blank=True)
    contact_phone = EncryptedTextField(blank=True)
    contact_email = EncryptedTextField(blank=True)
    contact_preferred_time = EncryptedTextField(blank=True)
    contact_purged_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ReferralManager()

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "service", "kind"], name="referral_once_per_service"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="signpost", status="signposted")
                    | (Q(kind="referral") & ~Q(status="signposted"))
                ),
                name="referral_status_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="referral_kind_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uuid} to {self.service_id}"


class ReferralStatusChange(models.Model):
    """One step of a referral's timeline: the status it moved to, when, and who moved it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=Referral.Status.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ("changed_at", "id")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status} at {self.changed_at:%Y-%m-%d %H:%M}"
