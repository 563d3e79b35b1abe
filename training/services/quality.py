"""Quality-marker self-assessments: a training lead scores a course against each criterion."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Organisation, User
from core.services import audit_record
from training.models import Course, QualityAssessment, QualityCriterion, QualityScore
from training.services._common import TrainingError


@dataclass(frozen=True)
class ScoreInput:
    criterion: QualityCriterion
    score: int | None
    evidence: str = ""
    attachment: UploadedFile[bytes] | None = None


def quality_assessment_save(
    *,
    actor: User,
    organisation: Organisation,
    course: Course,
    scores: list[ScoreInput],
    submit: bool,
    assessment: QualityAssessment | None = None,
    request: HttpRequest | None = None,
) -> QualityAssessment:
    """Create or update a draft; `submit` needs a score for every active criterion."""
    active = set(QualityCriterion.objects.filter(is_active=True).values_list("pk", flat=True))
    scored = {s.criterion.pk for s in scores if s.score is not None}
    if submit and not active <= scored:
        raise TrainingError("Score every criterion before you submit the self-assessment.")
    with transaction.atomic():
        if assessment is None:
            assessment = QualityAssessment.objects.create(
                course=course, organisation=organisation, created_by=actor
            )
        elif assessment.status == QualityAssessment.Status.SUBMITTED:
            raise TrainingError("This self-assessment has been submitted and cannot be changed.")
        for item in scores:
            if item.score is None:
                QualityScore.objects.filter(
                    assessment=assessment, criterion=item.criterion
                ).delete()
                continue
            row, _ = QualityScore.objects.update_or_create(
                assessment=assessment,
                criterion=item.criterion,
                defaults={"score": item.score, "evidence": item.evidence},
            )
            if item.attachment is not None:
                row.attachment.save(item.attachment.name or "evidence", item.attachment)
        if submit:
            assessment.status = QualityAssessment.Status.SUBMITTED
            assessment.submitted_at = timezone.now()
            assessment.save(update_fields=["status", "submitted_at", "updated_at"])
        audit_record(
            actor=actor,
            action="training.quality_submitted" if submit else "training.quality_saved",
            target=assessment,
            request=request,
        )
    return assessment
