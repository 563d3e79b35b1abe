"""Accessibility checks with axe-core (the copy bundled with axe-playwright-python).

The axe-core version is whatever axe-playwright-python ships (4.12.x when written; the
version is printed in each saved result). Results are saved to test-artifacts/axe/.
"""

from __future__ import annotations

import json
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.system.screens import ARTIFACTS, safe_name

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "resultTypes": ["violations"],
}
_axe = Axe()


def axe_violations(page: Page, name: str) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; save the result; return the violations."""
    results = _axe.run(page, options=AXE_OPTIONS)
    response: dict[str, Any] = results.response
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{safe_name(name)}.json").write_text(
        json.dumps(
            {
                "page": name,
                "url": response.get("url", page.url),
                "axe_version": response.get("testEngine", {}).get("version"),
                "tags": AXE_TAGS,
                "violations": response["violations"],
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    violations: list[dict[str, Any]] = response["violations"]
    return violations


def describe_violations(name: str, url: str, violations: list[dict[str, Any]]) -> str:
    where = f" ({url})" if url else ""
    lines = [f"{len(violations)} axe violation(s) on {name}{where}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact')}]: {violation['help']} "
            f"({violation.get('helpUrl', '')})"
        )
        for node in violation["nodes"]:
            target = " ".join(
                json.dumps(t) if not isinstance(t, str) else t for t in node["target"]
            )
            lines.append(f"    at {target}: {node.get('html', '')[:200]}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, name: str) -> None:
    """Fail listing the page, each rule id, its help text and the elements it found."""
    violations = axe_violations(page, name)
    assert not violations, describe_violations(name, page.url, violations)
