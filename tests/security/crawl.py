"""Open every route as every role, once per variant, and record what each answer was.

Each request runs inside a savepoint that is rolled back, so a POST that is allowed to change
something (cancel a session, remove a standard) leaves the world as it was for the next cell.
Every SQL write the request makes is recorded, and the response body is decoded (CSV and
HTML as text, XLSX with openpyxl, PDF with pypdf) so the tests can search it for resident
contact details.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.test import Client

from accounts.models import User
from tests.security.routes import Route, all_routes, paths_for
from tests.security.world import ROLE_KEYS, World

# Tables any request may write: the session, allauth's list of a user's sessions, and the
# database cache (rate limits) when no Redis is configured.
BOOKKEEPING_TABLES = frozenset({"django_session", "usersessions_usersession", "django_cache"})
_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@dataclass
class Answer:
    route: Route
    role: str
    variant: str
    method: str
    path: str
    status: int
    location: str
    writes: list[str]
    found: list[str]  # which of the searched-for strings the body contained

    @property
    def cell(self) -> str:
        where = f" [{self.variant}]" if self.variant else ""
        return f"{self.method} {self.route.key}{where} as {self.role} ({self.path})"


@dataclass
class Crawl:
    answers: list[Answer] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)


def response_text(response: Any) -> str:
    """The body as searchable text, whatever the format."""
    if isinstance(response, StreamingHttpResponse):
        raw = b"".join(
            chunk if isinstance(chunk, bytes) else str(chunk).encode()
            for chunk in response.streaming_content
        )
    else:
        raw = response.content
    kind = response.get("Content-Type", "")
    if raw.startswith(b"%PDF") and b"%%EOF" in raw[-1024:]:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(raw))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if raw.startswith(b"PK") and ("spreadsheet" in kind or "octet-stream" in kind or not kind):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            " ".join("" if v is None else str(v) for v in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return raw.decode("utf-8", errors="replace")


def fetch(client: Client, method: str, path: str) -> tuple[Any, list[str], str]:
    writes: list[str] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        match = _WRITE.match(sql)
        if match and match.group(2) not in BOOKKEEPING_TABLES:
            writes.append(match.group(2))
        return execute(sql, params, many, ctx)

    # A POST to the sign-out page ends the client's session: put its cookie back afterwards.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        with connection.execute_wrapper(record):
            response = client.get(path) if method == "GET" else client.post(path, {})
            # Reading a streamed body to the end closes it; closing a response again here
            # would fire request_finished and close the database connection mid-transaction.
            text = response_text(response)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, writes, text


def clients(world: World) -> dict[str, Client]:
    """A client per role, signed in once (the MFA roles hold a TOTP authenticator)."""
    made: dict[str, Client] = {}
    for role in ROLE_KEYS:
        client = Client(raise_request_exception=False)
        user: User | None = world.users[role]
        if user is not None:
            client.force_login(user)
        made[role] = client
    return made


def crawl(world: World, *, post_routes: set[str], needles: list[str]) -> Crawl:
    """GET every route, and POST every route in `post_routes`, as every role and variant,
    noting which `needles` each answer's body contains."""
    result = Crawl(routes=all_routes())
    by_role = clients(world)
    for route in result.routes:
        methods = ["GET", "POST"] if route.key in post_routes else ["GET"]
        for variant, path in paths_for(route, world):
            for role in ROLE_KEYS:
                for method in methods:
                    response, writes, text = fetch(by_role[role], method, path)
                    result.answers.append(
                        Answer(
                            route=route,
                            role=role,
                            variant=variant,
                            method=method,
                            path=path,
                            status=response.status_code,
                            location=response.get("Location", ""),
                            writes=writes,
                            found=[needle for needle in needles if needle in text],
                        )
                    )
    return result
