"""The service directory: prevention topics and services in the Open Referral UK 3.0 shape."""

from __future__ import annotations

import uuid

from django.db import models

from accounts.models import Area, Organisation
from core.models import TimeStampedModel


class Topic(TimeStampedModel):
    """A prevention topic a conversation raises and a service addresses (a taxonomy term)."""

    # Stable public identifier used by the Open Referral UK API (taxonomy_term.id).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    snomed_code = models.CharField("SNOMED CT code", max_length=20, blank=True)
    snomed_display = models.CharField("SNOMED CT term", max_length=200, blank=True)
    esd_code = models.CharField("esd standards term", max_length=50, blank=True)
    urgent_support_first = models.BooleanField(
        default=False,
        help_text="Crisis and safeguarding topics: their services are shown before any other.",
    )
    display_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("-urgent_support_first", "display_order", "name")

    def __str__(self) -> str:
        return self.name


class Service(TimeStampedModel):
    """A service residents can be signposted or referred to (Open Referral UK `service`)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    class ReferralRoute(models.TextChoices):
        SELF_REFERRAL = "self_referral", "Self-referral"
        SIGNPOST_ONLY = "signpost_only", "Signpost only"
        PROFESSIONAL_REFERRAL = "professional_referral", "Professional referral through the portal"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)
    description = models.TextField()
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.ACTIVE)
    topics = models.ManyToManyField(Topic, related_name="services", blank=True)
    areas_served = models.ManyToManyField(Area, related_name="services", blank=True)
    referral_route = models.CharField(
        max_length=30, choices=ReferralRoute.choices, default=ReferralRoute.SIGNPOST_ONLY
    )
    email = models.EmailField(blank=True)
    url = models.URLField(blank=True)
    last_verified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name
