"""Reports: a commissioner pack built in the background as a PDF or a spreadsheet."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


class Report(TimeStampedModel):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Spreadsheet (XLSX)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        ON_DEMAND = "on_demand", "On request"
        MONTHLY = "monthly", "Monthly pack"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ON_DEMAND)
    # The dashboard filters the report covers (area, organisation, programme, staff_group,
    # topic as ids or codes), checked against the requester's scope when it is built.
    scope = models.JSONField(default=dict, blank=True)
    period_start = models.DateField()
    period_end = models.DateField(help_text="The first day of the last month covered.")
    format = models.CharField(max_length=10, choices=Format.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Monthly packs: one per commissioner, month and format however often beat runs.
    idempotency_key = models.CharField(max_length=120, unique=True, null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="report_owner_idx")]

    def __str__(self) -> str:
        return f"Report {self.uuid} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
