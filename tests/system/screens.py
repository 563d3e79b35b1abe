"""Screenshots of the pages a journey passes through, at desktop and phone widths."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)
WIDTHS: dict[str, ViewportSize] = {"desktop": DESKTOP, "390px": PHONE}


def safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG to test-artifacts/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{safe_name(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def viewport(page: Page, size: ViewportSize) -> Iterator[Page]:
    """Resize the page for a block, then put the previous size back."""
    previous = page.viewport_size
    page.set_viewport_size(size)
    try:
        yield page
    finally:
        if previous is not None:
            page.set_viewport_size(previous)


def at_each_width(page: Page) -> Iterator[str]:
    """Yield each width's label with the page resized to it (desktop size restored after)."""
    for label, size in WIDTHS.items():
        with viewport(page, size):
            yield label
