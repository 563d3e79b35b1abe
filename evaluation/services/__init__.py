"""Every evaluation write, one transaction each; one module per area, re-exported here."""

from evaluation.services.returns import (
    ANSWER_FIELDS,
    ReturnError,
    return_reminders_send,
    return_reopen,
    return_save_draft,
    return_submit,
)
from evaluation.services.workforce import headcount_record

__all__ = [
    "ANSWER_FIELDS",
    "ReturnError",
    "headcount_record",
    "return_reminders_send",
    "return_reopen",
    "return_save_draft",
    "return_submit",
]
