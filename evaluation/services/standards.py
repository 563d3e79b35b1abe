"""Writes for standards: administrators set and remove the targets boroughs are held to."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from accounts.models import Area, User
from core.services import audit_record
from evaluation.models import Standard
from evaluation.models.standards import LOWER_IS_BETTER


@transaction.atomic
def standard_set(
    *,
    actor: User,
    indicator: str,
    area: Area,
    target: Decimal,
    amber_threshold: Decimal | None = None,
    request: HttpRequest | None = None,
) -> Standard:
    """Set (or change) the target for an indicator in an area."""
    if amber_threshold is not None:
        lower = indicator in LOWER_IS_BETTER
        if (lower and amber_threshold <= target) or (not lower and amber_threshold >= target):
            side = "more" if lower else "less"
            raise ValidationError(
                f"The amber threshold must be {side} than the target for this indicator",
                code="amber",
            )
    standard, created = Standard.objects.update_or_create(
        indicator=indicator,
        area=area,
        defaults={"target": target, "amber_threshold": amber_threshold, "set_by": actor},
    )
    audit_record(
        actor=actor,
        action="standard.set" if created else "standard.changed",
        target=standard,
        request=request,
        details={"target": str(target), "amber": str(amber_threshold or "")},
    )
    return standard


@transaction.atomic
def standard_delete(*, actor: User, standard: Standard, request: HttpRequest | None = None) -> None:
    """Remove a standard: the benchmark shows that borough's result without a rating."""
    audit_record(
        actor=actor,
        action="standard.removed",
        target=standard,
        request=request,
        details={"indicator": standard.indicator, "area": standard.area_id},
    )
    standard.delete()
