"""A small keep-alive HTTP client (sequential figures) and the statistics every figure is
reported with. Concurrent phases use the separate load generator process, bench/loadgen.py."""

from __future__ import annotations

import http.client
import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

CSRF = "benchcsrftoken0123456789abcdefgh"  # any 32 letters: Django accepts a chosen cookie


def summary(values_ms: Sequence[float]) -> dict[str, float | int]:
    """Median and p95 (nearest rank) in milliseconds, and how many samples."""
    if not values_ms:
        return {"n": 0, "median_ms": math.nan, "p95_ms": math.nan}
    ordered = sorted(values_ms)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
    }


class Client:
    """One keep-alive connection with one signed-in session."""

    def __init__(self, port: int, session_cookie: str | None = None) -> None:
        self.port = port
        self.cookie = f"csrftoken={CSRF}"
        if session_cookie:
            self.cookie += f"; sessionid={session_cookie}"
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(
        self,
        method: str,
        path: str,
        form: Sequence[tuple[str, Any]] | None = None,
        *,
        sink: Callable[[bytes], None] | None = None,
    ) -> tuple[int, float, dict[str, str]]:
        """Status, milliseconds to the last byte, and headers; the body is read and dropped
        (or handed to `sink` chunk by chunk)."""
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        body = None
        if form is not None:
            body = urlencode(list(form), doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = CSRF
            headers["Referer"] = f"http://127.0.0.1:{self.port}/"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            while chunk := response.read(1 << 16):
                if sink is not None:
                    sink(chunk)
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            return 0, (time.perf_counter() - started) * 1000, {}
        elapsed = (time.perf_counter() - started) * 1000
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, elapsed, dict(response.getheaders())
