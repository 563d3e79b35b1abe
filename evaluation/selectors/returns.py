"""Reading organisation returns: a training lead's own, and a commissioner's summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.access import Permission
from accounts.models import Organisation
from evaluation.models import OrganisationReturn, ReturnPeriod


def return_periods() -> QuerySet[ReturnPeriod]:
    return ReturnPeriod.objects.order_by("-starts_on", "name")


def return_period_current(*, today: date | None = None) -> ReturnPeriod | None:
    """The period whose deadline comes next, or else the most recent one."""
    today = today or timezone.localdate()
    upcoming = ReturnPeriod.objects.filter(deadline__gte=today).order_by("deadline").first()
    return upcoming or return_periods().first()


def organisation_for_return(user: Any, organisation_id: int) -> Organisation:
    """An organisation whose return the user may fill in, or 404."""
    return access.get_in_scope(
        Organisation.objects.select_related("area"),
        user,
        Permission.MANAGE_STAFF,
        via="",
        pk=organisation_id,
    )


def return_for(*, organisation: Organisation, period: ReturnPeriod) -> OrganisationReturn | None:
    return OrganisationReturn.objects.filter(organisation=organisation, period=period).first()


@dataclass(frozen=True)
class ReturnRow:
    """An organisation and its return for a period (None: not started)."""

    organisation: Organisation
    period: ReturnPeriod
    organisation_return: OrganisationReturn | None


def _rows(organisations: list[Organisation], periods: list[ReturnPeriod]) -> list[ReturnRow]:
    returns = {
        (r.organisation_id, r.period_id): r
        for r in OrganisationReturn.objects.filter(
            organisation__in=organisations, period__in=periods
        )
    }
    return [
        ReturnRow(organisation, period, returns.get((organisation.pk, period.pk)))
        for period in periods
        for organisation in organisations
    ]


def returns_for_lead(user: Any) -> list[ReturnRow]:
    """Every period for every organisation the user submits returns for, newest first."""
    organisations = list(
        access.organisations_in_scope(user, Permission.MANAGE_STAFF).select_related("area")
    )
    return _rows(organisations, list(return_periods()))


def returns_summary(user: Any, *, period: ReturnPeriod) -> list[ReturnRow]:
    """Each organisation in the commissioner's scope with its return for the period."""
    organisations = list(
        access.organisations_in_scope(user, Permission.VIEW_DASHBOARDS).select_related("area")
    )
    return _rows(organisations, [period])


def return_get_for_viewer(user: Any, pk: int) -> tuple[OrganisationReturn, Permission]:
    """A return the user may read, and the permission that lets them (dashboards first)."""
    returns = OrganisationReturn.objects.select_related(
        "organisation__area", "period", "submitted_by", "reopened_by", "updated_by"
    )
    for permission in (Permission.VIEW_DASHBOARDS, Permission.MANAGE_STAFF):
        found = access.scope(returns, user, permission).filter(pk=pk).first()
        if found is not None:
            return found, permission
    raise Http404("Not found")
