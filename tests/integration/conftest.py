"""Integration fixtures: the real PostgreSQL test database, Redis and Celery worker processes.

Nothing here is mocked. Each test starts its own worker (with embedded beat) as a subprocess
that reads the *test* database and sends email with Django's file backend into a temporary
folder (one file per message, so deliveries can be counted); it is killed at teardown.

These tests never skip: without PostgreSQL and REDIS_URL they fail, saying what is missing.
`make test` deselects them by marker; `.ci/run` provides both servers.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import kombu.pools
import pytest
import redis
from django.db import connection

from mecc_portal.celery import app as celery_app
from tests.integration.faults import fault_cluster, fault_stack  # noqa: F401 (fixtures)
from tests.integration.support import (
    ARTIFACTS,
    Mailbox,
    RedisServer,
    Worker,
    clear_celery_queue,
    free_port,
    subprocess_env,
)

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/integration is an integration test, even if a marker is missed."""
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.integration)


def _requirement_problems() -> list[str]:
    problems = []
    if connection.vendor != "postgresql":
        problems.append(
            f"the test database is {connection.vendor}, not PostgreSQL "
            "(set DATABASE_URL=postgres://postgres@127.0.0.1:5432/mecc_ci)"
        )
    url = os.environ.get("REDIS_URL", "")
    if not url:
        problems.append("REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379/15)")
    else:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            problems.append(f"Redis at REDIS_URL={url} does not answer: {type(exc).__name__}")
    return problems


@pytest.fixture(autouse=True)
def _require_postgres_and_redis(transactional_db: None) -> None:
    """Fail, never skip, when the real services are missing."""
    problems = _requirement_problems()
    if problems:
        where = " (CI=true: they must run in CI)" if os.environ.get("CI") == "true" else ""
        pytest.fail(
            f"Integration tests need real PostgreSQL and Redis{where}:\n  - "
            + "\n  - ".join(problems)
            + "\nRun them with `bash .ci/run`, or deselect them with -m 'not integration'.",
            pytrace=False,
        )


@pytest.fixture
def redis_url() -> str:
    return os.environ["REDIS_URL"]


def _reset_celery_pools() -> None:
    """Forget broker connections made for the previous URL (kombu caches them globally)."""
    kombu.pools.reset()
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def use_broker() -> Iterator[Callable[[str], None]]:
    """Make this process publish to a real broker (tests/settings.py makes Celery eager)."""
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}

    def use(url: str) -> None:
        celery_app.conf.task_always_eager = False
        celery_app.conf.broker_url = url
        _reset_celery_pools()

    yield use
    for key, value in saved.items():
        celery_app.conf[key] = value
    _reset_celery_pools()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own on a spare port; stopped at teardown."""
    workdir = tmp_path / "redis"
    workdir.mkdir()
    server = RedisServer(port=free_port(), workdir=workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mailbox(tmp_path: Path) -> Mailbox:
    path = tmp_path / "mail"
    path.mkdir()
    return Mailbox(path)


@pytest.fixture
def start_worker(
    request: pytest.FixtureRequest, tmp_path: Path, mailbox: Mailbox
) -> Iterator[Callable[..., Worker]]:
    """Start `celery worker -B` on a broker; every worker started is killed at teardown."""
    workers: list[Worker] = []

    def start(*, broker_url: str, sweep_seconds: int = 2, heartbeat_seconds: int = 2) -> Worker:
        number = len(workers)
        var_dir = tmp_path / f"var-{number}"
        var_dir.mkdir()
        clear_celery_queue(broker_url)
        env = subprocess_env(
            redis_url=broker_url,
            mail_dir=mailbox.path,
            var_dir=var_dir,
            OUTBOX_SWEEP_SECONDS=str(sweep_seconds),
            HEARTBEAT_SECONDS=str(heartbeat_seconds),
        )
        worker = Worker(env=env, log_path=tmp_path / f"worker-{number}.log")
        workers.append(worker)
        worker.start()
        return worker

    yield start
    for worker in workers:
        worker.stop()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for number, worker in enumerate(workers):
        if worker.log_path.exists():
            shutil.copy(worker.log_path, ARTIFACTS / f"{request.node.name}-worker-{number}.log")
