"""Writes to the prevention topics taxonomy (commissioners and administrators)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify

from core.services import audit_record
from referrals.models import Topic

TOPIC_FIELDS = (
    "name",
    "description",
    "snomed_code",
    "snomed_display",
    "esd_code",
    "urgent_support_first",
    "display_order",
    "is_active",
)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "topic"
    slug, n = base, 2
    while Topic.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def topic_create(*, actor: Any, data: dict[str, Any], request: HttpRequest | None = None) -> Topic:
    """Add a prevention topic; its slug comes from its name and never changes."""
    topic = Topic(slug=_unique_slug(data["name"]), **{f: data[f] for f in TOPIC_FIELDS})
    topic.save()
    audit_record(
        actor=actor,
        action="topic.created",
        target=topic,
        request=request,
        details={"name": topic.name},
    )
    return topic


@transaction.atomic
def topic_update(
    *, topic: Topic, actor: Any, data: dict[str, Any], request: HttpRequest | None = None
) -> Topic:
    """Change a topic's wording, codes, order or whether it is offered."""
    changed = [f for f in TOPIC_FIELDS if getattr(topic, f) != data[f]]
    for field in changed:
        setattr(topic, field, data[field])
    topic.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action="topic.updated",
        target=topic,
        request=request,
        details={"fields": changed},
    )
    return topic
