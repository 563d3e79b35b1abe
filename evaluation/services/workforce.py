"""Recording an organisation's headcount by staff group."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from accounts.models import Organisation, StaffGroup
from core.services import audit_record
from evaluation.models import WorkforceHeadcount


@transaction.atomic
def headcount_record(
    *,
    actor: Any,
    organisation: Organisation,
    as_of: date,
    headcounts: Mapping[str, int | None],
    request: HttpRequest | None = None,
) -> list[WorkforceHeadcount]:
    """Set the organisation's headcount per staff group as of a date (None clears a group)."""
    unknown = set(headcounts) - set(StaffGroup.values)
    if unknown:
        raise ValueError(f"unknown staff groups: {sorted(unknown)}")
    existing = {
        row.staff_group: row
        for row in WorkforceHeadcount.objects.select_for_update().filter(
            organisation=organisation, as_of=as_of
        )
    }
    saved: list[WorkforceHeadcount] = []
    for group, count in headcounts.items():
        row = existing.get(group)
        if count is None:
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = WorkforceHeadcount.objects.create(
                organisation=organisation, staff_group=group, headcount=count, as_of=as_of
            )
        elif row.headcount != count:
            row.headcount = count
            row.save(update_fields=["headcount", "updated_at"])
        saved.append(row)
    audit_record(
        actor=actor,
        action="workforce.headcount_recorded",
        target=organisation,
        request=request,
        details={
            "as_of": as_of.isoformat(),
            "headcounts": {g: c for g, c in headcounts.items() if c is not None},
        },
    )
    return saved
