"""Statistical process control for monthly series, in the NHS "Making Data Count" style.

An XmR chart: the mean, process limits at mean +/- 2.66 times the mean moving range, and four
rules for special-cause variation (NHS England, Making Data Count, "Plot the dots"):
  1. a point outside the process limits;
  2. a shift: 7 or more consecutive points all above, or all below, the mean;
  3. a trend: 7 or more consecutive points all increasing, or all decreasing;
  4. two out of three consecutive points beyond two sigma on the same side of the mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise

SIGMA_FACTOR = 2.66  # 3 / d2 for moving ranges of two points (d2 = 1.128)
RUN_LENGTH = 7


class Direction(StrEnum):
    """Which way is better for the measure, so special causes read as improvement or concern."""

    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"
    NEITHER = "neither"


class Variation(StrEnum):
    COMMON = "common cause"
    IMPROVEMENT = "special cause: improvement"
    CONCERN = "special cause: concern"
    NEITHER = "special cause: neither high nor low is better"


@dataclass(frozen=True)
class SPCPoint:
    label: str
    value: float
    special_cause: bool
    side: int  # +1 above the mean, -1 below, 0 on it
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class SPCChart:
    mean: float
    upper_limit: float
    lower_limit: float
    points: list[SPCPoint] = field(default_factory=list)
    variation: Variation = Variation.COMMON

    @property
    def has_limits(self) -> bool:
        return bool(self.points) and self.upper_limit != self.lower_limit


MIN_POINTS = 2


def spc_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    direction: Direction = Direction.HIGHER_IS_BETTER,
) -> SPCChart:
    """Build the XmR chart and mark each point that signals special-cause variation."""
    if len(labels) != len(values):
        raise ValueError("labels and values must be the same length")
    if len(values) < MIN_POINTS:
        mean = float(values[0]) if values else 0.0
        points = [
            SPCPoint(label, float(v), False, 0) for label, v in zip(labels, values, strict=True)
        ]
        return SPCChart(mean=mean, upper_limit=mean, lower_limit=mean, points=points)

    data = [float(v) for v in values]
    mean = sum(data) / len(data)
    moving_ranges = [abs(b - a) for a, b in pairwise(data)]
    mr_bar = sum(moving_ranges) / len(moving_ranges)
    upper = mean + SIGMA_FACTOR * mr_bar
    lower = mean - SIGMA_FACTOR * mr_bar
    two_sigma_up = mean + (2 / 3) * (upper - mean)
    two_sigma_down = mean - (2 / 3) * (mean - lower)

    flags: list[set[str]] = [set() for _ in data]
    sides = [0 if v == mean else (1 if v > mean else -1) for v in data]

    for i, v in enumerate(data):
        if v > upper or v < lower:
            flags[i].add("outside the process limits")

    _mark_runs(flags, sides, "shift: 7 points on one side of the mean")
    steps = [0] + [0 if b == a else (1 if b > a else -1) for a, b in pairwise(data)]
    _mark_trends(flags, steps)

    beyond_two_sigma = [1 if v > two_sigma_up else (-1 if v < two_sigma_down else 0) for v in data]
    for i in range(len(data) - 2):
        for side in (1, -1):
            near = [j for j in range(i, i + 3) if beyond_two_sigma[j] == side]
            if len(near) >= 2:
                for j in near:
                    flags[j].add("two of three points beyond two sigma")

    points = [
        SPCPoint(label, v, bool(f), s, tuple(sorted(f)))
        for label, v, f, s in zip(labels, data, flags, sides, strict=True)
    ]
    return SPCChart(
        mean=mean,
        upper_limit=upper,
        lower_limit=lower,
        points=points,
        variation=_variation(points, direction),
    )


def _mark_runs(flags: list[set[str]], sides: list[int], rule: str) -> None:
    start = 0
    for i in range(1, len(sides) + 1):
        if i == len(sides) or sides[i] != sides[start] or sides[i] == 0:
            if sides[start] != 0 and i - start >= RUN_LENGTH:
                for j in range(start, i):
                    flags[j].add(rule)
            start = i


def _mark_trends(flags: list[set[str]], steps: list[int]) -> None:
    # A trend of 7 points needs 6 consecutive steps in the same direction.
    start = 1
    for i in range(2, len(steps) + 1):
        if i == len(steps) or steps[i] != steps[start] or steps[i] == 0:
            if steps[start] != 0 and (i - start) + 1 >= RUN_LENGTH:
                for j in range(start - 1, i):
                    flags[j].add("trend: 7 points rising or falling")
            start = i


def _variation(points: list[SPCPoint], direction: Direction) -> Variation:
    """The chart's overall reading from its most recent special-cause point, if any."""
    latest = next((p for p in reversed(points) if p.special_cause), None)
    if latest is None:
        return Variation.COMMON
    if direction is Direction.NEITHER or latest.side == 0:
        return Variation.NEITHER
    better = 1 if direction is Direction.HIGHER_IS_BETTER else -1
    return Variation.IMPROVEMENT if latest.side == better else Variation.CONCERN
