"""CSV (streamed) and XLSX versions of a dashboard view: the same disclosed figures as the
page, one section or sheet per chart."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import Echo, safe_cell
from evaluation.presenters.dashboard import Chart, Headline

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DISCLOSURE_NOTE = (
    "Counts below partnership level follow NHS disclosure control: 1 to 7 is shown as *, "
    "8 and above is rounded to the nearest 5, totals are rounded from the exact figures."
)


def _table_rows(
    headlines: Sequence[Headline], charts: Sequence[Chart], filter_words: Sequence[str]
) -> Iterator[list[Any]]:
    yield ["MECC Portal dashboard"]
    for words in filter_words:
        yield [words]
    yield [DISCLOSURE_NOTE]
    yield []
    yield ["Headline figures"]
    for headline in headlines:
        yield [headline.label, headline.value]
    for chart in charts:
        yield []
        yield [chart.title]
        yield list(chart.headings)
        yield from (list(row) for row in chart.rows)
        if chart.variation:
            yield [chart.variation]


def csv_rows(
    headlines: Sequence[Headline], charts: Sequence[Chart], filter_words: Sequence[str]
) -> Iterable[str]:
    """The export as CSV lines, produced one at a time for a streaming response."""
    writer = csv.writer(Echo())
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8 (the £ sign)
    for row in _table_rows(headlines, charts, filter_words):
        yield writer.writerow([safe_cell(cell) for cell in row])


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name


def workbook(
    headlines: Sequence[Headline], charts: Sequence[Chart], filter_words: Sequence[str]
) -> Workbook:
    book = Workbook()
    book.remove(book.worksheets[0])
    summary = book.create_sheet("Summary")
    bold = Font(bold=True)
    summary.append(["MECC Portal dashboard"])
    summary["A1"].font = bold
    for words in filter_words:
        summary.append([words])
    summary.append([DISCLOSURE_NOTE])
    summary.append([])
    summary.append(["Headline figure", "Value"])
    for headline in headlines:
        summary.append([headline.label, safe_cell(headline.value)])
    summary.column_dimensions["A"].width = 40
    used = {"Summary"}
    for chart in charts:
        sheet = book.create_sheet(_sheet_title(chart.title, used))
        sheet.append([chart.title])
        sheet["A1"].font = bold
        sheet.append(list(chart.headings))
        for cell in sheet[2]:
            cell.font = bold
        for row in chart.rows:
            sheet.append([safe_cell(cell) for cell in row])
        if chart.variation:
            sheet.append([])
            sheet.append([chart.variation])
        sheet.column_dimensions["A"].width = 36
    return book


def workbook_bytes(
    headlines: Sequence[Headline], charts: Sequence[Chart], filter_words: Sequence[str]
) -> bytes:
    buffer = BytesIO()
    workbook(headlines, charts, filter_words).save(buffer)
    return buffer.getvalue()
