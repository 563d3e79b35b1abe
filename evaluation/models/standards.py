"""Standards: the target an administrator sets for an indicator in a borough."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from accounts.models import Area
from core.models import TimeStampedModel


class BenchmarkIndicator(models.TextChoices):
    SHARE_TRAINED = "share_trained", "Share of the workforce trained (%)"
    CONVERSATIONS_PER_TRAINED = "conversations_per_trained", "Conversations per person trained"
    SIGNPOSTS_PER_100 = "signposts_per_100", "Signposts per 100 conversations"
    REFERRALS_COMPLETED = "referrals_completed", "Referrals completed (%)"
    COST_PER_PERSON = "cost_per_person", "Training cost per person trained (£)"


# Indicators where a smaller number is better (the rest: bigger is better).
LOWER_IS_BETTER = frozenset({BenchmarkIndicator.COST_PER_PERSON})


class Standard(TimeStampedModel):
    """A target for one indicator in one area; amber is the threshold short of the target."""

    indicator = models.CharField(max_length=40, choices=BenchmarkIndicator.choices)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="standards")
    target = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    amber_threshold = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Results between this and the target are amber; past it, red. "
        "Leave blank to show only met or not met.",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("area__name", "indicator")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area"], name="standard_one_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} in {self.area}: {self.target}"

    @property
    def lower_is_better(self) -> bool:
        return self.indicator in LOWER_IS_BETTER
