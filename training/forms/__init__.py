"""Validation only: the services do the writing."""

from training.forms.catalogue import BookStaffForm, CatalogueFilterForm, ComplianceFilterForm
from training.forms.courses import CourseForm
from training.forms.quality import (
    EVIDENCE_MAX_BYTES,
    EVIDENCE_TYPES,
    QualityAssessmentForm,
    validate_evidence_file,
)
from training.forms.records import IMPORT_MAX_BYTES, CompletionImportForm, TrainerAccreditationForm
from training.forms.sessions import RegisterForm, SessionCancelForm, SessionForm

__all__ = [
    "EVIDENCE_MAX_BYTES",
    "EVIDENCE_TYPES",
    "IMPORT_MAX_BYTES",
    "BookStaffForm",
    "CatalogueFilterForm",
    "CompletionImportForm",
    "ComplianceFilterForm",
    "CourseForm",
    "QualityAssessmentForm",
    "RegisterForm",
    "SessionCancelForm",
    "SessionForm",
    "TrainerAccreditationForm",
    "validate_evidence_file",
]
