"""The mixed workload of the load test: frontline workers logging conversations and reading
their own lists, a commissioner on the dashboard, people searching the directory.

Started by bench/run.py (`locust --headless`); BENCH_INFO names the sessions to use and
BENCH_RESULT where to write the figures.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import statistics
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

INFO: dict[str, Any] = json.loads(Path(os.environ["BENCH_INFO"]).read_text())
CSRF = "benchcsrftoken0123456789abcdefgh"
_writer_numbers = itertools.count()
_samples: dict[str, list[float]] = {}
_failures: dict[str, int] = {}
_saved = [0]


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **kwargs: Any) -> None:
    _samples.setdefault(name, []).append(response_time)
    if exception is not None:
        _failures[name] = _failures.get(name, 0) + 1


def _stats(values: list[float]) -> dict[str, Any]:
    ordered = sorted(values)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else math.nan
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 2) if ordered else math.nan,
        "p95_ms": round(p95, 2),
    }


@events.quitting.add_listener
def _write(environment: Any, **kwargs: Any) -> None:
    every = [v for values in _samples.values() for v in values]
    Path(os.environ["BENCH_RESULT"]).write_text(
        json.dumps(
            {
                "users": environment.parsed_options.num_users,
                "seconds": environment.parsed_options.run_time,
                "requests": len(every),
                "errors": sum(_failures.values()),
                "saved_responses": _saved[0],
                "all": _stats(every),
                "by_request": {name: _stats(values) for name, values in _samples.items()},
                "errors_by_request": _failures,
            }
        )
    )


class _Signed(HttpUser):
    abstract = True
    cookie = ""

    def on_start(self) -> None:
        self.client.cookies.set("csrftoken", CSRF)
        self.client.cookies.set("sessionid", self.cookie)


class Worker(_Signed):
    """Logs a conversation now and then, and looks at their own pages."""

    weight = 35
    wait_time = between(1, 3)

    def on_start(self) -> None:
        number = next(_writer_numbers)
        self.cookie = INFO["writer_cookies"][number % len(INFO["writer_cookies"])]
        self.index = number
        super().on_start()

    @task(4)
    def log_conversation(self) -> None:
        self.index += 1
        topics = INFO["topic_ids"]
        form = {
            "topics": [topics[self.index % len(topics)]],
            "area": INFO["area_id"],
            "mecc_level": "brief_advice",
            "outcome": "information_given",
            "setting": "outpatients",
            "another": "1",
        }
        with self.client.post(
            "/conversations/new/",
            data=form,
            headers={"X-CSRFToken": CSRF, "Referer": f"{self.host}/"},
            allow_redirects=False,
            name="POST /conversations/new/",
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                _saved[0] += 1
                response.success()
            else:
                response.failure(f"not saved: {response.status_code}")

    @task(2)
    def log_form(self) -> None:
        self.client.get("/conversations/new/", name="GET /conversations/new/")

    @task(2)
    def my_conversations(self) -> None:
        self.client.get("/conversations/", name="GET /conversations/")

    @task(1)
    def impact(self) -> None:
        self.client.get("/impact/", name="GET /impact/")

    @task(2)
    def directory(self) -> None:
        self.client.get("/directory/?q=smoking", name="GET /directory/")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="GET /")


class Commissioner(_Signed):
    """Reads the dashboard with different filters."""

    weight = 10
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.cookie = INFO["commissioner_cookie"]
        super().on_start()

    @task(3)
    def dashboard_filtered(self) -> None:
        self.client.get(
            f"/evaluation/dashboard/?{INFO['dashboard_query']}", name="GET dashboard (filters)"
        )

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/evaluation/dashboard/", name="GET dashboard")


class Visitor(HttpUser):
    """Not signed in: the public directory and the health check."""

    weight = 5
    wait_time = between(1, 3)

    @task
    def glossary(self) -> None:
        self.client.get("/glossary/", name="GET /glossary/ (public)")

    @task
    def resources(self) -> None:
        self.client.get("/resources/", name="GET /resources/ (public)")

    @task
    def livez(self) -> None:
        self.client.get("/livez", name="GET /livez")
