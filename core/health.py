"""Checks behind /healthz: the database, the Celery broker, and the worker/beat heartbeat."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.models import Heartbeat
from core.tasks import WORKER_HEARTBEAT


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def check_database() -> CheckResult:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return CheckResult(False, f"database unreachable: {type(exc).__name__}")
    return CheckResult(True, connection.vendor)


def check_broker() -> CheckResult:
    if settings.CELERY_BROKER_IS_FILESYSTEM:
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        if folder.is_dir() and folder.exists():
            return CheckResult(True, "filesystem broker")
        return CheckResult(False, f"filesystem broker folder missing: {folder}")
    from mecc_portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return CheckResult(False, f"broker unreachable: {type(exc).__name__}")
    return CheckResult(True, "redis")


def check_worker() -> CheckResult:
    try:
        heartbeat = Heartbeat.objects.filter(name=WORKER_HEARTBEAT).first()
    except Exception as exc:
        return CheckResult(False, f"heartbeat unreadable: {type(exc).__name__}")
    if heartbeat is None:
        return CheckResult(False, "no heartbeat from the worker and beat yet")
    age = (timezone.now() - heartbeat.last_seen).total_seconds()
    if age > settings.HEARTBEAT_STALE_SECONDS:
        return CheckResult(False, f"last heartbeat {int(age)} seconds ago")
    return CheckResult(True, f"last heartbeat {int(age)} seconds ago")


CHECKS = {"database": check_database, "broker": check_broker, "worker": check_worker}


def run_checks(names: list[str] | None = None) -> dict[str, CheckResult]:
    """Run the named checks (all by default); unknown names are ignored by the caller's form."""
    selected = [n for n in (names or list(CHECKS)) if n in CHECKS]
    return {name: CHECKS[name]() for name in selected}
