"""NHS statistical disclosure control for counts shown below partnership level.

0 stays 0; 1 to 7 is shown as "*"; 8 and above is rounded to the nearest 5. Totals are
computed from the unrounded values first, then rounded (see shared/standards/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable

SUPPRESSED = "*"


def disclose(count: int) -> int | str:
    """Return the count as it may be shown: 0, "*" for 1-7, else rounded to the nearest 5."""
    if count < 0:
        raise ValueError("counts cannot be negative")
    if count == 0:
        return 0
    if count <= 7:
        return SUPPRESSED
    return ((count + 2) // 5) * 5


def disclose_total(counts: Iterable[int]) -> int | str:
    """Total the unrounded counts, then apply the rule once to the total."""
    return disclose(sum(counts))
