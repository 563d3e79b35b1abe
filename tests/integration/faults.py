"""Machinery for the fault tests: a PostgreSQL cluster, a portal server and HTTP clients.

Everything a fault test stops or kills is its own: a PostgreSQL cluster made with initdb in
a temporary folder, a redis-server, gunicorn and Celery processes, each on a spare loopback
port in FAULT_PORTS. The cluster holds a template database (migrated and seeded once per
run); each test works in a fresh copy of it.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from tests.integration.support import (
    ARTIFACTS,
    ROOT,
    RedisServer,
    Worker,
    _tail,
    record_pid,
    wait_for,
)

FAULT_PORTS = range(18400, 18500)
PG_BIN = Path("/usr/lib/postgresql/15/bin")
TEMPLATE_DB = "mecc_faults_template"
PASSWORD = "fault-tests-only-password-4821"
SECRET_KEY = "integration-tests-only-0123456789-abcdefghijklmnopqrstuvwxyz"
FIELD_KEY = "aW50ZWdyYXRpb24tdGVzdHMtb25seS1ub3QtYS1rZXk="
PASSTHROUGH_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "VIRTUAL_ENV")
UNAVAILABLE_TEXT = "Sorry, the service is unavailable"
HTTP_TIMEOUT = 20.0

_taken: set[int] = set()


def spare_port() -> int:
    """A free loopback port from FAULT_PORTS not handed out before in this run."""
    candidates = [p for p in FAULT_PORTS if p not in _taken]
    random.shuffle(candidates)
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _taken.add(port)
        return port
    pytest.fail(f"no free port in {FAULT_PORTS}", pytrace=False)


def _as_postgres(*command: str) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


def requirement_problems() -> list[str]:
    problems = []
    if not (PG_BIN / "initdb").exists():
        problems.append(f"{PG_BIN / 'initdb'} is missing (Debian package postgresql-15)")
    if not shutil.which("redis-server"):
        problems.append("redis-server is not on PATH")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        problems.append("runuser is missing (needed to run initdb as postgres)")
    return problems


@dataclass
class PostgresCluster:
    """A PostgreSQL cluster of the test's own; stopping it harms nothing else."""

    root: Path
    port: int
    running: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log_path(self) -> Path:
        return self.root / "postgres.log"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        subprocess.run(
            _as_postgres(
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.log_path),
                "-w",
                "-t",
                "30",
                "start",
            ),
            check=True,
            capture_output=True,
            timeout=40,
        )
        self.running = True
        pid_file = self.data / "postmaster.pid"
        record_pid(int(pid_file.read_text().split()[0]))

    def stop(self, mode: str = "fast") -> None:
        """Stop the cluster (fast: open connections are cut, as in a crash or restart)."""
        if not self.running:
            return
        subprocess.run(
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"),
            check=True,
            capture_output=True,
            timeout=60,
        )
        self.running = False

    def execute(self, sql: str, database: str = "postgres") -> None:
        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def rows(self, sql: str, database: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url(database), connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]

    def value(self, sql: str, database: str, *params: Any) -> Any:
        return self.rows(sql, database, *params)[0][0]

    def clone(self, name: str) -> str:
        """A fresh copy of the seeded template database."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"')
        return name

    def log_tail(self) -> str:
        return _tail(self.log_path, "postgres log")


def process_env(
    *, database_url: str, redis_url: str, var_dir: Path, mail_dir: Path, **extra: str
) -> dict[str, str]:
    """Production settings for a portal, worker or script process against the fault cluster."""
    env = {k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ}
    var_dir.mkdir(parents=True, exist_ok=True)
    mail_dir.mkdir(parents=True, exist_ok=True)
    env.update(
        DJANGO_SETTINGS_MODULE="mecc_portal.settings",
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        FIELD_ENCRYPTION_KEY=FIELD_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        # django-environ drops one leading slash, so filemail:////abs/path means /abs/path.
        EMAIL_URL=f"filemail:///{mail_dir}",
        CELERY_TASK_ALWAYS_EAGER="false",
        VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        SITE_URL="http://127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def run_python(code: str, env: dict[str, str], timeout: float = 120) -> str:
    """Run a Django script (`code`) to completion; its last stdout line is returned."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        pytest.fail(f"script failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def migrate_and_seed(cluster: PostgresCluster, var_dir: Path) -> dict[str, Any]:
    cluster.execute(f'CREATE DATABASE "{TEMPLATE_DB}"')
    env = process_env(
        database_url=cluster.url(TEMPLATE_DB),
        redis_url="redis://127.0.0.1:1/0",
        var_dir=var_dir,
        mail_dir=var_dir / "mail",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )
    seed: dict[str, Any] = json.loads(run_python(SEED, env))
    return seed


# Seeds the template database: a Camden trust with frontline workers, a provider with a
# service taking referrals, a commissioner with dashboards to report on, a training session
# 90 minutes away with bookings (the 2-hour reminder is due) and referrals left unanswered
# for longer than REFERRAL_RESPONSE_DAYS (the provider reminder is due).
SEED = """
import json
from datetime import timedelta

import django

django.setup()
from django.conf import settings
from django.utils import timezone
from allauth.mfa.models import Authenticator

from accounts.models import Area, Organisation, Role, RoleMembership
from core.encryption import encrypt_text
from referrals.models import ConversationSetting, MeccLevel, Outcome, Referral, Service
from tests.factories import AreaFactory, OrganisationFactory, UserFactory
from tests.referrals.activity_factories import (
    ActivityServiceFactory, ActivityTopicFactory, ConversationFactory, ReferralFactory,
)
from tests.training.factories import BookingFactory, CourseFactory, SessionFactory

PASSWORD = __PASSWORD__
partnership = AreaFactory(ons_code="E54000028", name="North Central London",
                          kind=Area.Kind.PARTNERSHIP)
camden = AreaFactory(ons_code="E09000007", name="Camden", parent=partnership)
trust = OrganisationFactory(name="Camden Trust", area=camden)
provider_org = OrganisationFactory(name="Wood Green Voluntary Action",
                                   kind=Organisation.Kind.VOLUNTARY_SECTOR, area=camden)

def user(role, organisation=None, area=None, **fields):
    person = UserFactory(organisation=organisation or trust, password=PASSWORD, **fields)
    RoleMembership.objects.create(user=person, role=role, organisation=None if area else
                                  (organisation or trust), area=area)
    return person

workers = [user(Role.FRONTLINE_WORKER, email=f"worker{n}@camden.nhs.example")
           for n in range(6)]
provider = user(Role.SERVICE_PROVIDER, provider_org, email="referrals@wgva.org.example")
commissioner = user(Role.COMMISSIONER, area=partnership, email="commissioner@ncl.nhs.example")
Authenticator.objects.create(user=commissioner, type=Authenticator.Type.TOTP,
                             data={"secret": encrypt_text("JBSWY3DPEHPK3PXP")})
topic = ActivityTopicFactory(slug="fault-smoking", name="Fault tests: smoking")
service = ActivityServiceFactory(name="Stop Smoking Camden", provider=provider_org,
                                 topics=[topic], areas=[camden])

# Dashboard figures for the report.
for months_ago in range(3):
    ConversationFactory.create_batch(5, author=workers[0], topics=[topic],
        occurred_at=timezone.now() - timedelta(days=30 * months_ago))

# Training: a session 90 minutes from now; its 2-hour reminders are due.
session = SessionFactory(course=CourseFactory(provider=trust), organisation=trust,
                         starts_at=timezone.now() + timedelta(minutes=90),
                         ends_at=timezone.now() + timedelta(minutes=270), capacity=20)
learners = [UserFactory(organisation=trust, email=f"learner{n}@camden.nhs.example")
            for n in range(8)]
bookings = [BookingFactory(session=session, learner=learner,
                           confirmed_at=timezone.now() - timedelta(days=3))
            for learner in learners]

# Referrals nobody has answered for longer than REFERRAL_RESPONSE_DAYS.
old = timezone.now() - timedelta(days=settings.REFERRAL_RESPONSE_DAYS + 1)
waiting = [ReferralFactory(conversation=ConversationFactory(author=workers[1], topics=[topic]),
                           service=service, topic=topic) for _ in range(4)]
Referral.objects.filter(pk__in=[r.pk for r in waiting]).update(created_at=old)

print(json.dumps({
    "workers": [w.email for w in workers],
    "commissioner_id": commissioner.pk,
    "topic": topic.pk,
    "area": camden.pk,
    "service": str(service.uuid),
    "mecc_level": MeccLevel.VERY_BRIEF_ADVICE.value,
    "outcome": Outcome.SIGNPOSTED.value,
    "setting": ConversationSetting.OUTPATIENTS.value,
    "bookings": [b.pk for b in bookings],
    "waiting_referrals": [str(r.uuid) for r in waiting],
}))
""".replace("__PASSWORD__", repr(PASSWORD))


@dataclass
class PortalServer:
    """gunicorn serving the portal (production settings) on a spare loopback port."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=spare_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = dict(self.env, DJANGO_SETTINGS_MODULE="tests.integration.fault_settings")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "mecc_portal.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "2",
                    "--access-logfile",
                    "-",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        record_pid(self.process.pid)

        def answers() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.log_tail()}", pytrace=False)
            with contextlib.suppress(requests.RequestException):
                return requests.get(f"{self.url}/accounts/login/", timeout=5).status_code == 200
            return False

        wait_for(answers, timeout=60, interval=0.3, message=lambda: f"no portal\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self.process = None

    def log_tail(self) -> str:
        return _tail(self.log_path, "gunicorn log")


@dataclass
class Outcome:
    """One request a client made: what it was, the status, and a piece of the page."""

    what: str
    status: int
    at: float
    text: str = ""


class PortalClient:
    """A frontline worker's browser: signs in, logs conversations, makes referrals."""

    def __init__(self, base_url: str, email: str, seed: dict[str, Any]) -> None:
        self.base_url = base_url
        self.email = email
        self.seed = seed
        self.http = requests.Session()
        self.outcomes: list[Outcome] = []
        self.conversations: list[str] = []
        self.referrals: list[str] = []

    def _token(self) -> str:
        return str(self.http.cookies.get("csrftoken", ""))

    def _record(self, what: str, response: requests.Response | None, error: str = "") -> None:
        if response is None:
            self.outcomes.append(Outcome(what, 0, time.monotonic(), error))
        else:
            self.outcomes.append(
                Outcome(what, response.status_code, time.monotonic(), response.text[:3000])
            )

    def sign_in(self) -> None:
        page = self.http.get(f"{self.base_url}/accounts/login/", timeout=HTTP_TIMEOUT)
        assert page.status_code == 200, page.text[:2000]
        response = self.http.post(
            f"{self.base_url}/accounts/login/",
            data={"csrfmiddlewaretoken": self._token(), "login": self.email, "password": PASSWORD},
            timeout=HTTP_TIMEOUT,
            allow_redirects=False,
        )
        assert response.status_code == 302, (response.status_code, response.text[:3000])
        # The session is keyed again at sign-in: read the new CSRF token from a form page.
        form = self.http.get(f"{self.base_url}/conversations/new/", timeout=HTTP_TIMEOUT)
        assert form.status_code == 200, form.text[:2000]

    def _post(self, what: str, path: str, data: dict[str, Any]) -> str | None:
        """POST a form; the path it redirected to on success (after following it), else None."""
        try:
            response = self.http.post(
                f"{self.base_url}{path}",
                data={**data, "csrfmiddlewaretoken": self._token()},
                timeout=HTTP_TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            self._record(what, None, type(exc).__name__)
            return None
        self._record(what, response)
        if response.status_code != 302:
            return None
        location = response.headers["Location"]
        try:
            page = self.http.get(f"{self.base_url}{location}", timeout=HTTP_TIMEOUT)
        except requests.RequestException as exc:
            self._record(f"{what} (page after)", None, type(exc).__name__)
            return location
        self._record(f"{what} (page after)", page)
        return location

    def log_conversation(self) -> str | None:
        location = self._post(
            "log conversation",
            "/conversations/new/",
            {
                "topics": [self.seed["topic"]],
                "area": self.seed["area"],
                "mecc_level": self.seed["mecc_level"],
                "outcome": self.seed["outcome"],
                "setting": self.seed["setting"],
            },
        )
        match = re.fullmatch(r"/conversations/([0-9a-f-]{36})/", location or "")
        if match is None:
            return None
        self.conversations.append(match.group(1))
        return match.group(1)

    def refer(self, conversation: str) -> str | None:
        location = self._post(
            "make referral",
            f"/conversations/{conversation}/refer/{self.seed['service']}/",
            {
                "consent": "on",
                "contact_name": "Resident For Fault Tests",
                "contact_phone": "07700 900000",
            },
        )
        match = re.fullmatch(r"/referrals/([0-9a-f-]{36})/", location or "")
        if match is None:
            return None
        self.referrals.append(match.group(1))
        return match.group(1)


@contextlib.contextmanager
def running(clients: list[PortalClient], step: Any) -> Iterator[threading.Event]:
    """Each client runs `step(client)` in its own thread, again and again, until the block
    ends; an exception in a thread fails the test."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def loop(client: PortalClient) -> None:
        try:
            while not stop.is_set():
                step(client)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    try:
        yield stop
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=HTTP_TIMEOUT * 3)
    if errors:
        raise errors[0]
    assert not any(t.is_alive() for t in threads), "a client thread did not stop"


def message_ids(mail_dir: Path) -> list[str]:
    """The Message-ID of every email the file backend wrote (one per message sent)."""
    ids: list[str] = []
    if not mail_dir.exists():
        return ids
    for path in sorted(mail_dir.iterdir()):
        for message in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n"):
            found = re.search(r"^Message-ID:\s*<([^>]+)@mecc-portal>", message, re.MULTILINE)
            if found:
                ids.append(found.group(1))
    return ids


@dataclass
class FaultStack:
    """One test's processes against its own copy of the seeded database."""

    cluster: PostgresCluster
    seed: dict[str, Any]
    database: str
    workdir: Path
    redis: RedisServer
    portal: PortalServer | None = None
    workers: list[Worker] = field(default_factory=list)

    @property
    def mail_dir(self) -> Path:
        return self.workdir / "mail"

    def env(self, name: str, **extra: str) -> dict[str, str]:
        return process_env(
            database_url=self.cluster.url(self.database),
            redis_url=self.redis.url,
            var_dir=self.workdir / f"var-{name}",
            mail_dir=self.mail_dir,
            **extra,
        )

    def start_portal(self) -> PortalServer:
        self.portal = PortalServer(env=self.env("portal"), log_path=self.workdir / "portal.log")
        self.portal.start()
        return self.portal

    def start_worker(self, *, pool: str = "solo", **extra: str) -> Worker:
        number = len(self.workers)
        env = self.env(f"worker-{number}", OUTBOX_SWEEP_SECONDS="2", HEARTBEAT_SECONDS="2", **extra)
        worker = Worker(
            env=env,
            log_path=self.workdir / f"worker-{number}.log",
            module="tests.integration.fault_celery",
            pool=pool,
        )
        self.workers.append(worker)
        worker.start()
        return worker

    def clients(self, count: int) -> list[PortalClient]:
        assert self.portal is not None, "start the portal first"
        clients = [
            PortalClient(self.portal.url, email, self.seed)
            for email in self.seed["workers"][:count]
        ]
        for client in clients:
            client.sign_in()
        return clients

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.cluster.rows(sql, self.database, *params)

    def value(self, sql: str, *params: Any) -> Any:
        return self.cluster.value(sql, self.database, *params)

    def logs(self) -> str:
        parts = [self.cluster.log_tail(), self.redis.log_tail()]
        if self.portal is not None:
            parts.append(self.portal.log_tail())
        parts += [worker.log_tail() for worker in self.workers]
        return "\n".join(parts)


@pytest.fixture(scope="session")
def fault_cluster() -> Iterator[tuple[PostgresCluster, dict[str, Any]]]:
    """A PostgreSQL cluster of our own with a migrated, seeded template database."""
    problems = requirement_problems()
    if problems:
        pytest.fail("The fault tests need:\n  - " + "\n  - ".join(problems), pytrace=False)
    # Not under pytest's temporary folder: the postgres user cannot enter root's 0700 one.
    root = Path(tempfile.mkdtemp(prefix="mecc-faults-pg-"))
    os.chmod(root, 0o711)  # noqa: S103 (no read or write for others: postgres must enter)
    cluster = PostgresCluster(root=root / "cluster", port=spare_port())
    try:
        started = time.monotonic()
        cluster.init()
        cluster.start()
        seed = migrate_and_seed(cluster, root / "seed-var")
        print(f"\nfault cluster: initdb, migrate and seed took {time.monotonic() - started:.1f}s")
        yield cluster, seed
    finally:
        with contextlib.suppress(Exception):
            cluster.stop("immediate")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if cluster.log_path.exists():
            shutil.copy(cluster.log_path, ARTIFACTS / "faults-postgres.log")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def fault_stack(
    request: pytest.FixtureRequest,
    fault_cluster: tuple[PostgresCluster, dict[str, Any]],
    tmp_path: Path,
) -> Iterator[FaultStack]:
    cluster, seed = fault_cluster
    if not cluster.running:  # a failed test may have left it stopped
        cluster.start()
    name = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40]
    database = cluster.clone(f"mecc_faults_{name}")
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    stack = FaultStack(
        cluster=cluster,
        seed=seed,
        database=database,
        workdir=tmp_path,
        redis=RedisServer(port=spare_port(), workdir=redis_dir),
    )
    stack.redis.start()
    try:
        yield stack
    finally:
        stopping = time.monotonic()
        # Nothing to finish gracefully: a crash-stop is quicker and what the tests are about.
        for worker in stack.workers:
            worker.kill()
        if stack.portal is not None:
            stack.portal.stop()
        stack.redis.stop()
        if not cluster.running:
            cluster.start()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for log in tmp_path.glob("*.log"):
            shutil.copy(log, ARTIFACTS / f"{request.node.name}-{log.name}")
        with contextlib.suppress(Exception):
            cluster.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        print(f"\n{request.node.name}: stopped in {time.monotonic() - stopping:.1f}s")


def wait_until_beating(stack: FaultStack, worker: Worker, *, after: Any = None) -> Any:
    """Wait for a worker heartbeat newer than `after` (default: now) in the stack's database:
    beat scheduled it and a worker ran it."""
    moment = after if after is not None else stack.value("SELECT now()")

    def fresh() -> Any:
        worker.assert_alive()
        rows = stack.rows(
            "SELECT last_seen FROM core_heartbeat WHERE name = 'worker' AND last_seen > %s",
            moment,
        )
        return rows[0][0] if rows else None

    return wait_for(fresh, timeout=60, interval=0.25, message=stack.logs)
