"""Helpers for CSV downloads: a pass-through writer for streaming, and formula-safe cells."""

from __future__ import annotations

from typing import Any


class Echo:
    """A file-like object whose write() returns the line, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value: Any) -> Any:
    """Stop a spreadsheet reading a text cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
