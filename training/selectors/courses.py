"""Reads for the courses a training lead or administrator manages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts import access
from accounts.access import Permission
from training.models import Course


def courses_manageable(user: Any) -> QuerySet[Course]:
    """Courses provided by an organisation where the user manages training, active first."""
    return access.scope(
        Course.objects.select_related("programme", "provider"),
        user,
        Permission.MANAGE_TRAINING,
        via="provider",
    ).order_by("-is_active", "programme__name", "level", "title")


def course_manageable_get(user: Any, *, pk: int) -> Course:
    """One course the user may change, or 404."""
    return access.get_in_scope(
        Course.objects.select_related("programme", "provider"),
        user,
        Permission.MANAGE_TRAINING,
        via="provider",
        pk=pk,
    )
