"""Cross-cutting models: a timestamped base, the audit log, the notification outbox, heartbeats."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who did what to which object, when and from where. Never holds resident data itself."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)
    # Indexed in Meta: the log is filtered by exact action only, so no pattern-matching index.
    action = models.CharField(max_length=80)
    # (target_type, target_id) in Meta serves lookups by type alone too.
    target_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    target_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-occurred_at", "-id")
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["action"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_email or 'system'} {self.action}"


class OutboxMessage(TimeStampedModel):
    """A message to send after the transaction that created it commits (ADR 0003)."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    idempotency_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EMAIL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    # An email rendered when it is delivered, not when it is queued (ADR 0014): the name of
    # a renderer registered with core.services.outbox_renderer and the ids it reads. Until
    # then recipients, subject and body are empty; delivery fills them in and keeps them,
    # so a retry sends what the first attempt rendered.
    # Database defaults too: a process still running the code before them can write rows.
    renderer = models.CharField(max_length=60, blank=True, db_default="")
    context = models.JSONField(
        default=dict, blank=True, db_default=models.Value({}, models.JSONField())
    )
    available_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key} ({self.status})"


class Heartbeat(models.Model):
    """Last time a background process proved it was alive (read by /healthz)."""

    name = models.CharField(max_length=50, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_seen:%H:%M:%S}"


class ChangeEvent(models.Model):
    """An append-only feed of "this bucket of data changed", read by incremental rollups.

    Services write one in the same transaction as the change (old and new bucket on an edit,
    the old bucket on a delete), so a reader resuming from the last id it saw misses nothing
    and its cost follows the number of changes, not the size of the table.
    """

    stream = models.CharField(max_length=50)
    key = models.CharField(max_length=200)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("id",)
        indexes = [models.Index(fields=["stream", "id"], name="change_stream_idx")]

    def __str__(self) -> str:
        return f"{self.stream}:{self.key}"
