"""Reads for quality-marker self-assessments: leads see their organisations' (drafts too),
commissioners see submitted ones in their area."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts import access
from accounts.access import Permission
from training.models import QualityAssessment, QualityCriterion, QualityScore


def quality_assessments_visible(user: Any) -> QuerySet[QualityAssessment]:
    managed = access.organisations_in_scope(user, Permission.MANAGE_TRAINING)
    viewed = access.organisations_in_scope(user, Permission.VIEW_DASHBOARDS)
    return (
        QualityAssessment.objects.filter(
            Q(organisation__in=managed)
            | Q(organisation__in=viewed, status=QualityAssessment.Status.SUBMITTED)
        )
        .select_related("course__programme", "organisation", "created_by")
        .order_by("-updated_at")
    )


def quality_assessment_get(user: Any, *, pk: int) -> QualityAssessment:
    """One assessment the user may see, with scores and criteria, or 404."""
    assessment = (
        quality_assessments_visible(user)
        .prefetch_related(
            Prefetch("scores", queryset=QualityScore.objects.select_related("criterion"))
        )
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("Not found")
    return assessment


def quality_score_get(user: Any, *, pk: int) -> QualityScore:
    """A score whose assessment the user may see (for its attachment), or 404."""
    score = (
        QualityScore.objects.filter(pk=pk, assessment__in=quality_assessments_visible(user))
        .exclude(attachment="")
        .first()
    )
    if score is None:
        raise Http404("Not found")
    return score


def quality_criteria() -> QuerySet[QualityCriterion]:
    return QualityCriterion.objects.filter(is_active=True).order_by("order", "pk")
