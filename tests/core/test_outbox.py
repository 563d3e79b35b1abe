"""The notification outbox: written in the caller's transaction, sent once after commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage
from core.services import (
    RenderedEmail,
    outbox_deliver,
    outbox_enqueue,
    outbox_enqueue_rendered_later,
    outbox_renderer,
    outbox_sweep,
)

pytestmark = pytest.mark.django_db


def _enqueue(key: str = "booking:1:confirmation", **kwargs: object) -> OutboxMessage:
    fields: dict = {
        "recipients": ["learner@org.nhs.example"],
        "subject": "Your booking",
        "body_text": "You are booked on the course.",
    }
    fields.update(kwargs)
    return outbox_enqueue(idempotency_key=key, **fields)


def test_message_is_delivered_after_commit_not_before(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _enqueue()
        assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Your booking"]
    assert mail.outbox[0].extra_headers["Message-ID"] == "<booking:1:confirmation@mecc-portal>"


def test_rolled_back_transaction_leaves_no_message(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _enqueue()
        raise RuntimeError("the caller's write failed")
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_same_idempotency_key_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        second = _enqueue(subject="A different subject")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_sweeper_delivers_what_was_never_published():
    # No on-commit callback runs here: as if the broker was down when the request committed.
    message = _enqueue()
    assert message.status == OutboxMessage.Status.PENDING
    assert outbox_sweep() == 1
    assert outbox_sweep() == 0  # a second sweep finds nothing left to send
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1


def test_delivering_twice_sends_once():
    message = _enqueue()
    assert outbox_deliver(message_id=message.pk) is True
    assert outbox_deliver(message_id=message.pk) is False
    assert len(mail.outbox) == 1


def test_failed_send_is_retried_later_by_the_sweeper(settings):
    message = _enqueue()
    settings.EMAIL_BACKEND = "tests.core.failing_email_backend.EmailBackend"
    assert outbox_sweep() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "SMTP server refused" in message.last_error
    assert message.available_at > timezone.now()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_sweep() == 0  # backing off: not due yet
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    assert outbox_sweep() == 1
    assert len(mail.outbox) == 1


def test_message_scheduled_for_later_waits(django_capture_on_commit_callbacks):
    later = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _enqueue(key="session:9:reminder-2d", available_at=later)
    assert callbacks == []
    assert outbox_sweep() == 0
    assert mail.outbox == []


def test_attachments_travel_with_the_email():
    message = _enqueue(
        attachments=[
            {"filename": "session.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}
        ]
    )
    outbox_deliver(message_id=message.pk)
    assert mail.outbox[0].attachments[0][0] == "session.ics"


# Emails rendered when delivered (ADR 0014).

RENDERINGS: list[dict] = []


@outbox_renderer("tests.greeting")
def _render_greeting(context: dict) -> RenderedEmail:
    RENDERINGS.append(context)
    if context.get("broken"):
        raise LookupError("nothing to render from")
    return RenderedEmail(
        recipients=[f"{context['name']}@org.nhs.example"],
        subject=f"Hello {context['name']}",
        body_text=f"Dear {context['name']}, rendering number {len(RENDERINGS)}.",
        attachments=[
            {"filename": "a.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}
        ],
    )


@pytest.fixture
def renderings():
    RENDERINGS.clear()
    yield RENDERINGS
    RENDERINGS.clear()


def _later(key: str = "greeting:1", **context: object) -> OutboxMessage:
    return outbox_enqueue_rendered_later(
        idempotency_key=key, renderer="tests.greeting", context={"name": "ada", **context}
    )


def test_a_message_rendered_later_is_rendered_by_delivery_and_kept(
    renderings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _later()
        message.refresh_from_db()
        # Queueing renders nothing: the row names the renderer and what it reads.
        assert renderings == []
        assert (message.recipients, message.subject, message.body_text) == ([], "", "")
        assert (message.renderer, message.context) == ("tests.greeting", {"name": "ada"})
    assert len(callbacks) == 1  # published after commit, like any message
    assert renderings == [{"name": "ada"}]
    [sent] = mail.outbox
    assert (sent.to, sent.subject) == (["ada@org.nhs.example"], "Hello ada")
    assert sent.attachments[0][0] == "a.ics"
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.recipients == ["ada@org.nhs.example"]  # what was sent stays on record
    assert message.body_text == "Dear ada, rendering number 1."


def test_a_message_rendered_later_is_queued_once_per_key(renderings):
    first = _later()
    assert _later(name="someone else").pk == first.pk
    assert OutboxMessage.objects.filter(idempotency_key="greeting:1").count() == 1


def test_a_retry_sends_what_the_first_attempt_rendered(renderings, settings):
    message = _later()
    settings.EMAIL_BACKEND = "tests.core.failing_email_backend.EmailBackend"
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.body_text == "Dear ada, rendering number 1."
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    assert outbox_deliver(message_id=message.pk) is True
    assert len(renderings) == 1
    assert mail.outbox[0].body == "Dear ada, rendering number 1."


def test_a_rendering_that_fails_is_retried_like_a_send(renderings):
    message = _later(broken=True)
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert message.last_error == "LookupError: nothing to render from"
    assert message.available_at > timezone.now()
    assert message.recipients == []
    assert mail.outbox == []


def test_an_unknown_renderer_is_refused_when_queued_and_a_name_is_registered_once():
    with pytest.raises(ValueError, match=r"no outbox renderer called 'tests\.missing'"):
        outbox_enqueue_rendered_later(idempotency_key="x:1", renderer="tests.missing", context={})
    assert not OutboxMessage.objects.exists()
    with pytest.raises(ValueError, match="already registered"):
        outbox_renderer("tests.greeting")(lambda context: _render_greeting(context))
