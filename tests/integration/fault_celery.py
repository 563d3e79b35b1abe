"""`python -m tests.integration.fault_celery ARGS` is `celery ARGS` with test-only hooks.

The fault tests need a worker to be *inside* a task when they kill it, and beat to run the
reminder jobs every second. Rather than put test switches in the product, this launcher
adjusts the real app before Celery starts, from environment variables:

- FAULT_PAUSE_IN=report|reminder and FAULT_PAUSE_FILE=path: the first time a worker reaches
  that point (a report's file being built; the first training reminder written), it writes
  its pid to the file and sleeps, so the test can kill it there. Once the file exists the
  point is passed straight through, so the task's rerun runs normally.
- FAULT_VISIBILITY_TIMEOUT=seconds: Redis redelivers a message a dead worker had taken after
  this long (production: an hour), and workers look for such messages every second.
- FAULT_FAST_SCHEDULE=seconds: beat runs the reminder jobs this often.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import django

PAUSE_SECONDS = 120  # the test kills the process long before this


def _pause_once() -> None:
    marker = Path(os.environ["FAULT_PAUSE_FILE"])
    if marker.exists():
        return
    marker.write_text(str(os.getpid()))
    time.sleep(PAUSE_SECONDS)


def _pausing(function: Callable[..., Any], *, after: bool) -> Callable[..., Any]:
    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not after:
            _pause_once()
        result = function(*args, **kwargs)
        if after:
            _pause_once()
        return result

    return wrapper


def install_hooks() -> None:
    django.setup()
    from mecc_portal.celery import app

    timeout = os.environ.get("FAULT_VISIBILITY_TIMEOUT")
    if timeout:
        options = dict(app.conf.broker_transport_options or {})
        options.update(
            visibility_timeout=int(timeout),
            unacked_restore_interval=1,
            unacked_restore_throttle=1,
        )
        app.conf.broker_transport_options = options
    fast = os.environ.get("FAULT_FAST_SCHEDULE")
    if fast:
        for name in ("training-reminders", "referral-reminders"):
            app.conf.beat_schedule[name]["schedule"] = float(fast)
    pause_in = os.environ.get("FAULT_PAUSE_IN")
    if pause_in == "report":
        from evaluation.services import reports

        # Inside report_build, after the claim committed the report as RUNNING.
        for format, (build, extension) in list(reports.BUILDERS.items()):
            reports.BUILDERS[format] = (_pausing(build, after=False), extension)
    elif pause_in == "reminder":
        from training.services import reminders

        # After the first reminder's outbox row committed, before the others.
        reminders.send_email = _pausing(reminders.send_email, after=True)  # type: ignore[attr-defined]
    elif pause_in:
        raise SystemExit(f"unknown FAULT_PAUSE_IN={pause_in!r}")


if __name__ == "__main__":
    install_hooks()
    from celery.bin.celery import main

    sys.argv = ["celery", *sys.argv[1:]]
    sys.exit(main())
