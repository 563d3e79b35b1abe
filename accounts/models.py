"""People, where they work, and what they may do there."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import TimeStampedModel


class Area(TimeStampedModel):
    """A geography a role can be scoped to: a borough, or the partnership above them."""

    class Kind(models.TextChoices):
        BOROUGH = "borough", "Borough"
        PARTNERSHIP = "partnership", "Partnership"

    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BOROUGH)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        NHS_TRUST = "nhs_trust", "NHS trust"
        COMMISSIONER = "commissioner", "Commissioner or ICB"
        PRIMARY_CARE = "primary_care", "Primary care"
        VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary and community sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="organisations")
    ods_code = models.CharField("ODS code", max_length=10, blank=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"], condition=~Q(ods_code=""), name="organisation_ods_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationEmailDomain(models.Model):
    """An email domain an organisation owns: signing up with it joins that organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="email_domains"
    )
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ("domain",)

    def __str__(self) -> str:
        return self.domain

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("Users must have an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class StaffGroup(models.TextChoices):
    NURSING = "nursing", "Nursing and midwifery"
    MEDICAL = "medical", "Medical and dental"
    ALLIED_HEALTH = "allied_health", "Allied health professionals"
    HEALTHCARE_SCIENCE = "healthcare_science", "Healthcare scientists"
    CLINICAL_SUPPORT = "clinical_support", "Support to clinical staff"
    SOCIAL_CARE = "social_care", "Social care"
    PUBLIC_HEALTH = "public_health", "Public health"
    HOUSING = "housing", "Housing and community services"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    ADMIN_CLERICAL = "admin_clerical", "Administrative and clerical"
    OTHER = "other", "Other"


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    staff_group = models.CharField(max_length=30, choices=StaffGroup.choices, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("Django admin access", default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ("email",)

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    FRONTLINE_WORKER = "frontline_worker", "Frontline worker"
    TRAINER = "trainer", "Trainer"
    TRAINING_LEAD = "training_lead", "Training lead"
    SERVICE_PROVIDER = "service_provider", "Service provider"
    COMMISSIONER = "commissioner", "Commissioner"
    ADMINISTRATOR = "administrator", "Administrator"


class RoleMembership(TimeStampedModel):
    """One role a user holds, scoped to exactly one organisation or one area."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        ordering = ("user", "role")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, area__isnull=True)
                    | Q(organisation__isnull=True, area__isnull=False)
                ),
                name="role_scope_is_one_organisation_or_one_area",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="role_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area"],
                condition=Q(area__isnull=False),
                name="role_unique_per_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} at {self.scope}"

    @property
    def scope(self) -> Organisation | Area | None:
        return self.organisation or self.area
