"""Evaluation reads, scoped through accounts.access; one module per area, re-exported here."""

from evaluation.selectors.resources import (
    glossary_letters,
    glossary_terms,
    resource_get,
    resources_published,
)
from evaluation.selectors.returns import (
    ReturnRow,
    organisation_for_return,
    return_for,
    return_get_for_viewer,
    return_period_current,
    return_periods,
    returns_for_lead,
    returns_summary,
)
from evaluation.selectors.workforce import (
    WorkforceSummary,
    headcount_by_org_and_staff_group,
    headcount_latest,
    workforce_organisations,
    workforce_summaries,
)

__all__ = [
    "ReturnRow",
    "WorkforceSummary",
    "glossary_letters",
    "glossary_terms",
    "headcount_by_org_and_staff_group",
    "headcount_latest",
    "organisation_for_return",
    "resource_get",
    "resources_published",
    "return_for",
    "return_get_for_viewer",
    "return_period_current",
    "return_periods",
    "returns_for_lead",
    "returns_summary",
    "workforce_organisations",
    "workforce_summaries",
]
