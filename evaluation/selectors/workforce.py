"""Headcounts by organisation and staff group: the denominator for the share trained."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts import access
from accounts.access import Permission
from accounts.models import Organisation
from evaluation.models import WorkforceHeadcount


def headcount_by_org_and_staff_group(
    *, organisation_ids: Iterable[int] | None = None, on: date | None = None
) -> dict[tuple[int, str], int]:
    """The latest headcount on or before `on` (today) for each (organisation id, staff group).

    Callers scope `organisation_ids` to what the user may see; None means every organisation.
    One query, whatever the number of organisations.
    """
    rows = WorkforceHeadcount.objects.filter(as_of__lte=on or timezone.localdate())
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=list(organisation_ids))
    latest: dict[tuple[int, str], int] = {}
    ordered = rows.order_by("organisation_id", "staff_group", "as_of")
    for org_id, group, count in ordered.values_list("organisation_id", "staff_group", "headcount"):
        latest[(org_id, group)] = count  # later dates overwrite earlier ones
    return latest


def workforce_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations whose headcount the user may record."""
    return access.organisations_in_scope(user, Permission.MANAGE_STAFF).select_related("area")


def headcount_latest(*, organisation: Organisation) -> tuple[date | None, dict[str, int]]:
    """The organisation's most recent recording date and its headcount per staff group."""
    latest_date = (
        WorkforceHeadcount.objects.filter(organisation=organisation)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .first()
    )
    if latest_date is None:
        return None, {}
    rows = WorkforceHeadcount.objects.filter(organisation=organisation, as_of=latest_date)
    return latest_date, dict(rows.values_list("staff_group", "headcount"))


@dataclass(frozen=True)
class WorkforceSummary:
    organisation: Organisation
    total: int
    groups_recorded: int


def workforce_summaries(user: Any) -> list[WorkforceSummary]:
    """Each organisation the user manages with its current total headcount."""
    organisations = list(workforce_organisations(user))
    counts = headcount_by_org_and_staff_group(organisation_ids=[o.pk for o in organisations])
    summaries = []
    for organisation in organisations:
        mine = [c for (org_id, _), c in counts.items() if org_id == organisation.pk]
        summaries.append(WorkforceSummary(organisation, sum(mine), len(mine)))
    return summaries
