"""Writes for brief-advice conversations and the signposts made from them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Area, Organisation, User
from core.db import NEW_ID, insert_together
from core.services import audit_event, audit_record, change_events, change_record
from referrals.models import Conversation, Referral, Service, Topic
from referrals.selectors.rollups import CONVERSATION_STREAM, conversation_bucket

# How long the author may correct a conversation after logging it.
CORRECTION_WINDOW = datetime.timedelta(hours=24)


class ConversationLocked(PermissionDenied):
    """The conversation can no longer be corrected (not the author, or too late)."""


def conversation_is_editable(*, conversation: Conversation, user: Any) -> bool:
    """Whether this user may still correct this conversation."""
    return (
        conversation.author_id == getattr(user, "pk", None)
        and timezone.now() - conversation.created_at <= CORRECTION_WINDOW
    )


def _signposts_add(
    *, conversation: Conversation, services: Iterable[Service], actor: User
) -> list[Referral]:
    added = []
    for service in services:
        signpost, created = Referral.objects.get_or_create(
            conversation=conversation,
            service=service,
            kind=Referral.Kind.SIGNPOST,
            defaults={
                "status": Referral.Status.SIGNPOSTED,
                "created_by": actor,
                "topic": _topic_for(conversation=conversation, service=service),
            },
        )
        if created:
            added.append(signpost)
    return added


def _topic_for(*, conversation: Conversation, service: Service) -> Topic | None:
    """The conversation's topic the service addresses (urgent topics first), if any."""
    return (
        Topic.objects.filter(conversations=conversation, services=service)
        .order_by("-urgent_support_first", "display_order", "name")
        .first()
    )


def conversation_create(
    *,
    author: User,
    organisation: Organisation,
    area: Area,
    setting: str,
    mecc_level: str,
    outcome: str,
    topics: Iterable[Topic],
    age_band: str = "",
    sex: str = "",
    ethnic_group: str = "",
    postcode_district: str = "",
    signposts: Iterable[Service] = (),
    occurred_at: datetime.datetime | None = None,
) -> Conversation:
    """Log a conversation, with any services the resident was signposted to.

    The conversation, its topics, the change-feed row and the audit event are one INSERT
    statement on PostgreSQL (core.db.insert_together), atomic on its own; signposts, which
    most conversations have none of, are written after it in the same transaction.
    """
    topic_list = list(topics)
    if not topic_list:
        raise ValidationError("Select at least one topic")
    conversation = Conversation(
        author=author,
        organisation=organisation,
        area=area,
        occurred_at=occurred_at or timezone.now(),
        setting=setting,
        mecc_level=mecc_level,
        outcome=outcome,
        age_band=age_band,
        sex=sex,
        ethnic_group=ethnic_group,
        postcode_district=postcode_district.upper(),
    )
    through = Conversation.topics.through
    rows = [
        *(
            through(conversation_id=NEW_ID, topic_id=topic.pk)
            for topic in dict.fromkeys(topic_list)
        ),
        *change_events(stream=CONVERSATION_STREAM, keys=[conversation_bucket(conversation)]),
        audit_event(actor=author, action="conversation.logged", target=conversation),
    ]
    # Most conversations signpost nowhere: a form's empty choice is `queryset.none()`, which
    # would still be compiled to SQL to find it has no rows.
    empty = isinstance(signposts, QuerySet) and signposts.query.is_empty()
    signpost_list = [] if empty else list(signposts)
    if not signpost_list:
        insert_together(conversation, rows)
        return conversation
    with transaction.atomic():
        insert_together(conversation, rows)
        _signposts_add(conversation=conversation, services=signpost_list, actor=author)
    return conversation


@transaction.atomic
def conversation_update(
    *,
    conversation: Conversation,
    actor: User,
    setting: str,
    mecc_level: str,
    outcome: str,
    topics: Iterable[Topic],
    age_band: str = "",
    sex: str = "",
    ethnic_group: str = "",
    postcode_district: str = "",
) -> Conversation:
    """Correct a conversation: only its author, and only within 24 hours of logging it."""
    if not conversation_is_editable(conversation=conversation, user=actor):
        raise ConversationLocked("This conversation can no longer be changed")
    topic_list = list(topics)
    if not topic_list:
        raise ValidationError("Select at least one topic")
    conversation.setting = setting
    conversation.mecc_level = mecc_level
    conversation.outcome = outcome
    conversation.age_band = age_band
    conversation.sex = sex
    conversation.ethnic_group = ethnic_group
    conversation.postcode_district = postcode_district.upper()
    conversation.save(
        update_fields=[
            "setting",
            "mecc_level",
            "outcome",
            "age_band",
            "sex",
            "ethnic_group",
            "postcode_district",
            "updated_at",
        ]
    )
    conversation.topics.set(topic_list)
    change_record(stream=CONVERSATION_STREAM, keys=[conversation_bucket(conversation)])
    audit_record(actor=actor, action="conversation.corrected", target=conversation)
    return conversation


@transaction.atomic
def signpost_create(*, conversation: Conversation, service: Service, actor: User) -> Referral:
    """Record that the author signposted the resident to a service (nothing about them)."""
    if conversation.author_id != actor.pk:
        raise PermissionDenied("Only the person who logged the conversation can signpost")
    _signposts_add(conversation=conversation, services=[service], actor=actor)
    signpost = Referral.objects.get(
        conversation=conversation, service=service, kind=Referral.Kind.SIGNPOST
    )
    change_record(stream=CONVERSATION_STREAM, keys=[conversation_bucket(conversation)])
    audit_record(actor=actor, action="conversation.signposted", target=signpost)
    return signpost
