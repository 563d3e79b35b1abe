"""`reverse()` for the paths a hot view redirects to, remembered.

Django's `reverse` walks the URL resolver's candidates for the name and checks the result
against the pattern every time: about a twentieth of a booking's CPU in a request
(docs/performance.md, ninth round). A path depends only on the URLconf, the script prefix,
the name and the arguments, so it is remembered under all four.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse


def reverse_remembered(viewname: str, *args: int | str) -> str:
    """`reverse(viewname, args=args)`, computed once per URLconf and script prefix."""
    return _reverse(get_urlconf(), get_script_prefix(), viewname, args)


@lru_cache(maxsize=4096)
def _reverse(urlconf: str | None, prefix: str, viewname: str, args: tuple[int | str, ...]) -> str:
    return reverse(viewname, urlconf=urlconf, args=args)
