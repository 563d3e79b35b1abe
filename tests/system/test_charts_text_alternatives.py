"""Charts have a text alternative and a data table with the same figures; colour is never the
only signal (issue 6, item 5).

Every page of the portal (the crawl's route table) is opened as each demo role that sees
evaluation figures. On each page, every <canvas> must be an image with a text alternative,
sit beside a data table whose rows carry the same labels and numbers as the chart's data,
and mark special-cause points in words as well as colour. Every RAG (red, amber, green)
rating on a page must carry a word.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Error, Page
from pytest_django.live_server_helper import LiveServer

import tests.system.test_every_page_axe as crawl_test
from tests.system.harness import path_of

pytestmark = pytest.mark.browser

# The roles that see dashboards, benchmarks and results.
ROLES = ["commissioner (partnership)", "commissioner (borough)"]

# Everything about the charts and RAG ratings on a page, in one round trip.
CHART_FACTS_JS = """
() => {
  const text = (el) => (el ? el.textContent.replace(/\\s+/g, ' ').trim() : '');
  const charts = [...document.querySelectorAll('canvas')].map((canvas) => {
    const described = (canvas.getAttribute('aria-describedby') || '').split(/\\s+/)
      .filter(Boolean).map((id) => text(document.getElementById(id))).join(' ');
    const section = canvas.closest('section, figure, .portal-chart-section');
    const table = section ? section.querySelector('table') : null;
    const data = canvas.dataset.chart ? document.getElementById(canvas.dataset.chart) : null;
    return {
      id: canvas.id,
      role: canvas.getAttribute('role') || '',
      label: canvas.getAttribute('aria-label') || '',
      described: described,
      caption: table ? text(table.querySelector('caption')) : '',
      rows: table ? [...table.querySelectorAll('tbody tr')].map(
        (tr) => [...tr.children].map((cell) => text(cell))) : null,
      data: data ? JSON.parse(data.textContent) : null,
    };
  });
  const rag = [...document.querySelectorAll(
    '.portal-rag, [class*="rag-"], [class*="-rag"], .nhsuk-tag--red, .nhsuk-tag--green, '
    + '.nhsuk-tag--orange, .nhsuk-tag--yellow'
  )].map((el) => ({html: el.outerHTML.slice(0, 160), text: text(el)}));
  return {charts: charts, rag: rag};
}
"""

NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?$")


def _number(cell: str) -> float | None:
    cleaned = cell.replace("£", "").replace("%", "").strip()
    return float(cleaned.replace(",", "")) if NUMBER.match(cleaned) else None


def chart_problems(chart: dict[str, Any]) -> list[str]:
    """What is wrong with one chart's text alternative and data table."""
    where = f"<canvas id={chart['id']}>"
    problems: list[str] = []
    alternative = (chart["label"] or chart["described"]).strip()
    if chart["role"] != "img" and not chart["described"]:
        problems.append(f"{where} is not role=img and has no aria-describedby")
    if len(alternative) < 20 or not re.search(r"\d", alternative):
        problems.append(f"{where}: text alternative {alternative!r} does not give the figures")
    if chart["rows"] is None:
        return [*problems, f"{where} has no data table beside it"]
    if not chart["caption"]:
        problems.append(f"{where}: its data table has no caption")
    data = chart["data"]
    if data is None:
        return [*problems, f"{where}: no chart data found (data-chart)"]
    labels, values = data["labels"], data["values"]
    rows = chart["rows"]
    if [row[0] for row in rows] != labels:
        problems.append(f"{where}: table rows {[r[0] for r in rows]} are not the chart's {labels}")
        return problems
    for row, value in zip(rows, values, strict=True):
        shown = _number(row[1])
        # A number too small to publish is words in the table and nothing on the chart.
        if shown is None and value in (None, 0):
            continue
        if shown is None or abs(shown - float(value)) > 0.005:
            problems.append(
                f"{where}: {row[0]} is {value} on the chart but {row[1]!r} in the table"
            )
    for row, special in zip(rows, data.get("special", []), strict=False):
        # Special-cause points are orange diamonds on the chart: the table says so in words.
        if special and (len(row) < 3 or row[2] in {"", "None"}):
            problems.append(f"{where}: {row[0]} is marked special cause by colour only")
    if data.get("type") == "spc":
        for key in ("mean", "upper"):
            if f"{data[key]:,.1f}" not in alternative:
                problems.append(f"{where}: the text alternative does not give the {key}")
    return problems


def rag_problems(rag: list[dict[str, str]]) -> list[str]:
    return [
        f"RAG rating shown by colour only (no words): {item['html']}"
        for item in rag
        if not re.search(r"[A-Za-z]{2,}", item["text"])
    ]


def test_every_chart_has_a_text_alternative_and_its_data_table(
    browser: Browser, live_server: LiveServer
) -> None:
    call_command("seed_demo", verbosity=0)
    to_visit, _ = crawl_test.crawl_plan()
    findings: list[str] = []
    charts_seen = 0
    rag_seen = 0
    for role in ROLES:
        page: Page = crawl_test.sign_in_context(browser, live_server, crawl_test.ROLES[role])
        seen: set[str] = set()
        try:
            for route, path in to_visit:
                try:
                    response = page.goto(path)
                except Error as error:
                    if "Download is starting" in str(error):
                        continue  # a file download, not a page
                    raise
                final = path_of(page.url)
                if response is None or response.status >= 400 or final in seen:
                    continue
                seen.add(final)
                facts = page.evaluate(CHART_FACTS_JS)
                charts_seen += len(facts["charts"])
                rag_seen += len(facts["rag"])
                problems = [p for chart in facts["charts"] for p in chart_problems(chart)]
                problems += rag_problems(facts["rag"])
                findings += [f"{role}: {route.name} ({path}): {p}" for p in problems]
        finally:
            page.context.close()
    assert not findings, "\n".join(findings)
    # The checks must have had something to check: the dashboards chart the demo data.
    assert charts_seen >= 3, f"only {charts_seen} charts were found"
    assert rag_seen >= 1, "no RAG ratings were found (the benchmark shows them)"


def test_the_chart_checks_catch_a_chart_without_words_or_table() -> None:
    """The checks above can fail: a bare chart, a wrong figure and a colour-only RAG."""
    bare = {"id": "c", "role": "", "label": "", "described": "", "caption": "", "rows": None}
    assert len(chart_problems({**bare, "data": None})) == 3
    wrong = {
        "id": "c",
        "role": "img",
        "label": "Bar chart. Referrals: Camden 12, Barnet 7.",
        "described": "",
        "caption": "Referrals: data table",
        "rows": [["Camden", "12"], ["Barnet", "8"]],
        "data": {"type": "bar", "labels": ["Camden", "Barnet"], "values": [12, 7]},
    }
    assert chart_problems(wrong) == ["<canvas id=c>: Barnet is 7 on the chart but '8' in the table"]
    assert rag_problems([{"html": "<strong class='portal-rag'></strong>", "text": ""}])
