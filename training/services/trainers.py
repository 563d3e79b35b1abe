"""Train the trainer: record who trained a trainer to deliver a programme."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import HttpRequest

from accounts.models import User
from core.services import audit_record
from training.models import Programme, TrainerAccreditation
from training.services._common import TrainingError


def trainer_accreditation_record(
    *,
    actor: User,
    trainer: User,
    programme: Programme,
    accredited_on: date,
    trained_by: User | None = None,
    trained_by_name: str = "",
    request: HttpRequest | None = None,
) -> TrainerAccreditation:
    """Record (or correct) who trained this trainer for the programme, and when."""
    if trained_by is None and not trained_by_name.strip():
        raise TrainingError("Say who trained them.")
    if trained_by is not None and trained_by.pk == trainer.pk:
        raise TrainingError("A trainer cannot have trained themselves.")
    with transaction.atomic():
        accreditation, _ = TrainerAccreditation.objects.update_or_create(
            trainer=trainer,
            programme=programme,
            defaults={
                "trained_by": trained_by,
                "trained_by_name": "" if trained_by else trained_by_name.strip(),
                "accredited_on": accredited_on,
            },
        )
        audit_record(
            actor=actor, action="training.trainer_accredited", target=accreditation, request=request
        )
    return accreditation
