import pytest

from evaluation.spc import Direction, Variation, spc_chart

LABELS = [f"m{i}" for i in range(24)]


def _flags(chart):
    return [p.special_cause for p in chart.points]


def test_limits_are_mean_plus_minus_2_66_average_moving_range():
    chart = spc_chart(["a", "b", "c", "d"], [10, 12, 10, 12])
    assert chart.mean == 11
    assert chart.upper_limit == pytest.approx(11 + 2.66 * 2)
    assert chart.lower_limit == pytest.approx(11 - 2.66 * 2)


def test_stable_series_shows_common_cause_variation():
    values = [50, 52, 49, 51, 50, 53, 48, 51, 50, 52, 49, 51]
    chart = spc_chart(LABELS[:12], values)
    assert not any(_flags(chart))
    assert chart.variation is Variation.COMMON


def test_point_outside_the_limits_is_special_cause():
    values = [50, 52, 49, 51, 50, 53, 48, 51, 50, 95, 49, 51]
    chart = spc_chart(LABELS[:12], values)
    assert _flags(chart)[9] is True
    assert "outside the process limits" in chart.points[9].rules


def test_seven_points_above_the_mean_is_a_shift():
    values = [40, 41, 39, 40, 42, 40, 39, 41, 55, 56, 54, 55, 57, 56, 55]
    chart = spc_chart(LABELS[:15], values)
    assert _flags(chart)[8:] == [True] * 7
    assert any("shift" in r for r in chart.points[10].rules)
    assert chart.variation is Variation.IMPROVEMENT


def test_six_points_above_the_mean_is_not_a_shift():
    values = [40, 41, 39, 40, 42, 40, 39, 41, 44, 45, 43, 44, 45, 44, 40]
    chart = spc_chart(LABELS[:15], values)
    assert not any("shift" in r for p in chart.points for r in p.rules)


def test_seven_rising_points_is_a_trend():
    values = [50, 49, 51, 50, 44, 45, 46, 47, 48, 49, 50, 49, 50]
    chart = spc_chart(LABELS[:13], values)
    trend = [i for i, p in enumerate(chart.points) if any("trend" in r for r in p.rules)]
    assert trend == [4, 5, 6, 7, 8, 9, 10]


def test_special_cause_below_the_mean_is_concern_when_higher_is_better():
    values = [50, 52, 49, 51, 50, 53, 48, 51, 50, 5]
    assert spc_chart(LABELS[:10], values).variation is Variation.CONCERN
    lower_better = spc_chart(LABELS[:10], values, direction=Direction.LOWER_IS_BETTER)
    assert lower_better.variation is Variation.IMPROVEMENT


def test_short_series_has_no_limits():
    chart = spc_chart(["only"], [3])
    assert not chart.has_limits
    assert chart.points[0].special_cause is False


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError):
        spc_chart(["a"], [1, 2])
