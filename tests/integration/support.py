"""Helpers for the integration tests: real processes, bounded waits, the mail folder."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import pytest
import redis
from django.db import connection
from django.utils import timezone

from core.models import Heartbeat
from core.tasks import WORKER_HEARTBEAT

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "integration"
# Environment passed through to subprocesses; everything else is set explicitly so nothing
# from the test process (CELERY_TASK_ALWAYS_EAGER, EMAIL_URL=memorymail://, ...) leaks in.
PASSTHROUGH_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "VIRTUAL_ENV")
KOMBU_KEYS = ("celery", "unacked", "unacked_index", "unacked_mutex")
WORKER_START_TIMEOUT = 60.0

T = TypeVar("T")


def wait_for(
    condition: Callable[[], T | None],
    *,
    timeout: float,
    message: str | Callable[[], str],
    interval: float = 0.2,
) -> T:
    """Poll `condition` until it returns something truthy; fail with `message` at `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            text = message() if callable(message) else message
            pytest.fail(f"Timed out after {timeout:g}s: {text}", pytrace=False)
        time.sleep(interval)


def database_url() -> str:
    """A DATABASE_URL for the database this test run uses (the test_* database)."""
    s = connection.settings_dict
    user = quote(str(s.get("USER") or ""), safe="")
    password = quote(str(s.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{quote(str(s['NAME']), safe='')}"


def clear_celery_queue(url: str) -> None:
    """Drop queued and unacknowledged tasks an earlier worker left on this broker."""
    redis.Redis.from_url(url, socket_connect_timeout=2).delete(*KOMBU_KEYS)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def subprocess_env(
    *, redis_url: str, mail_dir: Path, var_dir: Path, **extra: str
) -> dict[str, str]:
    """Production-like settings for a worker or helper process that uses the test database."""
    env = {k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="mecc_portal.settings",
        DEBUG="false",
        SECRET_KEY="integration-tests-only-0123456789-abcdefghijklmnopqrstuvwxyz",
        FIELD_ENCRYPTION_KEY="aW50ZWdyYXRpb24tdGVzdHMtb25seS1ub3QtYS1rZXk=",
        ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        # django-environ drops one leading slash, so filemail:////abs/path means /abs/path.
        EMAIL_URL=f"filemail:///{mail_dir}",
        CELERY_TASK_ALWAYS_EAGER="false",
        VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def record_pid(pid: int) -> None:
    """Note a process this run started so `.ci/run` can stop it if pytest itself is killed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (ARTIFACTS / "pids").open("a", encoding="utf-8") as pids:
        pids.write(f"{pid}\n")


def _tail(path: Path, title: str, chars: int = 4000) -> str:
    """The end of a log, without the routine heartbeat lines that would crowd it out."""
    if not path.exists():
        return f"(no {title})"
    lines = [
        line
        for line in path.read_text(errors="replace").splitlines()
        if "heartbeat_task" not in line and "due task heartbeat" not in line
    ]
    return f"--- {title} (tail, heartbeats left out) ---\n" + "\n".join(lines)[-chars:]


@dataclass
class RedisServer:
    """A redis-server subprocess on a spare loopback port: stopping it harms nothing else."""

    port: int
    workdir: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log_path(self) -> Path:
        return self.workdir / "redis.log"

    def start(self) -> None:
        assert self.process is None, "redis-server is already running"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    shutil.which("redis-server") or "redis-server",
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                    "--dir",
                    str(self.workdir),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        record_pid(self.process.pid)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def answers() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                pytest.fail(f"redis-server on port {self.port} exited:\n{self.log_tail()}")
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_for(
            answers,
            timeout=15,
            interval=0.05,
            message=lambda: f"redis-server on port {self.port} did not answer",
        )

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def log_tail(self) -> str:
        return _tail(self.log_path, "redis log")


@dataclass
class Worker:
    """`celery worker -B` (worker plus embedded beat) in its own process group."""

    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    started_at: datetime | None = None
    extra_args: list[str] = field(default_factory=list)
    # `python -m <module>`: "celery", or tests.integration.fault_celery (celery plus hooks).
    module: str = "celery"
    pool: str = "solo"
    beat: bool = True

    def start(self) -> None:
        assert self.process is None, "worker is already running"
        self.started_at = timezone.now()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    self.module,
                    "-A",
                    "mecc_portal",
                    "worker",
                    *(["-B"] if self.beat else []),
                    "--loglevel=INFO",
                    "--concurrency=1",
                    f"--pool={self.pool}",
                    "--without-gossip",
                    "--without-mingle",
                    "-n",
                    f"integration-{os.getpid()}-{time.monotonic_ns()}@%h",
                    *self.extra_args,
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        record_pid(self.process.pid)

    def assert_alive(self) -> None:
        assert self.process is not None, "worker not started"
        if self.process.poll() is not None:
            pytest.fail(
                f"the Celery worker exited with code {self.process.returncode}\n{self.log_tail()}",
                pytrace=False,
            )

    def heartbeat_after(self, moment: datetime, timeout: float, what: str) -> Heartbeat:
        """Wait for a heartbeat newer than `moment`: beat scheduled it and the worker ran it."""

        def fresh() -> Heartbeat | None:
            self.assert_alive()
            return Heartbeat.objects.filter(name=WORKER_HEARTBEAT, last_seen__gt=moment).first()

        return wait_for(
            fresh, timeout=timeout, interval=0.25, message=lambda: f"{what}\n{self.log_tail()}"
        )

    def wait_until_beating(self, timeout: float = WORKER_START_TIMEOUT) -> Heartbeat:
        assert self.started_at is not None, "worker not started"
        return self.heartbeat_after(
            self.started_at, timeout, "no heartbeat from the new worker and beat"
        )

    def stop(self) -> None:
        if self.process is None:
            return
        pid = self.process.pid
        self._signal_group(pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._signal_group(pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # Embedded beat or a pool child may outlive the parent: make sure the group is gone.
        self._signal_group(pid, signal.SIGKILL)
        self.process = None

    def kill(self) -> None:
        """SIGKILL the whole worker (parent, pool children, embedded beat): a crash."""
        if self.process is None:
            return
        self._signal_group(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    @staticmethod
    def _signal_group(pid: int, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)

    def log_tail(self) -> str:
        return _tail(self.log_path, "worker log")


@dataclass
class Mailbox:
    """The file email backend's folder: one file per message sent."""

    path: Path

    def files(self) -> list[Path]:
        return sorted(p for p in self.path.iterdir() if p.is_file())

    def files_for(self, idempotency_key: str) -> list[Path]:
        """Messages carrying this outbox key (its Message-ID is <key@mecc-portal>)."""
        needle = f"<{idempotency_key}@mecc-portal>"
        return [p for p in self.files() if needle in p.read_text(errors="replace")]

    def describe(self) -> str:
        return f"{len(self.files())} file(s) in {self.path}: {[p.name for p in self.files()]}"


def start_python(code: str, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """Start `python -c code args...` from the repository root with exactly `env`."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
