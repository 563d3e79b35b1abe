"""The benchmark: each borough's result on each indicator over the last 12 months, against
its standard, with the direction of the last 6 months. Rollups, headcounts and one count of
distinct people trained; a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounts.models import Area
from core.disclosure import SUPPRESSED, disclose
from evaluation.models import BenchmarkIndicator, Standard
from evaluation.models.standards import LOWER_IS_BETTER
from evaluation.selectors.dashboard import DashboardScope, Period, area_series
from evaluation.selectors.workforce import headcount_by_org_and_staff_group
from training.selectors.evaluation import people_completed

BENCHMARK_MONTHS = 12
TREND_MONTHS = 6
# A change smaller than this share of the average, over the trend months, is "no clear change".
STEADY = 0.05


class Rating:
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"


@dataclass(frozen=True)
class Result:
    value: float | None  # None: too few to show, or no data
    reason: str = ""  # why there is no value


@dataclass(frozen=True)
class Cell:
    area: Area
    indicator: BenchmarkIndicator
    result: Result
    standard: Standard | None
    rating: str
    trend: str  # "rising", "falling", "steady" or "" (not enough data)


def _sum(series: dict[date, int], months: list[date]) -> int:
    return sum(series.get(m, 0) for m in months)


def _rate(numerator: float, denominator: int, scale: float = 1.0) -> Result:
    if denominator == 0:
        return Result(None, "No data")
    if disclose(denominator) == SUPPRESSED:
        return Result(None, "Too few to show")
    return Result(numerator * scale / denominator)


def rate_series(
    indicator: BenchmarkIndicator, series: dict[str, dict[date, int]], months: list[date]
) -> list[float | None]:
    """The indicator's monthly proxy for the trend (a rate where it has one, else a count)."""
    values: list[float | None] = []
    for month in months:
        get = {key: s.get(month, 0) for key, s in series.items()}
        pairs = {
            BenchmarkIndicator.SHARE_TRAINED: (get.get("completions", 0), 1),
            BenchmarkIndicator.CONVERSATIONS_PER_TRAINED: (get.get("conversations", 0), 1),
            BenchmarkIndicator.SIGNPOSTS_PER_100: (
                100 * get.get("signposts", 0),
                get.get("conversations", 0),
            ),
            BenchmarkIndicator.REFERRALS_COMPLETED: (
                100 * get.get("completed", 0),
                get.get("referrals", 0),
            ),
            BenchmarkIndicator.COST_PER_PERSON: (
                get.get("cost_pence", 0) / 100,
                get.get("attended", 0),
            ),
        }
        numerator, denominator = pairs[indicator]
        values.append(numerator / denominator if denominator else None)
    return values


def trend(values: list[float | None]) -> str:
    """Direction of a least-squares line through the months that have a value."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 3:
        return ""
    n = len(points)
    mean_x = sum(i for i, _ in points) / n
    mean_y = sum(v for _, v in points) / n
    spread = sum((i - mean_x) ** 2 for i, _ in points)
    slope = sum((i - mean_x) * (v - mean_y) for i, v in points) / spread
    change = slope * (points[-1][0] - points[0][0])
    if mean_y == 0 or abs(change) < STEADY * abs(mean_y):
        return "steady"
    return "rising" if change > 0 else "falling"


def rate(result: Result, standard: Standard | None) -> str:
    if standard is None or result.value is None:
        return Rating.NONE
    lower = standard.indicator in LOWER_IS_BETTER
    # Rate the result as shown (pounds to 2 places, the rest to 1), so 30.0 meets 30.0.
    places = 2 if standard.indicator == BenchmarkIndicator.COST_PER_PERSON else 1
    value = Decimal(str(round(result.value, places)))
    met = value <= standard.target if lower else value >= standard.target
    if met:
        return Rating.GREEN
    amber = standard.amber_threshold
    if amber is not None and (value <= amber if lower else value >= amber):
        return Rating.AMBER
    return Rating.RED


def benchmark(*, scope: DashboardScope, today: date | None = None) -> list[list[Cell]]:
    """One row per indicator, one cell per borough in scope."""
    today = today or timezone.localdate()
    period = Period.last(BENCHMARK_MONTHS, today=today, complete=True)
    boroughs = list(scope.boroughs)
    area_ids = [a.pk for a in boroughs]
    series = area_series(scope=scope, period=period)
    trained = people_completed(start=date(2000, 1, 1), end=today, by="area", area_ids=area_ids)
    org_area = dict(scope.organisations.values_list("pk", "area_id"))
    headcount: dict[int, int] = {}
    for (org_id, _group), count in headcount_by_org_and_staff_group(
        organisation_ids=list(org_area), on=today
    ).items():
        headcount[org_area[org_id]] = headcount.get(org_area[org_id], 0) + count
    standards = {(s.indicator, s.area_id): s for s in Standard.objects.filter(area_id__in=area_ids)}
    months = period.months
    trend_months = months[-TREND_MONTHS:]
    rows = []
    for indicator in BenchmarkIndicator:
        row = []
        for area in boroughs:
            s = series.get(area.pk, {})
            people = trained.get(area.pk, 0)
            results = {
                BenchmarkIndicator.SHARE_TRAINED: _rate(people, headcount.get(area.pk, 0), 100)
                if headcount.get(area.pk)
                else Result(None, "No workforce numbers"),
                BenchmarkIndicator.CONVERSATIONS_PER_TRAINED: _rate(
                    _sum(s.get("conversations", {}), months), people
                ),
                BenchmarkIndicator.SIGNPOSTS_PER_100: _rate(
                    _sum(s.get("signposts", {}), months),
                    _sum(s.get("conversations", {}), months),
                    100,
                ),
                BenchmarkIndicator.REFERRALS_COMPLETED: _rate(
                    _sum(s.get("completed", {}), months),
                    _sum(s.get("referrals", {}), months),
                    100,
                ),
                BenchmarkIndicator.COST_PER_PERSON: _rate(
                    _sum(s.get("cost_pence", {}), months) / 100,
                    _sum(s.get("attended", {}), months),
                ),
            }
            result = results[indicator]
            standard = standards.get((indicator.value, area.pk))
            row.append(
                Cell(
                    area=area,
                    indicator=indicator,
                    result=result,
                    standard=standard,
                    rating=rate(result, standard),
                    trend=trend(rate_series(indicator, s, trend_months))
                    if result.value is not None
                    else "",
                )
            )
        rows.append(row)
    return rows
