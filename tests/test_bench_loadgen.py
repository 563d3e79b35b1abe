"""The bench's load generator speaks keep-alive HTTP/1.1 correctly (no Django involved)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import loadgen


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, bytes, str]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        _Handler.seen.append((self.command, self.path, body, self.headers.get("Cookie", "")))
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"hello ", b"world"):
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif self.command == "POST":
            self.send_response(302)
            self.send_header("Location", "/saved/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def port() -> Iterator[int]:
    _Handler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_closed_loop_cycles_requests_on_kept_alive_connections(port):
    plan = {
        "port": port,
        "seconds": 0.3,
        "warmup_path": "/livez",
        "clients": [
            {
                "cookie": f"c{n}",
                "requests": [
                    {"method": "POST", "path": "/save/", "form": [["topics", 1], ["topics", 2]]},
                    {"method": "GET", "path": "/chunked"},
                ],
            }
            for n in range(3)
        ],
    }
    samples, seconds, cpu = asyncio.run(loadgen._closed_loop(plan))
    assert seconds >= 0.3 and cpu >= 0
    assert {tuple(s[::2]) for s in samples} == {(302, "/saved/"), (200, "")}
    posts = [seen for seen in _Handler.seen if seen[0] == "POST"]
    assert posts and all(body == b"topics=1&topics=2" for _, _, body, _ in posts)
    assert {cookie.split("sessionid=")[1] for *_, cookie in _Handler.seen} == {"c0", "c1", "c2"}
    assert [seen[1] for seen in _Handler.seen[:3]] == ["/livez"] * 3  # warm-ups first


def test_burst_sends_one_request_per_client_after_warming_each(port):
    plan = {
        "port": port,
        "warmup_path": "/livez",
        "clients": [
            {"cookie": f"c{n}", "requests": [{"method": "POST", "path": "/book/", "form": []}]}
            for n in range(10)
        ],
    }
    samples, _, _ = asyncio.run(loadgen._burst(plan))
    assert [s[0] for s in samples] == [302] * 10
    assert sorted(seen[1] for seen in _Handler.seen) == ["/book/"] * 10 + ["/livez"] * 10


def test_a_refused_connection_counts_as_status_0():
    plan = {
        "port": 9,  # discard: nothing listens on loopback
        "warmup_path": "/livez",
        "clients": [{"cookie": "", "requests": [{"method": "GET", "path": "/"}]}],
    }
    samples, _, _ = asyncio.run(loadgen._burst(plan))
    assert [s[0] for s in samples] == [0]
