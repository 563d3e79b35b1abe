"""Reads for administrators: the audit log, searched and filtered."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Organisation
from core.models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    target_type: ContentType | None = None
    target_id: str = ""
    organisation: Organisation | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_events_search(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Audit events matching the filters, newest first (dates are whole local days)."""
    events = AuditEvent.objects.select_related("target_type")
    if filters.actor:
        events = events.filter(actor_email__icontains=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.target_type is not None:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    if filters.organisation is not None:
        events = events.filter(actor__organisation=filters.organisation)
    if filters.date_from is not None:
        events = events.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        events = events.filter(
            occurred_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1))
        )
    return events.order_by("-occurred_at", "-id")


def audit_actions() -> list[str]:
    """Every action the log holds, for the filter's choices."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_target_types() -> QuerySet[ContentType]:
    """The kinds of object the log has events about."""
    used: Any = AuditEvent.objects.filter(target_type__isnull=False).values("target_type")
    return ContentType.objects.filter(pk__in=used).order_by("app_label", "model")
