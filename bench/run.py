"""`make bench`: every measurement of docs/performance.md in one run, one JSON document.

Environment (all optional):
  BENCH_DATABASE_SERVER  postgres://user@host:port of a PostgreSQL the bench may create
                         databases on (default postgres://postgres@127.0.0.1:5432)
  BENCH_PORT             loopback port for gunicorn (default 18231)
  BENCH_QUICK=1          100,000 instead of 1,000,000 conversations, shorter load phases
  BENCH_REUSE=1          keep databases an earlier run built (faster, less faithful)
  BENCH_WORKERS / BENCH_THREADS  gunicorn worker processes and threads (default 3 / 8)
  BENCH_WORKER_CLASS     gunicorn worker class (default core.gunicorn_worker.BalancedThreadWorker,
                         gthread with connections spread evenly, as the Dockerfile runs;
                         gthread for gunicorn's own; sync ignores threads)
  BENCH_REDIS_URL        Redis for the cache, sessions and Celery broker, as in production
                         (default redis://127.0.0.1:6379/14, flushed at the start; set it
                         empty to measure the zero-setup mode: database cache and sessions)
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psycopg

from bench.client import Client, summary

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
QUICK = os.environ.get("BENCH_QUICK") == "1"
REUSE = os.environ.get("BENCH_REUSE") == "1"
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
PORT = int(os.environ.get("BENCH_PORT", "18231"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "core.gunicorn_worker.BalancedThreadWorker")
WORKER_CONNECTIONS = int(os.environ.get("BENCH_WORKER_CONNECTIONS", "1000"))
REUSE_PORT = os.environ.get("BENCH_REUSE_PORT", "0") == "1"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SMALL, LARGE = 10_000, (100_000 if QUICK else 1_000_000)
LOAD_SECONDS = 20 if QUICK else 30
LOCUST_SECONDS = 30 if QUICK else 120
LOCUST_USERS = 50
DASHBOARD_REQUESTS = 60
REFRESH_ROUNDS, REFRESH_SIZE = (3 if QUICK else 5), 10_000
BOOKERS = 100

# Synthetic data only: a fixed key so a reused database still decrypts.
FIELD_KEY = base64.urlsafe_b64encode(b"mecc-bench-only-synthetic-data!!").decode()


def log(text: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {text}\n")
    sys.stderr.flush()


def database_name(size: int) -> str:
    return "mecc_bench_" + (f"{size // 1_000_000}m" if size >= 1_000_000 else f"{size // 1000}k")


def environment(database: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_", "CELERY_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "mecc_portal.settings",
            "DATABASE_URL": f"{SERVER}/{database}",
            "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "FIELD_ENCRYPTION_KEY": FIELD_KEY,
            "DEMO_PASSWORD": DEMO_PASSWORD,
            "VAR_DIR": str(OUT / "var"),
            "STATIC_ROOT": str(OUT / "static"),
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "WARNING",
            # The dashboard figure is the cost of reading the rollups, not of a cache hit.
            "DASHBOARD_CACHE_SECONDS": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    if REDIS_URL:
        env["REDIS_URL"] = REDIS_URL
    return env


def redis_ready() -> None:
    """Fail early and clearly when the Redis the bench is told to use is not there."""
    if not REDIS_URL:
        return
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        raise SystemExit(
            f"bench: cannot use Redis at {REDIS_URL} ({error}); start it, point "
            "BENCH_REDIS_URL at one, or set BENCH_REDIS_URL= to measure without Redis"
        ) from error


SECRET_KEY = secrets.token_urlsafe(50)
DEMO_PASSWORD = f"bench-{secrets.token_urlsafe(12)}"


def manage(database: str, *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=environment(database),
        check=True,
        stdout=sys.stderr,
    )


def django_json(database: str, *args: str) -> Any:
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [PYTHON, "-m", "bench.prepare", *args],
        cwd=ROOT,
        env=environment(database),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def database_exists(database: str) -> bool:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        return row is not None


def build(size: int) -> dict[str, Any]:
    """Drop, create, migrate and fill one database; seconds each step took."""
    database = database_name(size)
    if REUSE and database_exists(database):
        log(f"reusing {database}")
        return {"database": database, "reused": True}
    log(f"building {database} with {size:,} conversations")
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    started = time.perf_counter()
    manage(database, "migrate", "--noinput", "-v0")
    manage(database, "createcachetable")
    migrated = time.perf_counter()
    manage(database, "generate_data", "--conversations", str(size), "--seed", "1")
    generated = time.perf_counter()
    with psycopg.connect(f"{SERVER}/{database}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {
        "database": database,
        "conversations": size,
        "migrate_seconds": round(migrated - started, 1),
        "generate_data_seconds": round(generated - migrated, 1),
        "vacuum_analyze_seconds": round(time.perf_counter() - generated, 1),
    }


class Server:
    """gunicorn on loopback, serving one bench database."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                PYTHON, "-m", "gunicorn", "mecc_portal.wsgi:application",
                "--bind", f"127.0.0.1:{PORT}", "--workers", str(WORKERS),
                "--threads", str(THREADS), "--worker-class", WORKER_CLASS,
                "--worker-connections", str(WORKER_CONNECTIONS),
                "--backlog", "512", "--timeout", "120", "--keep-alive", "75",
                "--log-level", "warning", *(["--reuse-port"] if REUSE_PORT else []),
            ],
            cwd=ROOT,
            env=environment(self.database),
            start_new_session=True,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline:
            status, _, _ = Client(PORT).request("GET", "/livez")
            if status == 200:
                return self
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

    def worker_pids(self) -> list[int]:
        assert self.process is not None  # noqa: S101
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def sequential(client: Client, path: str, count: int, warmup: int = 5) -> dict[str, Any]:
    for _ in range(warmup):
        client.request("GET", path)
    times, statuses = [], []
    for _ in range(count):
        status, ms, _ = client.request("GET", path)
        times.append(ms)
        statuses.append(status)
    return {**summary(times), "non_200": sum(1 for s in statuses if s != 200)}


def conversation_form(info: dict[str, Any], index: int) -> list[tuple[str, Any]]:
    topics = info["topic_ids"]
    return [
        ("topics", topics[index % len(topics)]),
        ("topics", topics[(index * 7 + 3) % len(topics)]),
        ("area", info["area_id"]),
        ("mecc_level", "very_brief_advice"),
        ("outcome", "information_given"),
        ("setting", "outpatients"),
        ("age_band", "45_54"),
        ("sex", "female"),
        ("ethnic_group", "white"),
        ("postcode_district", "N17"),
        ("another", "1"),
    ]


CLIENT = (
    "bench/loadgen.py: asyncio keep-alive HTTP/1.1 clients in a separate process; each "
    "connection opened and warmed with one GET /livez before the clock starts"
)


def _process_cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def drive(server: Server, plan: dict[str, Any]) -> dict[str, Any]:
    """Run one phase in the load generator process; its samples and who used the CPU."""
    pids = [server.process.pid, *server.worker_pids()] if server.process else []
    server_before, (busy_before, total_before) = _process_cpu_seconds(pids), _machine_ticks()
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [PYTHON, "-m", "bench.loadgen"],
        input=json.dumps({"port": PORT, "warmup_path": "/livez", **plan}),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{done.stderr[-3000:]}")
    busy_after, total_after = _machine_ticks()
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    cpus = os.cpu_count() or 1
    result["cpu"] = {
        "client_cpu_seconds": round(result["client_cpu_seconds"], 2),
        "client_share_of_machine": round(
            result["client_cpu_seconds"] / (result["seconds"] * cpus), 3
        ),
        "gunicorn_cpu_seconds": round(_process_cpu_seconds(pids) - server_before, 2),
        "machine_busy_share": round(
            (busy_after - busy_before) / max(1, total_after - total_before), 3
        ),
        "measured": "client: getrusage of the load generator during the timed phase; gunicorn "
        "and machine: /proc over the load generator's whole run (start-up and warm-up "
        "included)",
    }
    return result


def connections_per_worker(
    server: Server, after_seconds: float
) -> tuple[threading.Thread, dict[str, int]]:
    """How the clients' keep-alive connections ended up spread over the gunicorn workers.

    Each connection stays with the worker that accepted it, so an uneven spread is a worker
    serving more clients with the same share of the CPU: it shows in the p95. Read from
    /proc (the sockets each worker holds that are established on the bench port).
    """
    found: dict[str, int] = {}

    def count() -> None:
        time.sleep(after_seconds)
        inodes: dict[str, str] = {}
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(OSError):
                for line in Path(table).read_text().splitlines()[1:]:
                    fields = line.split()
                    port = int(fields[1].rsplit(":", 1)[1], 16)
                    if port == PORT and fields[3] == "01":  # ESTABLISHED on our port
                        inodes[fields[9]] = fields[2]
        for pid in server.worker_pids():
            held = 0
            with contextlib.suppress(OSError):
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    with contextlib.suppress(OSError):
                        target = os.readlink(fd)
                        if target.startswith("socket:[") and target[8:-1] in inodes:
                            held += 1
            found[str(pid)] = held

    thread = threading.Thread(target=count, daemon=True)
    thread.start()
    return thread, found


def _latencies(result: dict[str, Any]) -> list[float]:
    return [float(ms) for _, ms, _ in result["samples"]]


def measure_load(info: dict[str, Any], database: str, server: Server) -> dict[str, Any]:
    """The framework floor and the conversation POST, each with 20 concurrent clients."""
    writers = info["writer_cookies"]
    floor_plan = {
        "mode": "closed_loop",
        "seconds": LOAD_SECONDS / 2,
        "clients": [
            {"cookie": c, "requests": [{"method": "GET", "path": "/livez"}]} for c in writers
        ],
    }
    post_plan = {
        "mode": "closed_loop",
        "seconds": LOAD_SECONDS,
        "clients": [
            {
                "cookie": cookie,
                "requests": [
                    {
                        "method": "POST",
                        "path": "/conversations/new/",
                        "form": conversation_form(info, index + sent),
                    }
                    for sent in range(1, 41)
                ],
            }
            for index, cookie in enumerate(writers)
        ],
    }
    counting, floor_spread = connections_per_worker(server, after_seconds=LOAD_SECONDS / 6)
    floor = drive(server, floor_plan)
    counting.join()
    ids = {"writer_ids": info["writer_ids"], "session_id": info["booking_session_id"]}
    before = django_json(database, "counts", json.dumps(ids))["conversations"]
    counting, spread = connections_per_worker(server, after_seconds=LOAD_SECONDS / 3)
    post = drive(server, post_plan)
    counting.join()
    after = django_json(database, "counts", json.dumps(ids))["conversations"]
    # Success is the redirect after a save (POST/redirect/GET); a 200 is the form shown
    # again with errors, so it counts as an error here.
    saved_responses = sum(
        1
        for status, _, location in post["samples"]
        if status == 302 and "/conversations/new/" in location
    )
    errors = len(post["samples"]) - saved_responses
    floor_stats = summary(_latencies(floor))
    post_stats = summary(_latencies(post))
    return {
        "concurrent_clients": 20,
        "client": CLIENT,
        "floor_get_livez": {
            **floor_stats,
            "per_second": round(len(floor["samples"]) / floor["seconds"], 1),
            "errors": sum(1 for status, _, _ in floor["samples"] if status != 200),
            "cpu": floor["cpu"],
            # The floor's p50 depends on this too: clients on a lightly loaded worker are
            # answered at once, which pulls the median below the mean (docs/performance.md).
            "connections_per_worker": sorted(floor_spread.values(), reverse=True),
        },
        "log_conversation_post": {
            **post_stats,
            "seconds": round(post["seconds"], 1),
            "saved_responses": saved_responses,
            "errors": errors,
            "rows_saved": after - before,
            "saved_per_second": round((after - before) / post["seconds"], 1),
            "rows_equal_saved_responses": after - before == saved_responses,
            "cpu": post["cpu"],
            "connections_per_worker": sorted(spread.values(), reverse=True),
        },
        "post_p50_over_floor_p50": round(post_stats["median_ms"] / floor_stats["median_ms"], 2),
    }


def measure_export(info: dict[str, Any], server: Server) -> dict[str, Any]:
    """Stream the conversation CSV of every conversation; peak RSS growth of the workers."""
    pids = server.worker_pids()
    baseline = {pid: rss_kib(pid) for pid in pids}
    peak = dict(baseline)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], rss_kib(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    lines = [0]

    def count(chunk: bytes) -> None:
        lines[0] += chunk.count(b"\n")

    status, ms, _ = Client(PORT, info["admin_cookie"]).request(
        "GET", "/conversations/organisation/export.csv", sink=count
    )
    done.set()
    sampler.join()
    rows = max(0, lines[0] - 1)  # the header line
    growth = max(peak[pid] - baseline[pid] for pid in pids) / 1024
    return {
        "status": status,
        "rows": rows,
        "seconds": round(ms / 1000, 2),
        "rows_per_second": round(rows / (ms / 1000)),
        "peak_rss_growth_mb": round(growth, 1),
        "measured": "VmRSS of every gunicorn worker sampled every 20 ms; the largest growth",
    }


def measure_bookings(info: dict[str, Any], database: str, server: Server) -> dict[str, Any]:
    """100 learners press "Book" at the same moment for a session with 10 places; then, for
    reference, the same 100 connections ask for the framework floor (GET /livez) at once."""
    path = f"/training/sessions/{info['booking_session_id']}/book/"
    cookies = info["booker_cookies"]
    booking = drive(
        server,
        {
            "mode": "burst",
            "clients": [
                {"cookie": c, "requests": [{"method": "POST", "path": path, "form": []}]}
                for c in cookies
            ],
        },
    )
    floor = drive(
        server,
        {
            "mode": "burst",
            "clients": [
                {"cookie": c, "requests": [{"method": "GET", "path": "/livez"}]} for c in cookies
            ],
        },
    )
    ids = {"writer_ids": info["writer_ids"], "session_id": info["booking_session_id"]}
    outcome = django_json(database, "counts", json.dumps(ids))
    stats = summary(_latencies(booking))
    floor_stats = summary(_latencies(floor))
    return {
        "requests": len(booking["samples"]),
        "client": CLIENT,
        "errors": sum(1 for status, _, _ in booking["samples"] if status != 302),
        "booked": outcome["booked"],
        "waitlisted": outcome["waitlisted"],
        **stats,
        "burst_seconds": round(booking["seconds"], 3),
        "client_cpu_seconds": booking["cpu"]["client_cpu_seconds"],
        "floor_burst_get_livez": {
            **floor_stats,
            "errors": sum(1 for status, _, _ in floor["samples"] if status != 200),
            "burst_seconds": round(floor["seconds"], 3),
            "client_cpu_seconds": floor["cpu"]["client_cpu_seconds"],
        },
        "booking_p95_over_floor_burst_p95": round(stats["p95_ms"] / floor_stats["p95_ms"], 2),
    }


def measure_locust(info: dict[str, Any], database: str) -> dict[str, Any]:
    ids = {"writer_ids": info["writer_ids"], "session_id": info["booking_session_id"]}
    before = django_json(database, "counts", json.dumps(ids))["conversations"]
    with tempfile.TemporaryDirectory() as scratch:
        settings_file = Path(scratch) / "info.json"
        result_file = Path(scratch) / "result.json"
        settings_file.write_text(json.dumps(info))
        env = {**os.environ, "BENCH_INFO": str(settings_file), "BENCH_RESULT": str(result_file)}
        subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [
                PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                "--headless", "--users", str(LOCUST_USERS), "--spawn-rate", "25",
                "--run-time", f"{LOCUST_SECONDS}s", "--host", f"http://127.0.0.1:{PORT}",
                "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
            ],
            cwd=ROOT, env=env, check=False, stdout=sys.stderr, stderr=sys.stderr,
        )  # fmt: skip
        result: dict[str, Any] = json.loads(result_file.read_text())
    after = django_json(database, "counts", json.dumps(ids))["conversations"]
    result["rows_saved"] = after - before
    result["rows_equal_saved_responses"] = after - before == result["saved_responses"]
    return result


def targets(report: dict[str, Any]) -> dict[str, Any]:
    small = report["dashboard"][str(SMALL)]["p95_ms"]
    large = report["dashboard"][str(LARGE)]["p95_ms"]
    load = report["log_conversation"]
    post = load["log_conversation_post"]
    export = report["csv_export"]
    booking = report["bookings"]
    locust = report["load_test"]
    checks = {
        "dashboard_p95_large_le_150ms": {"value": large, "target": 150, "pass": large <= 150},
        "dashboard_p95_ratio_le_1_5": {
            "large_p95_ms": large,
            "small_p95_ms": small,
            "ratio": round(large / small, 2),
            "target": 1.5,
            "pass": large <= 1.5 * small,
        },
        "post_p95_le_100ms": {
            "value": post["p95_ms"],
            "target": 100,
            "pass": post["p95_ms"] <= 100,
        },
        "post_saved_per_second_ge_150": {
            "value": post["saved_per_second"],
            "target": 150,
            "pass": post["saved_per_second"] >= 150,
        },
        "post_zero_errors_and_rows_match": {
            "errors": post["errors"],
            "pass": post["errors"] == 0 and post["rows_equal_saved_responses"],
        },
        "post_p50_le_3x_floor_p50": {
            "post_p50_ms": post["median_ms"],
            "floor_p50_ms": load["floor_get_livez"]["median_ms"],
            "ratio": load["post_p50_over_floor_p50"],
            "target": 3,
            "pass": load["post_p50_over_floor_p50"] <= 3,
        },
        "export_ge_50000_rows_per_second": {
            "value": export["rows_per_second"],
            "target": 50_000,
            "pass": export["rows_per_second"] >= 50_000,
        },
        "export_memory_growth_lt_50mb": {
            "value": export["peak_rss_growth_mb"],
            "target": 50,
            "pass": export["peak_rss_growth_mb"] < 50,
        },
        "bookings_exactly_10_booked": {
            "booked": booking["booked"],
            "waitlisted": booking["waitlisted"],
            "pass": booking["booked"] == 10 and booking["waitlisted"] == BOOKERS - 10,
        },
        "bookings_p95_le_200ms": {
            "value": booking["p95_ms"],
            "target": 200,
            "pass": booking["p95_ms"] <= 200,
        },
        "load_test_zero_errors_rows_match": {
            "errors": locust["errors"],
            "pass": locust["errors"] == 0 and locust["rows_equal_saved_responses"],
        },
    }
    outcome: dict[str, Any] = {"all_pass": all(c["pass"] for c in checks.values())}
    outcome["checks"] = checks
    return outcome


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    with psycopg.connect(f"{SERVER}/postgres") as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "postgresql": row[0] if row else "",
        "gunicorn": f"{WORKERS} workers x {THREADS} threads ({WORKER_CLASS})",
        "redis": REDIS_URL or None,
        "session_engine": "accounts.sessions (Redis, kept in PostgreSQL)"
        if REDIS_URL
        else "database",
    }


def main() -> None:
    started = time.perf_counter()
    redis_ready()
    OUT.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": QUICK,
        "machine": machine(),
        "databases": {},
        "dashboard": {},
    }
    for size in (SMALL, LARGE):
        report["databases"][str(size)] = build(size)
    if not (REUSE and (OUT / "static" / "staticfiles.json").exists()):
        manage(database_name(SMALL), "collectstatic", "--noinput", "-v0")
    for size in (SMALL, LARGE):
        database = database_name(size)
        info = django_json(database, "prepare", str(BOOKERS))
        with Server(database) as server:
            log(f"dashboard at {size:,}")
            commissioner = Client(PORT, info["commissioner_cookie"])
            path = f"/evaluation/dashboard/?{info['dashboard_query']}"
            report["dashboard"][str(size)] = {
                "path": path,
                **sequential(commissioner, path, DASHBOARD_REQUESTS),
            }
            if size != LARGE:
                continue
            log("CSV export")
            report["csv_export"] = measure_export(info, server)
            log("floor and conversation POST, 20 concurrent clients")
            report["log_conversation"] = measure_load(info, database, server)
            log("100 concurrent bookings for 10 places")
            report["bookings"] = measure_bookings(info, database, server)
            log(f"load test: {LOCUST_USERS} users for {LOCUST_SECONDS} s")
            report["load_test"] = measure_locust(info, database)
        log("rollup refresh per 10,000 new conversations")
        refresh = django_json(database, "refresh", str(REFRESH_ROUNDS), str(REFRESH_SIZE))
        report["rollup_refresh_per_10k"] = {
            **summary([s * 1000 for s in refresh["seconds"]]),
            "conversations_per_round": refresh["conversations_per_round"],
        }
    report["load_average_at_end"] = os.getloadavg()
    report["targets"] = targets(report)
    report["bench_seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(report, indent=2, default=str)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    (OUT / f"bench-{stamp}.json").write_text(text)
    (OUT / "latest.json").write_text(text)
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
