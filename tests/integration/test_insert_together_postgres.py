"""On PostgreSQL, logging a conversation is one statement that writes what the ORM writes.

`core.db.insert_together` builds one INSERT statement (data-modifying WITH clauses) from the
models' fields; on other databases it saves through the ORM. Both paths run here on
PostgreSQL side by side and every column of every row they write is compared, so a column
the statement got wrong, or one added to a model, fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from core import db
from core.models import AuditEvent, ChangeEvent
from core.services import audit_event, change_events
from referrals.models import Conversation, Topic
from referrals.services import conversations
from tests.referrals.activity_factories import ActivityTopicFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

Through = Conversation.topics.through
# Differ between any two rows by design: ids, the random uuid, the moment of writing.
UNIQUE_TO_EACH_ROW = {"id", "uuid", "created_at", "updated_at", "target_id"}


@pytest.fixture
def worker(make_user, camden_trust):
    return make_user(Role.FRONTLINE_WORKER, camden_trust)


def _row(instance: models.Model, *also: str) -> dict[str, Any]:
    """Every column of the stored row, but those that differ between any two rows."""
    fresh = type(instance)._default_manager.get(pk=instance.pk)
    return {
        f.attname: getattr(fresh, f.attname)
        for f in type(instance)._meta.concrete_fields
        if f.name not in UNIQUE_TO_EACH_ROW | set(also)
    }


def _write(insert: Any, worker: User, topics: list[Any], moment: Any) -> dict[str, Any]:
    conversation = Conversation(
        author=worker,
        organisation=worker.organisation,
        area=worker.organisation.area,
        occurred_at=moment,
        setting="outpatients",
        mecc_level="brief_advice",
        outcome="signposted",
        age_band="25_34",
        sex="female",
        postcode_district="NW1",
    )
    children = [
        *(Through(conversation_id=db.NEW_ID, topic_id=t.pk) for t in topics),
        *change_events(stream="parity", keys=["2026-12:1"]),
        audit_event(actor=worker, action="parity.logged", target=conversation),
    ]
    insert(conversation, children, "default")
    audit = AuditEvent.objects.get(action="parity.logged", target_id=str(conversation.pk))
    return {
        "conversation": _row(conversation),
        "stamped": abs((conversation.updated_at - conversation.created_at).total_seconds()) < 5,
        "topics": sorted(
            Through.objects.filter(conversation_id=conversation.pk).values_list(
                "topic_id", flat=True
            )
        ),
        # Both are stamped with the moment they were made, so not compared.
        "change": _row(ChangeEvent.objects.filter(stream="parity").latest("pk"), "occurred_at"),
        "audit": _row(audit, "occurred_at"),
    }


def test_the_one_statement_writes_every_column_the_orm_writes(worker):
    topics = [ActivityTopicFactory(), ActivityTopicFactory()]
    moment = timezone.now()
    through_orm = _write(db._insert_through_the_orm, worker, topics, moment)
    in_one_statement = _write(db._insert_in_one_statement, worker, topics, moment)
    assert in_one_statement == through_orm
    assert in_one_statement["topics"] == sorted(t.pk for t in topics)
    assert in_one_statement["audit"]["actor_id"] == worker.pk
    assert in_one_statement["stamped"]


def test_logging_a_conversation_is_one_statement(worker):
    first: Topic = ActivityTopicFactory()
    second: Topic = ActivityTopicFactory()
    topics = [first, second]
    ContentType.objects.get_for_model(Conversation)  # cached per process, as in a server
    with CaptureQueriesContext(connection) as captured:
        conversation = conversations.conversation_create(
            author=worker,
            organisation=worker.organisation,
            area=worker.organisation.area,
            setting="outpatients",
            mecc_level="brief_advice",
            outcome="signposted",
            topics=topics,
        )
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(statements) == 1, statements
    assert statements[0].startswith('WITH "new" AS (INSERT INTO "referrals_conversation"')
    assert set(conversation.topics.all()) == set(topics)
    assert AuditEvent.objects.filter(
        action="conversation.logged", target_id=str(conversation.pk)
    ).exists()
