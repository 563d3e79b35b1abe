"""The service directory: prevention topics and services in the Open Referral UK 3.0 shape."""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Area, Organisation
from core.models import TimeStampedModel


class Taxonomy(TimeStampedModel):
    """A vocabulary that topics come from (Open Referral UK `taxonomy`)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class Topic(TimeStampedModel):
    """A prevention topic a conversation raises and a service addresses (a taxonomy term)."""

    # Stable public identifier used by the Open Referral UK API (taxonomy_term.id).
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
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
    is_active = models.BooleanField(
        default=True,
        help_text="Inactive topics (such as terms brought in by an import) are not offered "
        "when people log conversations or search the directory.",
    )
    taxonomy = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.PROTECT, related_name="topics"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    term_uri = models.URLField(blank=True)

    class Meta:
        ordering = ("-urgent_support_first", "display_order", "name")

    def __str__(self) -> str:
        return self.name


class Location(TimeStampedModel):
    """A place a service is delivered from, with one address (Open Referral UK `location`)."""

    class Kind(models.TextChoices):
        PHYSICAL = "physical", "Physical"
        POSTAL = "postal", "Postal"
        VIRTUAL = "virtual", "Virtual"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    address_uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    location_type = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PHYSICAL)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    address_1 = models.CharField("address line 1", max_length=200, blank=True)
    city = models.CharField("town or city", max_length=100, blank=True)
    state_province = models.CharField("county", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    country = models.CharField(max_length=2, default="GB")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ("name",)
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_coords_idx")]

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode}" if self.postcode else self.name


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

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
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
    alert = models.CharField(
        max_length=300, blank=True, help_text="A short notice shown at the top of the listing."
    )
    # Eligibility (Open Referral UK keeps the age range on the service).
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility_description = models.TextField("who can use it", blank=True)
    # Cost: free services say so; priced options are CostOption rows.
    is_free = models.BooleanField(default=True)
    fees_description = models.TextField("cost details", blank=True)
    last_verified_on = models.DateField(null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(TimeStampedModel):
    """Where a service is delivered (Open Referral UK `service_at_location`)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_here")

    class Meta:
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="service_at_location_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Contact(TimeStampedModel):
    """A named contact for a service (Open Referral UK `contact`)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150, blank=True)
    title = models.CharField("job title", max_length=150, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name or self.title or "Contact"


class Phone(TimeStampedModel):
    """A telephone number for a service or one of its contacts (Open Referral UK `phone`)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=30)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.number


class Schedule(TimeStampedModel):
    """Weekly opening hours (Open Referral UK `schedule`, freq WEEKLY with byday)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    freq = models.CharField(max_length=10, default="WEEKLY")
    # RFC 5545 BYDAY list, for example "MO,WE,FR".
    byday = models.CharField(max_length=30, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"


class CostOption(TimeStampedModel):
    """A price for using a service (Open Referral UK `cost_option`)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField("who or what it applies to", max_length=200, blank=True)
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=200, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.option} {self.amount}"


class ServiceLanguage(TimeStampedModel):
    """A language a service is offered in (Open Referral UK `language`)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField("ISO 639 code", max_length=10, blank=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class ListingProblemReport(TimeStampedModel):
    """Someone told us a listing is wrong; the provider is emailed and fixes it."""

    class Kind(models.TextChoices):
        CLOSED = "closed", "The service has closed or moved"
        CONTACT = "contact", "The contact details are wrong"
        HOURS = "hours", "The opening times are wrong"
        ELIGIBILITY = "eligibility", "Who can use it is wrong"
        OTHER = "other", "Something else"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="problem_reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    details = models.TextField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.service})"
