from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.models import AuditEvent, Heartbeat, OutboxMessage


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = (
        "occurred_at",
        "actor_email",
        "action",
        "target_type",
        "target_id",
        "ip_address",
    )
    list_filter = ("action", "target_type")
    list_select_related = ("target_type",)
    search_fields = ("actor_email", "action", "target_id")
    date_hierarchy = "occurred_at"

    # The audit log is evidence: nobody edits or deletes it from the admin.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = ("created_at", "kind", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("idempotency_key", "subject")
    readonly_fields = (
        "idempotency_key",
        "recipients",
        "subject",
        "body_text",
        "body_html",
        "attachments",
        "attempts",
        "last_error",
        "sent_at",
        "created_at",
    )


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin[Heartbeat]):
    list_display = ("name", "last_seen")
