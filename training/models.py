"""Programmes, courses, sessions, bookings with waitlists, completions and certificates,
quality-marker self-assessments and who trained each trainer."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import Area, Organisation
from core.models import TimeStampedModel

# A course costing this much or less (per learner, in pence) is "low cost" in the catalogue.
LOW_COST_PENCE = 5000


class Programme(TimeStampedModel):
    """MECC, Mental Health First Aid or Dementia Awareness."""

    class Code(models.TextChoices):
        MECC = "mecc", "Making Every Contact Count"
        MHFA = "mhfa", "Mental Health First Aid"
        DEMENTIA = "dementia", "Dementia Awareness"

    code = models.CharField(max_length=20, choices=Code.choices, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    has_levels = models.BooleanField(
        default=False, help_text="Courses are offered at levels 1 to 3 (MECC)."
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How long a certificate lasts before a refresher is due. Blank: never expires.",
    )
    requires_post_course_evaluation = models.BooleanField(
        default=False,
        help_text="Learners complete the post-course evaluation before they get the certificate.",
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def refresher_due_years(self) -> float | None:
        months = self.certificate_validity_months
        return None if months is None else months / 12


class Course(TimeStampedModel):
    class Level(models.IntegerChoices):
        ONE = 1, "Level 1: very brief advice"
        TWO = 2, "Level 2: brief advice"
        THREE = 3, "Level 3: brief intervention"

    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        VIRTUAL = "virtual", "Virtual classroom"
        E_LEARNING = "e_learning", "E-learning"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    delivery_mode = models.CharField(max_length=20, choices=Mode.choices)
    external_url = models.URLField(
        blank=True, help_text="Where an e-learning course is taken (another learning system)."
    )
    duration_minutes = models.PositiveIntegerField(validators=[MinValueValidator(5)])
    cost_pence = models.PositiveIntegerField(default=0, help_text="Per learner; 0 means free.")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="courses")
    audience = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    is_refresher = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("cost_pence", "title")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=3),
                name="course_level_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.cost_pence == 0

    @property
    def is_low_cost(self) -> bool:
        return 0 < self.cost_pence <= LOW_COST_PENCE


class Session(TimeStampedModel):
    """One run of a course: when, where (or how to join), how many places, who teaches."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="training_sessions",
        help_text="The organisation running the session (its trainers and leads manage it).",
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    venue_name = models.CharField(max_length=200, blank=True)
    venue_address = models.CharField(max_length=300, blank=True)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="training_sessions"
    )
    joining_url = models.URLField(blank=True)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="sessions_trained", blank=True
    )
    trainer_cost_pence = models.PositiveIntegerField(default=0)
    venue_cost_pence = models.PositiveIntegerField(default=0)
    materials_cost_pence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("starts_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course} on {self.starts_at:%d %b %Y}"

    @property
    def total_cost_pence(self) -> int:
        return self.trainer_cost_pence + self.venue_cost_pence + self.materials_cost_pence

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class Booking(TimeStampedModel):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        WAITLISTED = "waitlisted", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "Did not attend"

    # Statuses that hold a place (count against capacity).
    PLACE_HOLDING = (Status.BOOKED, Status.ATTENDED, Status.NO_SHOW)
    ACTIVE = (Status.BOOKED, Status.WAITLISTED, Status.ATTENDED, Status.NO_SHOW)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_bookings"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the learner got a place (booked or promoted)."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    # Set by the evaluation app through services.completion_record_evaluation.
    post_course_evaluation_completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("session", "waitlist_position", "created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"],
                condition=Q(status__in=["booked", "waitlisted", "attended", "no_show"]),
                name="booking_one_active_per_learner",
            ),
            models.UniqueConstraint(
                fields=["session", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="booking_unique_waitlist_position",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="booking_position_only_when_waitlisted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.session} ({self.get_status_display()})"


class Completion(TimeStampedModel):
    """A learner completed a course: the certificate and how to verify it."""

    class Source(models.TextChoices):
        REGISTER = "register", "Session register"
        IMPORT = "import", "Imported from a learning system"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_completions"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="completion"
    )
    completed_on = models.DateField()
    certificate_number = models.CharField(max_length=40, unique=True)
    verification_code = models.CharField(max_length=64, unique=True)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.REGISTER)

    class Meta:
        ordering = ("-completed_on", "-id")

    def __str__(self) -> str:
        return f"{self.certificate_number} {self.learner}"

    @property
    def certificate_released(self) -> bool:
        """False while the programme's post-course evaluation is outstanding (imports: True)."""
        if self.booking is None or not self.course.programme.requires_post_course_evaluation:
            return True
        return self.booking.post_course_evaluation_completed_at is not None

    def is_valid_on(self, day: date) -> bool:
        return self.expires_on is None or self.expires_on >= day


class TrainerAccreditation(TimeStampedModel):
    """Train the trainer: who trained this trainer to deliver a programme, and when."""

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_accreditations"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainers_trained",
        help_text="A trainer in the portal, if there is one.",
    )
    trained_by_name = models.CharField(
        max_length=200, blank=True, help_text="Or a trainer from outside the portal."
    )
    accredited_on = models.DateField()

    class Meta:
        ordering = ("trainer", "programme")
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "programme"], name="accreditation_one_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainer}: {self.programme}"


class QualityCriterion(TimeStampedModel):
    """One item of the MECC training quality marker checklist (editable in admin)."""

    theme = models.CharField(max_length=120)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("order", "id")
        verbose_name_plural = "quality criteria"

    def __str__(self) -> str:
        return f"{self.theme}: {self.text[:60]}"


class QualityAssessment(TimeStampedModel):
    """A training lead's self-assessment of one course against the quality marker."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="assessments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="quality_assessments"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.course} ({self.get_status_display()})"


class QualityScore(models.Model):
    class Score(models.IntegerChoices):
        FULLY_MET = 3, "Fully met"
        PARTIALLY_MET = 2, "Partially met"
        IN_DEVELOPMENT = 1, "In development"
        NOT_MET = 0, "Not met"

    assessment = models.ForeignKey(
        QualityAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(QualityCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        choices=Score.choices, validators=[MaxValueValidator(3)]
    )
    evidence = models.TextField(blank=True)
    attachment = models.FileField(upload_to="quality-marker/%Y/%m/", blank=True)

    class Meta:
        ordering = ("criterion__order", "criterion_id")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="quality_score_one_per_criterion"
            ),
            models.CheckConstraint(condition=Q(score__lte=3), name="quality_score_0_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class CompletionImport(TimeStampedModel):
    """A CSV of historic completions: previewed, then applied all at once or not at all."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Waiting for confirmation"
        APPLIED = "applied", "Imported"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=200)
    content = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW)
    applied_at = models.DateTimeField(null=True, blank=True)
    rows_imported = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
