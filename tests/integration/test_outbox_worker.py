"""The notification outbox and /healthz against real PostgreSQL, Redis and a Celery worker.

ARCHITECTURE.md section 5: a message is written in the caller's transaction, delivered by
Celery after commit, and a periodic sweeper delivers whatever is left (Redis down, worker
killed). Losing Redis never loses a message, and nothing is sent twice.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import FrameType
from uuid import uuid4

import pytest
from django.db import transaction
from django.test import Client

from accounts.models import Organisation, User
from core.models import OutboxMessage
from core.services import outbox_enqueue, outbox_publish, outbox_sweep
from tests.integration.support import (
    Mailbox,
    RedisServer,
    Worker,
    start_python,
    subprocess_env,
    wait_for,
)

pytestmark = pytest.mark.integration

SWEEP_SECONDS = 2
PUBLISH_FAILS_WITHIN_SECONDS = 6.0
DELIVERY_TIMEOUT = 30.0
RECOVERY_TIMEOUT = 60.0


class Overran(BaseException):
    """Raised by `deadline` (a BaseException so `except Exception` in the code under test
    cannot swallow it)."""


@contextmanager
def deadline(seconds: float, what: str) -> Iterator[None]:
    """Abort a block that hangs instead of hanging the whole run."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Overran(f"{what} took more than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def new_key(label: str) -> str:
    return f"integration-{label}-{uuid4().hex}"


def enqueue_committed(key: str, subject: str = "Integration test") -> OutboxMessage:
    """Write an outbox email in a transaction that commits (publishing runs on commit)."""
    with transaction.atomic():
        message = outbox_enqueue(
            idempotency_key=key,
            recipients=["learner@org.nhs.example"],
            subject=subject,
            body_text=f"Body of {key}",
        )
    return message


def outbox_row(key: str) -> dict[str, object] | None:
    return (
        OutboxMessage.objects.filter(idempotency_key=key)
        .values("status", "attempts", "last_error")
        .first()
    )


def wait_for_delivery(mailbox: Mailbox, key: str, worker: Worker, timeout: float) -> list[Path]:
    """Wait for the message's email file; fail at once if sending it raised an error."""

    def delivered() -> list[Path]:
        worker.assert_alive()
        files = mailbox.files_for(key)
        row = outbox_row(key)
        if not files and row and row["last_error"]:
            pytest.fail(
                f"sending {key} failed in the worker: {row}\n{worker.log_tail()}", pytrace=False
            )
        return files

    def state() -> str:
        return (
            f"message {key} was not delivered (outbox row: {outbox_row(key)}); "
            f"{mailbox.describe()}\n{worker.log_tail()}"
        )

    return wait_for(delivered, timeout=timeout, message=state)


def test_outbox_email_is_delivered_by_the_worker_after_commit_exactly_once(
    start_worker: Callable[..., Worker],
    use_broker: Callable[[str], None],
    redis_url: str,
    mailbox: Mailbox,
) -> None:
    # The sweeper is an hour away, so only the task published on commit can deliver.
    worker = start_worker(broker_url=redis_url, sweep_seconds=3600)
    use_broker(redis_url)
    worker.wait_until_beating()

    key = new_key("commit")
    message = enqueue_committed(key)

    files = wait_for_delivery(mailbox, key, worker, DELIVERY_TIMEOUT)
    assert len(files) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    text = files[0].read_text()
    assert "Subject: Integration test" in text
    assert "To: learner@org.nhs.example" in text

    # The same idempotency key again is the same message and sends nothing more.
    assert enqueue_committed(key).pk == message.pk
    assert OutboxMessage.objects.filter(idempotency_key=key).count() == 1
    # A duplicate task for the message (as a redelivery after a lost ack would be) sends nothing.
    assert outbox_publish(message_id=message.pk)
    # A rolled-back transaction leaves no message and sends nothing.
    rolled_back = new_key("rolled-back")
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(
            idempotency_key=rolled_back,
            recipients=["x@org.nhs.example"],
            subject="never",
            body_text="never",
        )
        raise RuntimeError("roll back")
    assert not OutboxMessage.objects.filter(idempotency_key=rolled_back).exists()

    # The solo worker runs its queue in order: once this marker arrives, the duplicate task
    # above has been handled too.
    marker = new_key("marker")
    enqueue_committed(marker)
    wait_for_delivery(mailbox, marker, worker, DELIVERY_TIMEOUT)
    assert len(mailbox.files_for(key)) == 1, mailbox.describe()
    assert mailbox.files_for(rolled_back) == []
    assert len(mailbox.files()) == 2, mailbox.describe()
    message.refresh_from_db()
    assert message.attempts == 1


def test_healthz_is_ok_once_the_worker_and_beat_run(
    start_worker: Callable[..., Worker],
    use_broker: Callable[[str], None],
    redis_url: str,
    client: Client,
) -> None:
    worker = start_worker(broker_url=redis_url)
    use_broker(redis_url)

    # Before the first heartbeat the health check says the worker is missing.
    before = client.get("/healthz")
    assert before.status_code == 503, before.content
    assert "worker" in before.json()["failing"]

    first = worker.wait_until_beating()
    # Beat keeps scheduling and the worker keeps running: the heartbeat moves on.
    worker.heartbeat_after(first.last_seen, timeout=30, what="the heartbeat did not advance")

    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "broker", "worker"}
    assert all(check["ok"] for check in body["checks"].values()), body


def test_a_message_written_while_redis_is_down_is_delivered_once_redis_is_back(
    private_redis: RedisServer,
    start_worker: Callable[..., Worker],
    use_broker: Callable[[str], None],
    mailbox: Mailbox,
    client: Client,
) -> None:
    worker = start_worker(broker_url=private_redis.url, sweep_seconds=SWEEP_SECONDS)
    use_broker(private_redis.url)
    worker.wait_until_beating()
    healthy = client.get("/healthz")
    assert healthy.status_code == 200, healthy.content

    private_redis.stop()

    outage = client.get("/healthz")
    assert outage.status_code == 503, outage.content
    assert "broker" in outage.json()["failing"], outage.json()

    # Publishing fails fast and leaves the message pending for the sweeper.
    key = new_key("outage")
    started = time.monotonic()
    with deadline(30, "writing a message while Redis is down"):
        message = enqueue_committed(key)
    took = time.monotonic() - started
    assert took < PUBLISH_FAILS_WITHIN_SECONDS, f"enqueue + commit took {took:.1f}s"
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 0
    assert mailbox.files_for(key) == []

    private_redis.start()

    files = wait_for_delivery(mailbox, key, worker, RECOVERY_TIMEOUT)
    assert len(files) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.sent_at is not None

    # Two more sweep intervals of beat running (shown by the heartbeat) send nothing more.
    worker.heartbeat_after(
        message.sent_at + timedelta(seconds=2 * SWEEP_SECONDS),
        timeout=30,
        what="beat and worker did not keep running after Redis came back",
    )
    assert len(mailbox.files_for(key)) == 1, mailbox.describe()
    message.refresh_from_db()
    assert message.attempts == 1

    recovered = client.get("/healthz")
    assert recovered.status_code == 200, recovered.content


DELIVER_IN_ANOTHER_PROCESS = """
import sys, time
from pathlib import Path

import django

django.setup()
from core.services import outbox_deliver

ready, go, message_id = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
ready.touch()
give_up = time.monotonic() + 60
while not go.exists():
    if time.monotonic() > give_up:
        sys.exit("never told to go")
    time.sleep(0.002)
print("sent" if outbox_deliver(message_id=message_id) else "not sent")
"""


def test_two_processes_delivering_the_same_message_send_one_email(
    tmp_path: Path, redis_url: str, mailbox: Mailbox
) -> None:
    key = new_key("race")
    # Written directly: in this process Celery is eager, so outbox_enqueue would deliver here.
    message = OutboxMessage.objects.create(
        idempotency_key=key,
        recipients=["learner@org.nhs.example"],
        subject="Race",
        body_text="Only one of these",
    )
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    env = subprocess_env(redis_url=redis_url, mail_dir=mailbox.path, var_dir=var_dir)
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(2)]
    processes = [
        start_python(DELIVER_IN_ANOTHER_PROCESS, env, str(r), str(go), str(message.pk))
        for r in ready
    ]
    try:
        wait_for(
            lambda: all(r.exists() for r in ready) or any(p.poll() is not None for p in processes),
            timeout=60,
            message="the delivering processes did not start",
        )
        go.touch()
        outcomes = []
        for process in processes:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            outcomes.append(out.strip())
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=10)

    assert sorted(outcomes) == ["not sent", "sent"], outbox_row(key)
    assert len(mailbox.files_for(key)) == 1, mailbox.describe()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    # A sweep afterwards finds nothing left to send.
    assert outbox_sweep() == 0


def test_a_booking_email_is_rendered_by_the_worker_that_delivers_it(
    start_worker: Callable[..., Worker],
    use_broker: Callable[[str], None],
    redis_url: str,
    mailbox: Mailbox,
    make_user: Callable[..., User],
    camden_trust: Organisation,
) -> None:
    """ADR 0014: booking (one call to `training_book_places`) queues a row naming the
    renderer; after commit the id goes to this process's publisher thread; the worker
    process renders the email from the session as it is then, and sends it."""
    from accounts.models import Role
    from tests.training.factories import SessionFactory
    from training.models import Course, Session
    from training.services import booking_create

    worker = start_worker(broker_url=redis_url, sweep_seconds=3600)
    use_broker(redis_url)
    worker.wait_until_beating()
    session = SessionFactory(capacity=1)
    learner = make_user(Role.FRONTLINE_WORKER, camden_trust)
    # The rename is committed before the worker can render: the email must carry it.
    with transaction.atomic():
        booking = booking_create(session=Session(pk=session.pk), learner=learner, actor=learner)
        Course.objects.filter(pk=session.course_id).update(title="Renamed before sending")

    key = f"training:booking-confirmed:{booking.pk}"
    [file] = wait_for_delivery(mailbox, key, worker, DELIVERY_TIMEOUT)
    text = file.read_text()
    assert "Subject: You have a place: Renamed before sending" in text
    assert f"To: {learner.email}" in text
    assert "text/calendar" in text
    # This process handed the id to its publisher thread, which published a batch task.
    assert "core.tasks.outbox_deliver_batch_task" in worker.log_path.read_text()
    message = OutboxMessage.objects.get(idempotency_key=key)
    assert message.renderer == "training.booking"
    assert message.recipients == [learner.email]
    assert message.attempts == 1
