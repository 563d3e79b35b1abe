"""How returns read on the page: status tags and figures, with disclosure control for
commissioners (counts of people below partnership level)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.disclosure import disclose, disclose_total
from evaluation.models import OrganisationReturn
from evaluation.selectors.returns import ReturnRow

# Figures that count people: commissioners see them through the disclosure rule.
PEOPLE_FIELDS = ("people_trained", "trainers_now", "trainers_next_year")
OTHER_FIGURES = (
    "budget_now_pounds",
    "budget_next_year_pounds",
    "training_hours_now",
    "training_hours_next_year",
)


@dataclass(frozen=True)
class Status:
    label: str
    colour: str  # an NHS.UK tag modifier


NOT_STARTED = Status("Not started", "nhsuk-tag--grey")
IN_PROGRESS = Status("In progress", "nhsuk-tag--yellow")
SUBMITTED = Status("Submitted", "nhsuk-tag--green")


def return_status(organisation_return: OrganisationReturn | None) -> Status:
    if organisation_return is None:
        return NOT_STARTED
    return SUBMITTED if organisation_return.is_submitted else IN_PROGRESS


def people(count: int | None, *, disclosed: bool) -> str:
    if count is None:
        return "Not given"
    return str(disclose(count)) if disclosed else f"{count:,}"


def pounds(value: int | None) -> str:
    return "Not given" if value is None else f"£{value:,}"


def hours(value: int | None) -> str:
    return "Not given" if value is None else f"{value:,}"


@dataclass(frozen=True)
class Figures:
    people_trained: str
    trainers_now: str
    trainers_next_year: str
    budget_now: str
    budget_next_year: str
    hours_now: str
    hours_next_year: str


def figures(organisation_return: OrganisationReturn, *, disclosed: bool) -> Figures:
    r = organisation_return
    return Figures(
        people_trained=people(r.people_trained, disclosed=disclosed),
        trainers_now=people(r.trainers_now, disclosed=disclosed),
        trainers_next_year=people(r.trainers_next_year, disclosed=disclosed),
        budget_now=pounds(r.budget_now_pounds),
        budget_next_year=pounds(r.budget_next_year_pounds),
        hours_now=hours(r.training_hours_now),
        hours_next_year=hours(r.training_hours_next_year),
    )


@dataclass(frozen=True)
class SummaryRow:
    row: ReturnRow
    status: Status
    figures: Figures | None


@dataclass(frozen=True)
class Summary:
    rows: list[SummaryRow]
    submitted: int
    organisations: int
    totals: Figures | None


def _total(values: Iterable[int | None]) -> int:
    return sum(v for v in values if v is not None)


def summary(rows: list[ReturnRow]) -> Summary:
    """Status and key figures per organisation (submitted returns only), and their totals
    worked out from the unrounded figures before disclosure."""
    summary_rows = []
    submitted_returns = []
    for row in rows:
        ret = row.organisation_return
        is_submitted = ret is not None and ret.is_submitted
        if is_submitted and ret is not None:
            submitted_returns.append(ret)
        summary_rows.append(
            SummaryRow(
                row=row,
                status=return_status(ret),
                figures=figures(ret, disclosed=True) if is_submitted and ret else None,
            )
        )
    totals = None
    if submitted_returns:
        s = submitted_returns
        totals = Figures(
            people_trained=str(disclose_total(r.people_trained or 0 for r in s)),
            trainers_now=str(disclose_total(r.trainers_now or 0 for r in s)),
            trainers_next_year=str(disclose_total(r.trainers_next_year or 0 for r in s)),
            budget_now=pounds(_total(r.budget_now_pounds for r in s)),
            budget_next_year=pounds(_total(r.budget_next_year_pounds for r in s)),
            hours_now=hours(_total(r.training_hours_now for r in s)),
            hours_next_year=hours(_total(r.training_hours_next_year for r in s)),
        )
    return Summary(
        rows=summary_rows,
        submitted=len(submitted_returns),
        organisations=len(rows),
        totals=totals,
    )
