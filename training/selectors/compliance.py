"""A training lead's view of their staff's training."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Case, Count, OuterRef, QuerySet, Subquery, Value, When

from accounts import access
from accounts.access import Permission
from accounts.models import User
from training.models import Completion, Programme

# --- Compliance for a training lead --------------------------------------------------------

EXPIRING_WITHIN = timedelta(days=60)


class Compliance(models.TextChoices):
    TRAINED = "trained", "Trained"
    EXPIRING = "expiring", "Expiring within 60 days"
    EXPIRED = "expired", "Expired"
    NEVER = "never", "Never trained"


def staff_compliance(user: Any, *, programme: Programme, today: date) -> QuerySet[User]:
    """The lead's staff (MANAGE_STAFF scope), each annotated with `compliance`,
    `last_completed` and `last_expires` for the programme."""
    latest = Completion.objects.filter(
        learner=OuterRef("pk"), course__programme=programme
    ).order_by("-completed_on", "-pk")
    staff = access.scope(User.objects.filter(is_active=True), user, Permission.MANAGE_STAFF)
    return (
        staff.annotate(
            last_completed=Subquery(latest.values("completed_on")[:1]),
            last_expires=Subquery(latest.values("expires_on")[:1]),
        )
        .annotate(
            compliance=Case(
                When(last_completed__isnull=True, then=Value(Compliance.NEVER.value)),
                When(last_expires__isnull=True, then=Value(Compliance.TRAINED.value)),
                When(last_expires__lt=today, then=Value(Compliance.EXPIRED.value)),
                When(
                    last_expires__lte=today + EXPIRING_WITHIN,
                    then=Value(Compliance.EXPIRING.value),
                ),
                default=Value(Compliance.TRAINED.value),
                output_field=models.CharField(),
            )
        )
        .select_related("organisation")
        .order_by("full_name", "email")
    )


def compliance_by_staff_group(staff: QuerySet[User]) -> list[dict[str, Any]]:
    """Counts of each compliance status per staff group, in one query."""
    # "compliance" is the annotation staff_compliance adds (invisible to the type checker).
    fields = ("staff_group", "compliance")
    rows = staff.order_by().values(*fields).annotate(people=Count("pk")).order_by("staff_group")
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault(
            row["staff_group"],
            {"staff_group": row["staff_group"], "total": 0}
            | {status.value: 0 for status in Compliance},
        )
        group[row["compliance"]] += row["people"]
        group["total"] += row["people"]
    return list(groups.values())
