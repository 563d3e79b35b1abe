import pytest

from core.disclosure import disclose, disclose_total


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, 0),
        (1, "*"),
        (7, "*"),
        (8, 10),
        (12, 10),
        (13, 15),
        (17, 15),
        (18, 20),
        (100, 100),
        (1002, 1000),
        (1003, 1005),
    ],
)
def test_counts_are_suppressed_and_rounded(count, shown):
    assert disclose(count) == shown


def test_totals_are_rounded_from_unrounded_values():
    # Each 3 would show as "*", but the total of 9 is disclosed (rounded to 10).
    assert disclose_total([3, 3, 3]) == 10
    assert disclose_total([]) == 0


def test_negative_counts_are_rejected():
    with pytest.raises(ValueError):
        disclose(-1)
