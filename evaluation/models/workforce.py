"""How many people each organisation employs, by staff group: the denominator for reach."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models

from accounts.models import Organisation, StaffGroup
from core.models import TimeStampedModel

MAX_HEADCOUNT = 200_000


class WorkforceHeadcount(TimeStampedModel):
    """An organisation's headcount in one staff group on a date (the latest one counts)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="workforce_headcounts"
    )
    staff_group = models.CharField(max_length=30, choices=StaffGroup.choices)
    headcount = models.PositiveIntegerField(validators=[MaxValueValidator(MAX_HEADCOUNT)])
    as_of = models.DateField("as of")

    class Meta:
        ordering = ("organisation", "staff_group", "-as_of")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "staff_group", "as_of"],
                name="workforce_headcount_unique_per_date",
            )
        ]
        indexes = [models.Index(fields=["organisation", "as_of"])]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_staff_group_display()} on {self.as_of}"
