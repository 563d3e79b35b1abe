"""Organisation returns: each training lead's periodic account of what their organisation
delivers, its resources now and next year, plans, joint working and evaluations done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from accounts.models import Organisation
from core.models import TimeStampedModel


class ReturnPeriod(TimeStampedModel):
    """A reporting period that every organisation returns for, by a deadline."""

    class Kind(models.TextChoices):
        FINANCIAL_YEAR = "financial_year", "Financial year"
        HALF_YEAR = "half_year", "Half year"

    name = models.CharField(max_length=60, unique=True, help_text="For example, 2026 to 2027")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    deadline = models.DateField(help_text="Returns are due by the end of this day.")

    class Meta:
        ordering = ("-starts_on", "name")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="return_period_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReturnProgramme(models.TextChoices):
    """The three programmes the partnership trains in (the same codes as training)."""

    MECC = "mecc", "Making Every Contact Count"
    MHFA = "mhfa", "Mental Health First Aid"
    DEMENTIA = "dementia", "Dementia Awareness"


class OrganisationReturn(TimeStampedModel):
    """One organisation's return for one period: a draft until its training lead submits it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="returns")
    period = models.ForeignKey(ReturnPeriod, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    programmes = models.JSONField(default=list, blank=True, help_text="Programme codes offered")
    delivery = models.TextField("what you deliver", blank=True)
    people_trained = models.PositiveIntegerField("staff trained in the period", null=True)
    trainers_now = models.PositiveIntegerField(null=True)
    trainers_next_year = models.PositiveIntegerField(null=True)
    budget_now_pounds = models.PositiveIntegerField(null=True)
    budget_next_year_pounds = models.PositiveIntegerField(null=True)
    training_hours_now = models.PositiveIntegerField(null=True)
    training_hours_next_year = models.PositiveIntegerField(null=True)
    plans_and_priorities = models.TextField(blank=True)
    joint_working = models.TextField(blank=True)
    evaluations_done = models.TextField(blank=True)

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("period", "organisation")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period"], name="organisation_return_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="organisation_return_submitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.period}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def programme_labels(self) -> list[str]:
        return [
            ReturnProgramme(code).label
            for code in self.programmes
            if code in ReturnProgramme.values
        ]
