"""Every write in the training app (HackSoft style: keyword-only, one transaction each)."""

from training.services._common import TrainingError, add_months
from training.services.bookings import BOOKING_EMAIL, booking_cancel, booking_create, waitlist_fill
from training.services.completions import (
    certificate_for_download,
    completion_record_evaluation,
    register_is_open,
    register_record,
)
from training.services.courses import course_create, course_update
from training.services.imports import (
    ImportRow,
    completion_import_apply,
    completion_import_check,
    completion_import_upload,
)
from training.services.quality import ScoreInput, quality_assessment_save
from training.services.reminders import reminders_send
from training.services.sessions import session_cancel, session_create, session_update
from training.services.trainers import trainer_accreditation_record

__all__ = [
    "BOOKING_EMAIL",
    "ImportRow",
    "ScoreInput",
    "TrainingError",
    "add_months",
    "booking_cancel",
    "booking_create",
    "certificate_for_download",
    "completion_import_apply",
    "completion_import_check",
    "completion_import_upload",
    "completion_record_evaluation",
    "course_create",
    "course_update",
    "quality_assessment_save",
    "register_is_open",
    "register_record",
    "reminders_send",
    "session_cancel",
    "session_create",
    "session_update",
    "trainer_accreditation_record",
    "waitlist_fill",
]
