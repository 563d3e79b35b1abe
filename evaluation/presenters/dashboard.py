"""Display logic for the dashboard, benchmark, exports and reports: disclosure control,
chart and table specs, SPC wording, money.

Every count shown below partnership level passes through core.disclosure here, once, so
the page, the CSV, the spreadsheet and the PDF show the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from django.utils import timezone
from django.utils.timesince import timesince

from accounts.models import StaffGroup
from core.disclosure import SUPPRESSED, disclose, disclose_total
from evaluation.selectors.dashboard import (
    DashboardData,
    DashboardFilters,
    DashboardScope,
    dashboard_data,
)
from evaluation.spc import Direction, SPCChart, Variation, spc_chart

Cell = int | str


@dataclass(frozen=True)
class Discloser:
    """Applies the NHS rule unless the figures are for the whole partnership."""

    raw: bool

    def count(self, n: int) -> Cell:
        return n if self.raw else disclose(n)

    def total(self, counts: Iterable[int]) -> Cell:
        values = list(counts)
        return sum(values) if self.raw else disclose_total(values)

    def plotted(self, n: int) -> int | None:
        """The value a chart may draw: None where the table shows "*"."""
        shown = self.count(n)
        return None if shown == SUPPRESSED else int(shown)


BELOW = Discloser(raw=False)


def discloser_for(scope: DashboardScope, filters: DashboardFilters) -> Discloser:
    return Discloser(raw=scope.partnership_wide and not filters.below_partnership)


def money(pence: int | float | None) -> str:
    if pence is None:
        return "Not available"
    pounds = pence / 100
    return f"£{pounds:,.0f}" if pounds >= 100 else f"£{pounds:,.2f}"


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


VARIATION_WORDS = {
    Variation.COMMON: "Common cause variation: no significant change.",
    Variation.IMPROVEMENT: "Special cause variation: a significant improvement.",
    Variation.CONCERN: "Special cause variation: a significant concern.",
    Variation.NEITHER: "Special cause variation: a significant change.",
}


@dataclass
class Chart:
    """One chart and the data table beside it (the table is the accessible version)."""

    slug: str
    title: str
    kind: Literal["bar", "spc", "table"]
    headings: list[str]
    rows: list[list[Cell]]
    summary: str
    data: dict[str, Any] = field(default_factory=dict)
    variation: str = ""

    @property
    def element_id(self) -> str:
        return f"chart-{self.slug}"

    @property
    def data_id(self) -> str:
        return f"chart-data-{self.slug}"


def spoken(value: Cell) -> str:
    """A table cell as words for a text alternative: "*" is read out as what it means."""
    if value == SUPPRESSED:
        return "1 to 7"
    return f"{value:,}" if isinstance(value, int) else str(value)


def bar_chart(
    slug: str, title: str, heading: str, pairs: Sequence[tuple[str, int]], d: Discloser
) -> Chart:
    rows: list[list[Cell]] = [[label, d.count(n)] for label, n in pairs]
    if not rows:
        return Chart(slug, title, "table", [heading, "Number"], [], f"{title}: none recorded.")
    if all(value == SUPPRESSED for _, value in rows):
        # Nothing could be drawn: every bar would be missing.
        return Chart(
            slug,
            title,
            "table",
            [heading, "Number"],
            rows,
            f"{title}: every figure is between 1 and 7, small enough to identify people, "
            "so there is no chart. The table shows each as *.",
        )
    shown = ", ".join(f"{label} {spoken(value)}" for label, value in rows[:5])
    return Chart(
        slug=slug,
        title=title,
        kind="bar",
        headings=[heading, "Number"],
        rows=rows,
        summary=f"Bar chart. {title}: {shown}{' and others' if len(rows) > 5 else ''}.",
        data={
            "type": "bar",
            "labels": [label for label, _ in pairs],
            "values": [d.plotted(n) for _, n in pairs],
            "label": title,
        },
    )


def spc(
    slug: str,
    title: str,
    months: Sequence[date],
    values: Sequence[int],
    d: Discloser,
    *,
    direction: Direction = Direction.HIGHER_IS_BETTER,
    partial_last: bool = False,
) -> Chart:
    """A monthly series as an XmR chart; a plain table if disclosure hides any month.

    A month still in progress is left off the chart (it would look like a fall) and noted.
    """
    note = ""
    if partial_last and len(months) > 1:
        note = f" This month so far ({month_label(months[-1])}): {spoken(d.count(values[-1]))}."
        months, values = months[:-1], values[:-1]
    labels = [month_label(m) for m in months]
    shown = [d.count(v) for v in values]
    if any(v == SUPPRESSED for v in shown) or len(values) < 2:
        return Chart(
            slug=slug,
            title=title,
            kind="table",
            headings=["Month", "Number"],
            rows=[[label, value] for label, value in zip(labels, shown, strict=True)],
            summary=f"{title}: some months are too small to chart without identifying "
            f"people, so there is no chart; the table shows each month.{note}",
        )
    chart: SPCChart = spc_chart(labels, [int(v) for v in shown], direction=direction)
    rows: list[list[Cell]] = [
        [p.label, int(p.value), "; ".join(p.rules).capitalize() if p.special_cause else "None"]
        for p in chart.points
    ]
    words = VARIATION_WORDS[chart.variation]
    # Rounded once, to what the words say: the line drawn, its tooltip and the text
    # alternative give the same figure (rounding 3.146 to 3.15 and then to 3.2 would not).
    mean, upper = round(chart.mean, 1), round(chart.upper_limit, 1)
    lower = round(max(chart.lower_limit, 0), 1)
    return Chart(
        slug=slug,
        title=title,
        kind="spc",
        headings=["Month", "Number", "Special cause"],
        rows=rows,
        variation=words,
        summary=(
            f"Statistical process control chart. {title}: mean {mean:,.1f} a month, "
            f"process limits {lower:,.1f} to {upper:,.1f}. "
            f"{words} Latest complete month ({labels[-1]}): {rows[-1][1]}.{note}"
        ),
        data={
            "type": "spc",
            "labels": labels,
            "values": [p.value for p in chart.points],
            "special": [p.special_cause for p in chart.points],
            "mean": mean,
            "upper": upper,
            "lower": lower,
            "label": title,
        },
    )


@dataclass(frozen=True)
class Headline:
    label: str
    value: Cell | str
    hint: str = ""


def _ratio(numerator: float, denominator: int, d: Discloser, fmt: str = "{:,.1f}") -> str:
    """A rate, hidden when its denominator would be hidden."""
    if denominator == 0:
        return "None yet"
    if d.count(denominator) == SUPPRESSED:
        return SUPPRESSED
    return fmt.format(numerator / denominator)


def headlines(data: DashboardData, d: Discloser) -> list[Headline]:
    cost = data.cost_pence
    attended = sum(row[2] for row in data.cost_by_programme or [])
    return [
        Headline("Conversations", d.total(data.conversations_by_month)),
        Headline("Signposts", d.total(data.signposts_by_month)),
        Headline("Referrals", d.total(data.referrals_by_month)),
        Headline(
            "Courses completed",
            d.total(data.trained_by_month),
            "Someone who completes two courses counts twice.",
        ),
        Headline(
            "Conversations per course completed",
            _ratio(data.conversations, data.trained, d),
        ),
        Headline(
            "Training cost",
            money(cost),
            "Trainers, venues and materials for sessions held."
            if cost is not None
            else "Costs are not recorded by staff group.",
        ),
        Headline(
            "Cost per person who attended",
            "Not available" if cost is None else _ratio(cost / 100, attended, d, "£{:,.2f}"),
        ),
    ]


def dashboard_charts(data: DashboardData, d: Discloser) -> list[Chart]:
    charts = [
        spc(
            "conversations-by-month",
            "Conversations each month",
            data.months,
            data.conversations_by_month,
            d,
            partial_last=data.partial_last,
        ),
        spc(
            "trained-by-month",
            "Courses completed each month",
            data.months,
            data.trained_by_month,
            d,
            partial_last=data.partial_last,
        ),
        # Each borough is below partnership level, whoever is looking.
        bar_chart("by-borough", "Conversations by borough", "Borough", data.by_area, BELOW),
        bar_chart("by-topic", "Conversations by topic", "Topic", data.by_topic, d),
        bar_chart("by-level", "Conversations by MECC level", "MECC level", data.by_level, d),
        bar_chart(
            "by-staff-group",
            "Conversations by staff group",
            "Staff group",
            data.by_staff_group,
            d,
        ),
        bar_chart("referral-outcomes", "Referral outcomes", "Status", data.by_outcome, d),
        bar_chart(
            "trained-by-programme",
            "Courses completed by programme",
            "Programme",
            data.trained_by_programme,
            d,
        ),
    ]
    if data.cost_by_programme is not None:
        rows: list[list[Cell]] = [
            [name, d.count(sessions), d.count(attended), money(cost)]
            for name, sessions, attended, cost in data.cost_by_programme
        ]
        charts.append(
            Chart(
                slug="cost-by-programme",
                title="Training sessions and cost by programme",
                kind="table",
                headings=["Programme", "Sessions", "People who attended", "Cost"],
                rows=rows,
                summary="Sessions held, people who attended and what the sessions cost.",
            )
        )
    return charts


def freshness(refreshed: datetime | None, *, now: datetime | None = None) -> str:
    """How fresh the rollups are, in words, for the page."""
    if refreshed is None:
        return "These figures have not been calculated yet. They update every few minutes."
    ago = timesince(refreshed, now or timezone.now()).split(",")[0]
    if ago.startswith("0\xa0minutes"):
        return "Data up to less than a minute ago."
    return f"Data up to {ago} ago."


def filter_summary(filters: DashboardFilters, names: dict[str, dict[int, str]]) -> list[str]:
    """The filters in words, for reports and exports."""
    parts = [f"Period: {filters.period}"]
    parts.append(f"Borough: {filters.area.name if filters.area else 'all you can see'}")
    if filters.organisation:
        parts.append(f"Organisation: {filters.organisation.name}")
    if filters.programme_id is not None:
        parts.append(f"Programme: {names['programmes'].get(filters.programme_id, '')}")
    if filters.staff_group:
        parts.append(f"Staff group: {StaffGroup(filters.staff_group).label}")
    if filters.topic_id is not None:
        parts.append(f"Topic: {names['topics'].get(filters.topic_id, '')}")
    return parts


@dataclass(frozen=True)
class DashboardView:
    headlines: list[Headline]
    charts: list[Chart]
    filter_words: list[str]
    disclosed: bool


def dashboard_view(scope: DashboardScope, filters: DashboardFilters) -> DashboardView:
    """Everything a page, export or report shows for these filters, disclosure applied."""
    data = dashboard_data(scope=scope, filters=filters)
    disclosure = discloser_for(scope, filters)
    return DashboardView(
        headlines=headlines(data, disclosure),
        charts=dashboard_charts(data, disclosure),
        filter_words=filter_summary(filters, data.names),
        disclosed=not disclosure.raw,
    )
