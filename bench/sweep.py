"""Try gunicorn configurations on the write paths: `python -m bench.sweep [seconds]`.

Needs the 1,000,000-conversation bench database (`make bench` builds it). For each
configuration: the floor and the conversation POST with 20 closed-loop clients (`seconds`
each), then the 100-booking burst and the floor burst. Prints one JSON document and writes
var/bench/sweep-latest.json; docs/performance.md records what was tried and chosen.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from typing import Any

from bench import run

CONFIGS = [
    ("gthread", 3, 8),
    ("gthread", 2, 16),
    ("gthread", 4, 4),
    ("gthread", 4, 8),
    ("gthread", 6, 4),
    ("sync", 8, 1),
]


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    database = run.database_name(run.LARGE)
    run.LOAD_SECONDS = seconds
    results: list[dict[str, Any]] = []
    for worker_class, workers, threads in CONFIGS:
        run.WORKER_CLASS, run.WORKERS, run.THREADS = worker_class, workers, threads
        name = f"{workers} workers x {threads} threads ({worker_class})"
        run.log(f"sweep: {name}")
        info = run.django_json(database, "prepare", str(run.BOOKERS))
        with run.Server(database) as server:
            load = run.measure_load(info, database, server)
            bookings = run.measure_bookings(info, database, server)
        floor, post = load["floor_get_livez"], load["log_conversation_post"]
        results.append(
            {
                "gunicorn": name,
                "floor_per_second": floor["per_second"],
                "floor_p50_ms": floor["median_ms"],
                "floor_p95_ms": floor["p95_ms"],
                "post_saved_per_second": post["saved_per_second"],
                "post_p50_ms": post["median_ms"],
                "post_p95_ms": post["p95_ms"],
                "post_errors": post["errors"],
                "post_client_share_of_machine": post["cpu"]["client_share_of_machine"],
                "booking_p50_ms": bookings["median_ms"],
                "booking_p95_ms": bookings["p95_ms"],
                "booking_outcome": [bookings["booked"], bookings["waitlisted"]],
                "floor_burst_p95_ms": bookings["floor_burst_get_livez"]["p95_ms"],
            }
        )
    report = {
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seconds_per_phase": seconds,
        "load_average_at_end": os.getloadavg(),
        "results": results,
    }
    text = json.dumps(report, indent=2)
    run.OUT.mkdir(parents=True, exist_ok=True)
    (run.OUT / "sweep-latest.json").write_text(text)
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
