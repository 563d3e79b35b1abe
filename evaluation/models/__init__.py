"""Evaluation models, one module per area; import them from here."""

from evaluation.models.reports import Report
from evaluation.models.resources import GlossaryTerm, Resource
from evaluation.models.returns import OrganisationReturn, ReturnPeriod, ReturnProgramme
from evaluation.models.rollups import (
    ConversationRollup,
    ConversationTopicRollup,
    ReferralOutcomeRollup,
    SessionRollup,
    TrainingRollup,
    Watermark,
)
from evaluation.models.standards import BenchmarkIndicator, Standard
from evaluation.models.surveys import (
    Answer,
    Invitation,
    Measure,
    Question,
    Survey,
    SurveyKind,
    SurveyResponse,
)
from evaluation.models.workforce import WorkforceHeadcount

__all__ = [
    "Answer",
    "BenchmarkIndicator",
    "ConversationRollup",
    "ConversationTopicRollup",
    "GlossaryTerm",
    "Invitation",
    "Measure",
    "OrganisationReturn",
    "Question",
    "ReferralOutcomeRollup",
    "Report",
    "Resource",
    "ReturnPeriod",
    "ReturnProgramme",
    "SessionRollup",
    "Standard",
    "Survey",
    "SurveyKind",
    "SurveyResponse",
    "TrainingRollup",
    "Watermark",
    "WorkforceHeadcount",
]
