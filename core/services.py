"""Writes that every app uses: audit events, the notification outbox, heartbeats."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from core.db import NEW_ID
from core.models import AuditEvent, ChangeEvent, Heartbeat, OutboxMessage
from core.publisher import BatchPublisher

logger = logging.getLogger(__name__)

OUTBOX_MAX_ATTEMPTS = 8


def _client_ip(request: HttpRequest) -> str | None:
    # The socket peer. Behind a load balancer this is the balancer's address until the
    # deployment adds a trusted-proxy rewrite of X-Forwarded-For (not assumed here).
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record who did what to which object, when and from where."""
    event = audit_event(actor=actor, action=action, target=target, request=request, details=details)
    event.save(force_insert=True)
    return event


def audit_event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """The audit event `audit_record` saves, unsaved: for a write that inserts it together
    with its target (core.db.insert_together), whose id it then waits for (`NEW_ID`)."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    target_id = ""
    if target is not None:
        target_id = NEW_ID if target.pk is None else str(target.pk)
    return AuditEvent(
        actor=actor if is_user else None,
        actor_email=getattr(actor, "email", "") if is_user else "",
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target_id,
        ip_address=_client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""),
        details=details or {},
    )


def outbox_enqueue(
    *,
    idempotency_key: str,
    recipients: Sequence[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: Sequence[dict[str, str]] = (),
    available_at: datetime | None = None,
) -> OutboxMessage:
    """Write an email to the outbox in the caller's transaction; deliver it after commit.

    The same idempotency key twice returns the first message and sends nothing more.
    """
    return _enqueue_once(
        idempotency_key=idempotency_key,
        recipients=list(recipients),
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        attachments=list(attachments),
        available_at=available_at or timezone.now(),
    )


def _enqueue_once(*, idempotency_key: str, **fields: Any) -> OutboxMessage:
    """The outbox row for this key, written once; published after commit when it is due.
    A second call with the same key returns the first message and publishes nothing."""
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(idempotency_key=idempotency_key, **fields)
    except IntegrityError:
        return OutboxMessage.objects.get(idempotency_key=idempotency_key)
    if message.available_at <= timezone.now():
        message_id = message.pk
        transaction.on_commit(lambda: outbox_publish_soon(message_id=message_id))
    return message


@dataclass(frozen=True)
class RenderedEmail:
    """What a renderer gives back for a message queued with `outbox_enqueue_rendered_later`."""

    recipients: Sequence[str]
    subject: str
    body_text: str
    body_html: str = ""
    attachments: Sequence[dict[str, str]] = field(default_factory=tuple)


Renderer = Callable[[dict[str, Any]], RenderedEmail]
_RENDERERS: dict[str, Renderer] = {}


def outbox_renderer(name: str) -> Callable[[Renderer], Renderer]:
    """Register a function that renders an email from a message's `context` when the
    message is delivered (an app registers its renderers when its module is imported)."""

    def register(render: Renderer) -> Renderer:
        if _RENDERERS.setdefault(name, render) is not render:
            raise ValueError(f"an outbox renderer called {name!r} is already registered")
        return render

    return register


def outbox_enqueue_rendered_later(
    *, idempotency_key: str, renderer: str, context: dict[str, Any]
) -> OutboxMessage:
    """Queue an email the worker renders when it delivers it (ADR 0014): the request that
    causes it pays for one row, not for templates and attachments. Same key, same message."""
    if renderer not in _RENDERERS:
        raise ValueError(f"no outbox renderer called {renderer!r}")
    return _enqueue_once(idempotency_key=idempotency_key, renderer=renderer, context=context)


def _render(message: OutboxMessage) -> list[str]:
    """Fill in a message queued to be rendered on delivery; the fields it changed."""
    if not message.renderer or message.recipients:
        return []
    rendered = _RENDERERS[message.renderer](message.context)
    message.recipients = list(rendered.recipients)
    message.subject = rendered.subject[:255]
    message.body_text = rendered.body_text
    message.body_html = rendered.body_html
    message.attachments = list(rendered.attachments)
    return ["recipients", "subject", "body_text", "body_html", "attachments"]


def _publish_batch(message_ids: list[int]) -> None:
    from core.tasks import outbox_deliver_batch_task

    try:
        outbox_deliver_batch_task.apply_async(args=(message_ids,), retry=False)
    except Exception as exc:  # any broker failure: the rows stay pending for the sweeper
        logger.warning(
            "outbox: broker unavailable, %s messages left for the sweeper: %s",
            len(message_ids),
            type(exc).__name__,
        )


# At most 20 a task: 20 sends at EMAIL_TIMEOUT stay inside the task's soft time limit.
_publisher = BatchPublisher(_publish_batch, batch_size=20)


def outbox_publish_soon(*, message_id: int) -> None:
    """After commit: hand the message to this process's publisher thread, which sends it to
    the broker with whatever else is waiting (core.publisher), so the request does not pay
    for a publish. Published at once instead when Celery runs tasks eagerly (tests, where
    the delivery must see the test's transaction) or OUTBOX_PUBLISH_IN_BACKGROUND is off."""
    if settings.OUTBOX_PUBLISH_IN_BACKGROUND and not current_app.conf.task_always_eager:
        _publisher.put(message_id)
    else:
        outbox_publish(message_id=message_id)


def outbox_publisher_close() -> None:
    """Publish what this process's publisher holds and stop its thread."""
    _publisher.close()


def outbox_publish(*, message_id: int) -> bool:
    """Hand a message to the broker; if the broker is down the sweeper sends it later."""
    from core.tasks import outbox_deliver_task

    try:
        outbox_deliver_task.apply_async(args=(message_id,), retry=False)
    except Exception as exc:  # any broker failure: the row stays pending for the sweeper
        logger.warning(
            "outbox: broker unavailable, message %s left for the sweeper: %s",
            message_id,
            type(exc).__name__,
        )
        return False
    return True


def _send_email(message: OutboxMessage) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(message.recipients),
        # Receivers can drop a duplicate if a crash after sending made us send again.
        headers={"Message-ID": f"<{message.idempotency_key}@mecc-portal>"},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    email.send(fail_silently=False)


def outbox_deliver(*, message_id: int) -> bool:
    """Send one pending message; returns True only for the call that sent it."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None or message.available_at > timezone.now():
            return False
        message.attempts += 1
        rendered: list[str] = []
        try:
            with transaction.atomic():  # a database error rendering leaves the row writable
                rendered = _render(message)
            _send_email(message)
        except Exception as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:300]
            if message.attempts >= OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
                logger.error(
                    "outbox: message %s failed after %s attempts", message.pk, message.attempts
                )
            else:
                message.available_at = timezone.now() + timedelta(minutes=2**message.attempts)
            # A rendering that worked is kept, so the retry sends the same email.
            message.save(
                update_fields=[
                    "attempts", "last_error", "status", "available_at", "updated_at", *rendered
                ]
            )  # fmt: skip
            return False
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(
            update_fields=["attempts", "status", "sent_at", "last_error", "updated_at", *rendered]
        )
        return True


def outbox_sweep(*, limit: int = 200) -> int:
    """Deliver whatever is due and still pending (broker was down, worker was killed)."""
    due_ids = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, available_at__lte=timezone.now()
        )
        .order_by("available_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(outbox_deliver(message_id=message_id) for message_id in due_ids)


def housekeeping_run(*, keep_sent_days: int) -> dict[str, int]:
    """Delete expired sessions, the "where you are signed in" rows of sessions that have
    ended, and outbox messages sent more than `keep_sent_days` ago."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    # Every live session is in the database (accounts.sessions writes through to it), so a
    # device row without one is for a session that expired, was signed out or got a new
    # key at sign-in; allauth would only drop it when the person next opened their list.
    ended, _ = UserSession.objects.filter(
        ~models.Exists(Session.objects.filter(session_key=models.OuterRef("session_key")))
    ).delete()
    sent, _ = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENT, sent_at__lt=now - timedelta(days=keep_sent_days)
    ).delete()
    return {"sessions": sessions, "user_sessions": ended, "outbox_messages": sent}


def heartbeat_record(*, name: str) -> Heartbeat:
    """Note that a background process is alive now."""
    heartbeat, _ = Heartbeat.objects.update_or_create(
        name=name, defaults={"last_seen": timezone.now()}
    )
    return heartbeat


def change_record(*, stream: str, keys: Sequence[str]) -> None:
    """Note, in the caller's transaction, that these buckets of a stream have changed."""
    ChangeEvent.objects.bulk_create(change_events(stream=stream, keys=keys))


def change_events(*, stream: str, keys: Sequence[str]) -> list[ChangeEvent]:
    """The rows `change_record` writes, unsaved (for core.db.insert_together)."""
    now = timezone.now()
    return [ChangeEvent(stream=stream, key=key, occurred_at=now) for key in dict.fromkeys(keys)]


def changes_since(*, stream: str, after_id: int, limit: int = 10_000) -> tuple[set[str], int]:
    """Distinct changed keys after `after_id`, and the id to resume from next time."""
    rows = list(
        ChangeEvent.objects.filter(stream=stream, pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", "key")[:limit]
    )
    if not rows:
        return set(), after_id
    return {key for _, key in rows}, rows[-1][0]
