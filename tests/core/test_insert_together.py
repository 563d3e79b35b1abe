"""core.db.insert_together: a row and the rows pointing at it, written together or not at all.

`make test` runs these on SQLite (the ORM path); CI's second run runs them on PostgreSQL,
where the same call is one statement (tests/integration/test_insert_together_postgres.py
compares the two paths' rows there).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models.functions import Now
from django.utils import timezone

from accounts.models import User
from core.db import NEW_ID, insert_together
from core.models import AuditEvent, ChangeEvent
from core.services import audit_event, change_events
from referrals.models import Conversation
from tests.referrals.activity_factories import ActivityTopicFactory

pytestmark = pytest.mark.django_db

Through = Conversation.topics.through


@pytest.fixture
def worker(make_user, camden_trust):
    from accounts.models import Role

    return make_user(Role.FRONTLINE_WORKER, camden_trust)


def _conversation(worker: User) -> Conversation:
    return Conversation(
        author=worker,
        organisation=worker.organisation,
        area=worker.organisation.area,
        occurred_at=timezone.now(),
        setting="outpatients",
        mecc_level="very_brief_advice",
        outcome="signposted",
    )


def _children(topics: list[Any], worker: User, conversation: Conversation) -> list[Any]:
    return [
        *(Through(conversation_id=NEW_ID, topic_id=topic.pk) for topic in topics),
        *change_events(stream="test", keys=["a", "b"]),
        audit_event(actor=worker, action="test.logged", target=conversation),
    ]


def test_the_children_point_at_the_parent_written_with_them(worker):
    topics = [ActivityTopicFactory(), ActivityTopicFactory(), ActivityTopicFactory()]
    conversation = _conversation(worker)
    children = _children(topics, worker, conversation)

    insert_together(conversation, children)

    assert conversation.pk is not None and not conversation._state.adding
    saved = Conversation.objects.get(pk=conversation.pk)
    assert saved.uuid == conversation.uuid
    assert saved.updated_at is not None  # auto_now filled in, as save() would
    assert sorted(saved.topics.values_list("pk", flat=True)) == sorted(t.pk for t in topics)
    assert sorted(ChangeEvent.objects.filter(stream="test").values_list("key", flat=True)) == [
        "a",
        "b",
    ]
    audit = AuditEvent.objects.get(action="test.logged")
    assert audit.target_id == str(conversation.pk)
    assert audit.actor == worker and audit.details == {}
    # What waited for the id now holds it, converted by its field.
    assert children[0].conversation_id == conversation.pk
    assert children[-1].target_id == str(conversation.pk)


def test_each_shape_of_statement_writes_its_own_rows(worker):
    """The statement is built once per shape (here one and then two topics); each call
    still writes its own rows, never the previous call's."""
    first, second = ActivityTopicFactory(), ActivityTopicFactory()
    for topics in ([first], [first, second], [second]):
        conversation = _conversation(worker)
        insert_together(conversation, _children(topics, worker, conversation))
        assert set(conversation.topics.values_list("pk", flat=True)) == {t.pk for t in topics}
    assert AuditEvent.objects.filter(action="test.logged").count() == 3


def test_a_failing_child_leaves_nothing_written(worker):
    conversation = _conversation(worker)
    broken = audit_event(actor=worker, action="test.logged", target=conversation)
    broken.action = None  # NOT NULL
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_together(conversation, [*change_events(stream="test", keys=["a"]), broken])
    assert not Conversation.objects.exists()
    assert not ChangeEvent.objects.filter(stream="test").exists()


def test_models_whose_save_does_more_are_refused(worker):
    """User has its own save() and save receivers (the principals cache): skipping them
    would serve stale roles."""
    stranger = User(email="new@example.nhs.uk")
    with pytest.raises(TypeError, match="insert_together would skip"):
        insert_together(stranger)
    assert not User.objects.filter(email="new@example.nhs.uk").exists()


def test_rows_with_a_primary_key_and_sql_expressions_are_refused(worker):
    with pytest.raises(ValueError, match="already has a primary key"):
        insert_together(_conversation(worker), [ChangeEvent(pk=10, stream="s", key="k")])
    with pytest.raises(TypeError, match="SQL expression"):
        insert_together(
            _conversation(worker), [ChangeEvent(stream="s", key="k", occurred_at=Now())]
        )
    with pytest.raises(ValueError, match="cannot wait for its own id"):
        insert_together(ChangeEvent(stream="s", key=NEW_ID))
    assert not Conversation.objects.exists()
    assert not ChangeEvent.objects.filter(stream="s").exists()
