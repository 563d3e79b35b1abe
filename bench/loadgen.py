"""The load generator: closed-loop keep-alive HTTP/1.1 clients on asyncio, in its own process.

The bench runs this as `python -m bench.loadgen` with a JSON plan on stdin and reads a JSON
result from stdout, so the clients never share an interpreter (or its GIL) with the bench,
and the CPU time they cost is measured on its own (`client_cpu_seconds`).

Plan:
  {"port": 18231, "mode": "closed_loop" | "burst", "seconds": 30,
   "clients": [{"cookie": "...", "requests": [{"method": "POST", "path": "/x/",
                                              "form": [["k", "v"], ...]}, ...]}, ...],
   "warmup_path": "/livez"}

closed_loop: each client sends its requests in turn (cycling) until `seconds` pass.
burst: every client opens its connection, sends one warm-up GET of `warmup_path`, then all
send their first request at the same moment.
Result: per request status, milliseconds and Location header, plus the process's CPU time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import sys
import time
from typing import Any
from urllib.parse import urlencode

from bench.client import CSRF


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _encode(port: int, cookie: str, request: dict[str, Any]) -> bytes:
    head = [
        f"{request['method']} {request['path']} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Cookie: csrftoken={CSRF}" + (f"; sessionid={cookie}" if cookie else ""),
    ]
    body = b""
    if request.get("form") is not None:
        body = urlencode([tuple(pair) for pair in request["form"]], doseq=True).encode()
        head += [
            "Content-Type: application/x-www-form-urlencoded",
            f"X-CSRFToken: {CSRF}",
            f"Referer: http://127.0.0.1:{port}/",
        ]
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, raw: bytes) -> tuple[int, str]:
        """Status and Location of one request (0 when the connection failed)."""
        try:
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            assert self.reader is not None  # noqa: S101
            self.writer.write(raw)
            head = await self.reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            if headers.get("transfer-encoding", "").lower() == "chunked":
                while True:
                    size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    await self.reader.readexactly(size + 2)
                    if size == 0:
                        break
            else:
                await self.reader.readexactly(int(headers.get("content-length", "0")))
            if headers.get("connection", "").lower() == "close":
                await self.close()
            return status, headers.get("location", "")
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            await self.close()
            return 0, ""

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def _closed_loop(plan: dict[str, Any]) -> tuple[list[list[Any]], float, float]:
    port, seconds = plan["port"], plan["seconds"]
    samples: list[list[Any]] = []
    prepared = [
        (Connection(port), [_encode(port, c["cookie"], r) for r in c["requests"]])
        for c in plan["clients"]
    ]
    warmups = [
        _encode(port, c["cookie"], {"method": "GET", "path": plan["warmup_path"]})
        for c in plan["clients"]
    ]
    for (connection, _), warmup in zip(prepared, warmups, strict=True):
        await connection.send(warmup)  # connect first: measure requests, not TCP set-up
    cpu_started, started = _cpu_seconds(), time.perf_counter()
    deadline = started + seconds

    async def loop(connection: Connection, raws: list[bytes]) -> None:
        index = 0
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            status, location = await connection.send(raws[index % len(raws)])
            samples.append([status, (time.perf_counter() - sent) * 1000, location])
            index += 1

    await asyncio.gather(*(loop(c, raws) for c, raws in prepared))
    elapsed, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    for connection, _ in prepared:
        await connection.close()
    return samples, elapsed, cpu


async def _burst(plan: dict[str, Any]) -> tuple[list[list[Any]], float, float]:
    port = plan["port"]
    clients = [
        (Connection(port), _encode(port, c["cookie"], c["requests"][0]), c["cookie"])
        for c in plan["clients"]
    ]
    await asyncio.gather(
        *(
            connection.send(_encode(port, cookie, {"method": "GET", "path": plan["warmup_path"]}))
            for connection, _, cookie in clients
        )
    )
    samples: list[list[Any]] = []

    async def one(connection: Connection, raw: bytes) -> None:
        sent = time.perf_counter()
        status, location = await connection.send(raw)
        samples.append([status, (time.perf_counter() - sent) * 1000, location])

    cpu_started, started = _cpu_seconds(), time.perf_counter()
    await asyncio.gather(*(one(connection, raw) for connection, raw, _ in clients))
    elapsed, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    for connection, _, _ in clients:
        await connection.close()
    return samples, elapsed, cpu


def main() -> None:
    plan = json.loads(sys.stdin.read())
    run = _burst if plan["mode"] == "burst" else _closed_loop
    samples, elapsed, cpu = asyncio.run(run(plan))
    result = {"samples": samples, "seconds": elapsed, "client_cpu_seconds": cpu}
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
