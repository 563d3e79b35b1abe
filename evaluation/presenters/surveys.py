"""How survey results are worded and which counts may be shown (disclosure control)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.disclosure import disclose
from evaluation.selectors.surveys import (
    FollowUp,
    MatchedChange,
    ResponseRate,
    SessionRates,
    SessionResults,
)


def shareable_percent(part: int, whole: int) -> str:
    """A percentage, only when neither count is suppressed (else it would reveal them)."""
    if not whole or disclose(whole) == "*" or disclose(part) == "*":
        return "Not shown"
    return f"{round(100 * part / whole)}%"


def one_decimal(value: float | None) -> str:
    return "No answers" if value is None else f"{value:.1f}"


def signed(value: float | None) -> str:
    return "No answers" if value is None else f"{value:+.1f}"


@dataclass(frozen=True)
class RateRow:
    label: str
    invited: int | str
    responded: int | str
    percent: str


def rate_rows(rates: list[ResponseRate]) -> list[RateRow]:
    return [
        RateRow(
            label=rate.label,
            invited=disclose(rate.invited),
            responded=disclose(rate.responded),
            percent=shareable_percent(rate.responded, rate.invited),
        )
        for rate in rates
    ]


def session_rate_rows(rows: list[SessionRates]) -> list[dict[str, Any]]:
    return [{"session": row.session, "rates": rate_rows(row.rates)} for row in rows]


@dataclass(frozen=True)
class ChangeRow:
    label: str
    pairs: int | str
    before: str
    after: str
    change: str


def change_row(change: MatchedChange) -> ChangeRow:
    return ChangeRow(
        label=change.label,
        pairs=disclose(change.pairs),
        before=one_decimal(change.mean_pre),
        after=one_decimal(change.mean_post),
        change=signed(change.mean_change),
    )


@dataclass(frozen=True)
class FollowUpRow:
    label: str
    respondents: int | str
    mean: str


def follow_up_row(label: str, follow_up: FollowUp) -> FollowUpRow:
    return FollowUpRow(
        label=label, respondents=disclose(follow_up.respondents), mean=one_decimal(follow_up.mean)
    )


def session_results(results: SessionResults) -> dict[str, Any]:
    reaction = results.reaction
    return {
        "rates": rate_rows(results.rates),
        "changes": [change_row(c) for c in results.changes.values()],
        "satisfaction": one_decimal(reaction.satisfaction_mean),
        "satisfaction_answers": disclose(reaction.satisfaction_answers),
        "recommend": shareable_percent(reaction.recommend_yes, reaction.recommend_answers),
        "recommend_answers": disclose(reaction.recommend_answers),
        "follow_ups": [
            follow_up_row(label, results.follow_ups[kind])
            for kind, label in (
                ("follow_up_3m", "3 months after"),
                ("follow_up_6m", "6 months after"),
            )
        ],
    }
