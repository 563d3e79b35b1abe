"""Matched surveys: questions as data, one invitation per learner, session and kind, and the
responses to them. Every response belongs to a signed-in learner's invitation, so pre- and
post-course answers can be paired (there is no anonymous link)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Area, Organisation, StaffGroup
from core.models import TimeStampedModel


class SurveyKind(models.TextChoices):
    PRE_COURSE = "pre_course", "Before the course"
    POST_COURSE = "post_course", "After the course"
    FOLLOW_UP_3_MONTHS = "follow_up_3m", "3 months after the course"
    FOLLOW_UP_6_MONTHS = "follow_up_6m", "6 months after the course"


class Measure(models.TextChoices):
    """What a question measures, so indicators can find answers whatever the wording."""

    CONFIDENCE = "confidence_raise_health", "Confidence to raise health and wellbeing"
    KNOWLEDGE = "knowledge_local_services", "Knowledge of local services"
    INTENTION = "intention_mecc_conversations", "Intention to have MECC conversations"
    SATISFACTION = "satisfaction", "Satisfaction with the course"
    WOULD_RECOMMEND = "would_recommend", "Would recommend the course"
    CONVERSATIONS = "conversations_since_training", "Conversations since the course"
    BARRIERS = "barriers", "What got in the way"


class Survey(TimeStampedModel):
    """A questionnaire for one kind of survey, for one programme or (blank) for any."""

    kind = models.CharField(max_length=20, choices=SurveyKind.choices)
    programme = models.ForeignKey(
        "training.Programme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Blank: used for every programme without a survey of its own.",
    )
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("kind", "programme")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "programme"],
                condition=Q(programme__isnull=False),
                name="survey_one_per_kind_and_programme",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(programme__isnull=True),
                name="survey_one_default_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Question(TimeStampedModel):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Scale of 1 to 5"
        YES_NO = "yes_no", "Yes or no"
        NUMBER = "number", "Number"
        TEXT = "text", "Free text"
        CHECKBOXES = "checkboxes", "Choose any that apply"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    measure = models.CharField(max_length=40, choices=Measure.choices, blank=True)
    required = models.BooleanField(default=True)
    # Likert: the five labels for 1 to 5. Checkboxes: the options.
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("survey", "order")
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="question_order_unique")
        ]

    def __str__(self) -> str:
        return self.text


def invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(TimeStampedModel):
    """One learner asked to answer one kind of survey about one session.

    Who the learner was at the time (organisation, borough, staff group) and the programme and
    date of the session are copied here so indicators never have to query training tables.
    """

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    kind = models.CharField(max_length=20, choices=SurveyKind.choices)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_invitations"
    )
    session = models.ForeignKey("training.Session", on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(
        "training.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=invitation_token)
    programme = models.ForeignKey("training.Programme", on_delete=models.PROTECT, related_name="+")
    session_date = models.DateField(db_index=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    staff_group = models.CharField(max_length=30, choices=StaffGroup.choices, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text="After this the survey can no longer be answered."
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-session_date", "kind", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "session", "kind"], name="invitation_one_per_learner_session"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "responded_at"], name="invitation_kind_responded_idx"),
            models.Index(fields=["session", "kind"], name="invitation_session_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} survey for {self.learner_id} on {self.session_id}"

    @property
    def is_answered(self) -> bool:
        return self.responded_at is not None


class SurveyResponse(TimeStampedModel):
    """The answers to one invitation (at most one: the database refuses a second)."""

    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="response")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ("-submitted_at",)

    def __str__(self) -> str:
        return f"Response to invitation {self.invitation_id}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Likert 1-5, yes (1) or no (0), or a number.
    number_value = models.IntegerField(null=True, blank=True)
    text_value = models.TextField(blank=True)
    choices_value = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("response", "question__order")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"
