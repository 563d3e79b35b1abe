"""Per-request server cost of the three hot paths, in process, against a bench database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mecc_bench_10k \
        .venv/bin/python -m bench.profile [rounds]

For GET /livez (signed in), POST /conversations/new/ and POST /training/sessions/<id>/book/:
the queries one request makes (CaptureQueriesContext), the mean CPU time per request over
`rounds` requests, and the top functions of a cProfile of those requests. Prints JSON.
The settings are the bench's production-like ones (DEBUG off, PostgreSQL, file broker).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import time
from typing import Any
from urllib.parse import urlencode


def _setup() -> None:
    from bench import run

    database = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1] or "mecc_bench_10k"
    os.environ.update(run.environment(database))
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    import django

    django.setup()


def _measure(name: str, send: Any, rounds: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    send(0)  # warm: imports, template and URL caches, the first connection
    with CaptureQueriesContext(connection) as captured:
        status = send(1)
    queries = [q["sql"][:160] for q in captured.captured_queries]
    profiler = cProfile.Profile()
    cpu_started = time.process_time()
    wall_started = time.perf_counter()
    profiler.enable()
    for index in range(rounds):
        send(2 + index)
    profiler.disable()
    cpu = (time.process_time() - cpu_started) / rounds * 1000
    wall = (time.perf_counter() - wall_started) / rounds * 1000
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(80)
    stats.sort_stats("tottime").print_stats(25)
    return {
        "name": name,
        "status": status,
        "query_count": len(queries),
        "queries": queries,
        "cpu_ms_per_request_profiled": round(cpu, 2),
        "wall_ms_per_request_profiled": round(wall, 2),
        "cpu_ms_per_request": round(_unprofiled(send, rounds), 2),
        "profile": text.getvalue(),
    }


def _unprofiled(send: Any, rounds: int) -> float:
    started = time.process_time()
    for index in range(rounds):
        send(10_000 + index)
    return (time.process_time() - started) / rounds * 1000


def main() -> None:
    _setup()
    from django.test import Client

    from bench.client import CSRF
    from bench.prepare import prepare
    from bench.run import conversation_form

    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    info = prepare(rounds * 2 + 20)

    def client(cookie: str) -> Client:
        made = Client(enforce_csrf_checks=True, HTTP_X_CSRFTOKEN=CSRF)
        made.cookies["csrftoken"] = CSRF
        made.cookies["sessionid"] = cookie
        return made

    writer = client(info["writer_cookies"][0])

    def livez(_: int) -> int:
        return int(writer.get("/livez").status_code)

    def post(index: int) -> int:
        # Form-encoded, as browsers and the bench's clients send it (the test client's
        # default, multipart, costs the server a parser the real POST never runs).
        body = urlencode(conversation_form(info, index), doseq=True)
        response = writer.post(
            "/conversations/new/", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 302, response.status_code  # noqa: S101
        # A browser follows the redirect and the page shows (and clears) the message;
        # keeping it would pile every earlier message into the next request's cookie.
        writer.cookies.pop("messages", None)
        return int(response.status_code)

    booker = client(info["booker_cookies"][0])  # one handler; each request a new learner
    book_path = f"/training/sessions/{info['booking_session_id']}/book/"
    used = [0]

    def book(_: int) -> int:
        booker.cookies["sessionid"] = info["booker_cookies"][used[0] % len(info["booker_cookies"])]
        used[0] += 1
        response = booker.post(book_path, {})
        assert response.status_code == 302, response.status_code  # noqa: S101
        booker.cookies.pop("messages", None)  # as in post(): the next learner's cookie is clean
        return int(response.status_code)

    for cookie in info["booker_cookies"]:  # as in the bench: each learner signed in already
        booker.cookies["sessionid"] = cookie
        booker.get("/livez")
    results = [
        _measure("GET /livez (signed in)", livez, rounds),
        _measure("POST /conversations/new/", post, rounds),
        _measure(
            "POST /training/sessions/<id>/book/",
            book,
            min(rounds, len(info["booker_cookies"]) // 2 - 2),
        ),
    ]
    sys.stdout.write(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
