"""Benchmark wording: results, red/amber/green in words, and the trend."""

from __future__ import annotations

from dataclasses import dataclass

from evaluation.models import BenchmarkIndicator
from evaluation.models.standards import LOWER_IS_BETTER
from evaluation.selectors.benchmark import Cell, Rating

RATING_WORDS = {
    Rating.GREEN: ("Standard met", "nhsuk-tag--green"),
    Rating.AMBER: ("Close to the standard", "nhsuk-tag--yellow"),
    Rating.RED: ("Standard not met", "nhsuk-tag--red"),
    Rating.NONE: ("No rating", "nhsuk-tag--grey"),
}
TREND_WORDS = {"rising": "Rising", "falling": "Falling", "steady": "No clear change"}
# The share trained only grows as people finish courses; its trend is the number trained
# each month, so say that rather than "falling".
SHARE_TREND_WORDS = {
    "rising": "More people trained each month",
    "falling": "Fewer people trained each month",
}


def value_text(indicator: BenchmarkIndicator | str, value: float | None) -> str:
    if value is None:
        return ""
    if indicator in (BenchmarkIndicator.SHARE_TRAINED, BenchmarkIndicator.REFERRALS_COMPLETED):
        return f"{value:.1f}%"
    if indicator == BenchmarkIndicator.COST_PER_PERSON:
        return f"£{value:,.2f}"
    return f"{value:,.1f}"


@dataclass(frozen=True)
class BenchmarkCell:
    borough: str
    result: str
    standard: str
    rating: str
    rating_class: str
    trend: str


def present_cell(cell: Cell) -> BenchmarkCell:
    words, css = RATING_WORDS[cell.rating]
    if cell.rating == Rating.NONE:
        words = "No standard set" if cell.standard is None else "No result to rate"
    standard = "Not set"
    if cell.standard is not None:
        standard = value_text(cell.indicator, float(cell.standard.target))
        if cell.standard.amber_threshold is not None:
            amber = value_text(cell.indicator, float(cell.standard.amber_threshold))
            standard += f" (amber from {amber})"
    trend = TREND_WORDS.get(cell.trend, "Not enough data")
    if cell.indicator == BenchmarkIndicator.SHARE_TRAINED:
        trend = SHARE_TREND_WORDS.get(cell.trend, trend)
    if cell.trend in ("rising", "falling"):
        better = (cell.trend == "falling") == (cell.indicator in LOWER_IS_BETTER)
        trend += ", getting better" if better else ", getting worse"
    return BenchmarkCell(
        borough=cell.area.name,
        result=value_text(cell.indicator, cell.result.value) or cell.result.reason,
        standard=standard,
        rating=words,
        rating_class=css,
        trend=trend,
    )


@dataclass(frozen=True)
class IndicatorTable:
    title: str
    slug: str
    cells: list[BenchmarkCell]


def benchmark_tables(rows: list[list[Cell]]) -> list[IndicatorTable]:
    tables = []
    for row in rows:
        if not row:
            continue
        indicator = BenchmarkIndicator(row[0].indicator)
        tables.append(
            IndicatorTable(
                title=indicator.label,
                slug=indicator.value.replace("_", "-"),
                cells=[present_cell(c) for c in row],
            )
        )
    return tables
