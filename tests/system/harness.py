"""Small pieces the browser tests share: problems the browser saw, URL paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Request, Response


def path_of(url: str) -> str:
    """The path part of a URL, to compare with reverse()."""
    return urlsplit(url).path


@dataclass
class PageProblems:
    """What went wrong in the browser while a test ran: script errors, failed requests."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Exception) -> None:
        self.page_errors.append(str(error))

    def on_response(self, response: Response) -> None:
        if response.url.startswith(self.origin) and response.status >= 400:
            self.failed_requests.append(f"{response.status} {response.url}")

    def on_request_failed(self, request: Request) -> None:
        # ERR_ABORTED is the browser cancelling a request because the page moved on (the
        # favicon, say), not the server failing it.
        if request.url.startswith(self.origin) and "ERR_ABORTED" not in (request.failure or ""):
            self.failed_requests.append(f"failed {request.url}: {request.failure}")

    def assert_none(self) -> None:
        problems = [
            *(f"script error: {e}" for e in self.page_errors),
            *(f"console error: {e}" for e in self.console_errors),
            *(f"request: {e}" for e in self.failed_requests),
        ]
        assert not problems, "The browser reported problems:\n  " + "\n  ".join(problems)
