"""Every GET page of the portal, found from the URL configuration, and what each page must meet.

`url_patterns()` walks `get_resolver().url_patterns` recursively. Each pattern is either
visited by tests/system/test_every_page_axe.py or listed in `NOT_VISITED` with the reason,
so a new page cannot be missed silently. `PAGE_CHECKS_JS` gathers, in one round trip, what
the structure checks (title, lang, headings) and the reflow check (320 CSS px) need.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "training:course_detail"
    pattern: str  # the full pattern text, for messages
    params: tuple[str, ...]  # the keyword arguments reverse() needs


def url_patterns() -> Iterator[Route]:
    """Every named URL pattern of the project, namespaced, with its parameters."""

    def walk(
        patterns: list[Any], prefix: str, namespace: str, params: tuple[str, ...]
    ) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                outer = params + tuple(entry.pattern.regex.groupindex)
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner, outer)
            elif isinstance(entry, URLPattern):
                name = entry.name or ""
                full = f"{namespace}:{name}" if namespace else name
                yield Route(
                    name=full,
                    pattern=prefix + str(entry.pattern),
                    params=params + tuple(entry.pattern.regex.groupindex),
                )

    seen: set[str] = set()
    for route in walk(get_resolver().url_patterns, "", "", ()):
        # allauth's user-sessions list is included twice under one name: visit it once.
        if route.name in seen:
            continue
        seen.add(route.name)
        yield route


# Namespaces that are not portal pages at all.
NOT_VISITED_NAMESPACES: dict[str, str] = {
    "admin": "Django admin: a back-office tool for the operations team, not a portal page",
    "openreferral": "Open Referral UK API: JSON for other systems, not a page",
}

# Every other route the crawl does not open, with the reason. Keep this the only such list.
NOT_VISITED: dict[str, str] = {
    "healthz": "health check for the load balancer: JSON",
    "livez": "liveness check for the load balancer: plain text",
    "api-schema": "OpenAPI schema: YAML for API clients",
    "api-docs": "Swagger UI for API developers (third-party page), not a portal page",
    "account_logout": "signs the user out, which would end the crawl's session",
    "mfa_download_recovery_codes": "file download (text file of recovery codes)",
    "training:session_calendar": "file download (.ics calendar entry)",
    "training:session_book": "POST only (book a place)",
    "training:certificate_download": "file download (PDF certificate)",
    "training:compliance_csv": "file download (CSV)",
    "accounts:audit_log_csv": "file download (CSV of the audit log)",
    "training:quality_attachment": "file download (evidence file)",
    "referrals:service_verify": "POST only (confirm a listing is up to date)",
    "referrals:signpost_create": "POST only (record a signpost)",
    "referrals:referral_status": "POST only (change a referral's status)",
    "referrals:referral_contact": "POST only (reveal a resident's contact details, audited)",
    "referrals:conversation_services": (
        "htmx fragment swapped into the log-a-conversation page, which is checked; "
        "without JavaScript that page's own form lists the services"
    ),
    "referrals:fhir_service_request": "FHIR API: JSON for other systems",
    "referrals:organisation_conversations_csv": "file download (CSV of conversations)",
    "evaluation:dashboard_csv": "file download (CSV)",
    "evaluation:dashboard_xlsx": "file download (Excel)",
    "evaluation:report_new": "POST only (queue a report)",
    "evaluation:report_download": "file download (report)",
    "evaluation:standard_remove": "POST only (remove a standard)",
    "evaluation:resource_file": "file download (resource document)",
}


def not_visited_reason(route: Route) -> str | None:
    namespace = route.name.split(":", 1)[0] if ":" in route.name else ""
    return NOT_VISITED_NAMESPACES.get(namespace) or NOT_VISITED.get(route.name)


# One browser round trip: the title, language, headings and the reflow measurements.
PAGE_CHECKS_JS = """
async () => {
  // Let the header's "More" menu and other resize handlers (requestAnimationFrame) settle.
  for (let i = 0; i < 3; i++) await new Promise((done) => requestAnimationFrame(done));
  const root = document.documentElement;
  const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map(
    (h) => ({level: Number(h.tagName.substring(1)), text: h.textContent.trim().slice(0, 80)})
  );
  const unlabelledScrollers = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX)) continue;
    if (el.scrollWidth <= el.clientWidth) continue;
    const label = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!label || el.getAttribute('tabindex') !== '0') {
      unlabelledScrollers.push(el.outerHTML.slice(0, 160));
    }
  }
  const wide = [];
  if (root.scrollWidth > root.clientWidth) {
    for (const el of document.querySelectorAll('body *')) {
      const rect = el.getBoundingClientRect();
      if (rect.right > root.clientWidth + 1 && rect.width > 0) {
        wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (typeof el.className === 'string' && el.className
            ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
          ' (right edge ' + Math.round(rect.right) + 'px)');
        if (wide.length >= 5) break;
      }
    }
  }
  return {
    title: document.title,
    lang: root.getAttribute('lang') || '',
    headings: headings,
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    unlabelledScrollers: unlabelledScrollers,
    wide: wide,
  };
}
"""

TITLE_SUFFIX = " \N{EN DASH} MECC Portal"


def structure_problems(facts: dict[str, Any]) -> list[str]:
    """Title, language and heading problems found in PAGE_CHECKS_JS's result."""
    problems: list[str] = []
    title: str = facts["title"]
    if not title.endswith(TITLE_SUFFIX) or not title[: -len(TITLE_SUFFIX)].strip():
        problems.append(f"title {title!r} is not 'Page{TITLE_SUFFIX}'")
    if not facts["lang"].startswith("en"):
        problems.append(f"<html lang> is {facts['lang']!r}, not English")
    levels = [h["level"] for h in facts["headings"]]
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 elements (want exactly one)")
    for before, heading in zip(levels, facts["headings"][1:], strict=False):
        if heading["level"] > before + 1:
            problems.append(
                f"heading h{heading['level']} {heading['text']!r} follows h{before} (skips a level)"
            )
    return problems


def reflow_problems(facts: dict[str, Any], width: int) -> list[str]:
    """Horizontal scrolling at `width` CSS px, and scroll containers without a label."""
    problems: list[str] = []
    if facts["scrollWidth"] > width:
        problems.append(
            f"scrolls horizontally at {width}px (scrollWidth {facts['scrollWidth']}); "
            f"too wide: {', '.join(facts['wide']) or 'unknown'}"
        )
    for html in facts["unlabelledScrollers"]:
        problems.append(f"scroll container without aria-label and tabindex=0 at {width}px: {html}")
    return problems
