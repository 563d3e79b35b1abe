"""A strict Content Security Policy, and pages that need nothing it forbids.

The policy allows scripts and styles from the portal's own origin only ('self', no
'unsafe-inline', no nonces needed). A page with an inline <script> or a style attribute would
break in the browser, so every page every demo role can open is fetched and its HTML checked:
no <script> without src, no <style> element, no style="..." attribute, no on*="..." handler.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.hardening.support import client_for, filled_routes, seed_demo
from tests.system.crawl import NOT_VISITED
from tests.system.test_every_page_axe import ROLES

pytestmark = pytest.mark.django_db


class InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script":
            kind = (names.get("type") or "").lower()
            # JSON data blocks are not executed, so the policy does not apply to them.
            self._script_without_src = "src" not in names and kind != "application/json"
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"inline event handler {name} on <{tag}>")
        href = names.get("href") or ""
        if href.strip().lower().startswith("javascript:"):
            self.problems.append(f"javascript: link on <{tag}>")

    def handle_data(self, data: str) -> None:
        if self._script_without_src and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_without_src = False


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems


def test_the_policy_forbids_inline_script_and_style(client):
    policy = client.get("/accessibility/")["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


def test_the_finder_catches_each_kind_of_inline_code():
    html = (
        '<div style="color:red"></div><style>p{}</style><script>alert(1)</script>'
        '<button onclick="x()"></button><script src="/static/a.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
    )
    assert inline_problems(html) == [
        "style attribute on <div>",
        "<style> element",
        "inline <script>: 'alert(1)'",
        "inline event handler onclick on <button>",
    ]


def test_no_page_any_role_can_open_has_inline_script_or_style():
    seed_demo()
    routes = [
        (route, path)
        for route, path in filled_routes()
        # The crawl's own list of pages, plus Swagger UI (a page the browser runs, too).
        if route.name not in NOT_VISITED or route.name == "api-docs"
    ]
    findings: dict[str, list[str]] = {}
    html_pages = 0
    for role in ROLES:
        client = client_for(role)
        for route, path in routes:
            response = client.get(path)
            assert response.status_code < 500, f"{role}: {path} answered {response.status_code}"
            if "text/html" not in response.get("Content-Type", ""):
                continue
            html_pages += 1
            assert "Content-Security-Policy" in response, f"{path} has no CSP header"
            problems = inline_problems(response.content.decode())
            if problems:
                findings[f"{role}: {route.name} ({path})"] = sorted(set(problems))
    report = "\n".join(f"{where}: {', '.join(p)}" for where, p in findings.items())
    assert not findings, f"pages with inline code the CSP would block:\n{report}"
    assert html_pages > 300, f"only {html_pages} HTML pages were checked"


def test_swagger_ui_loads_its_start_up_script_from_a_url(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert inline_problems(page.content.decode()) == []
    assert 'src="/api/docs/?script="' in page.content.decode()
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
