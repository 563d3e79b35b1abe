"""What the home page says to each role, and how the audit log reads to an administrator."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from accounts import access
from accounts.models import Role
from accounts.navigation import actions_for
from accounts.selectors import AuditFilters
from core.models import AuditEvent
from core.spreadsheets import safe_cell

ROLE_INTRODUCTIONS: dict[Role, str] = {
    Role.FRONTLINE_WORKER: "Book training, log brief-advice conversations and signpost or refer "
    "residents to local services.",
    Role.TRAINER: "Run your courses and sessions, take registers and issue certificates.",
    Role.TRAINING_LEAD: "Manage your organisation's staff training, courses and quality-marker "
    "self-assessments.",
    Role.SERVICE_PROVIDER: "Keep your service listings up to date and respond to referrals.",
    Role.COMMISSIONER: "See what training and conversations achieve in your area.",
    Role.ADMINISTRATOR: "Manage organisations, areas, users, roles and settings for the "
    "partnership.",
}


@dataclass
class RoleSection:
    title: str
    scopes: list[str]
    introduction: str
    actions: list[dict[str, str]] = field(default_factory=list)


def home_sections_for(user: Any) -> list[RoleSection]:
    """One section per role the user holds, with where it is held and what to do next."""
    by_role: dict[Role, list[str]] = {}
    for membership in access.memberships(user):
        by_role.setdefault(Role(membership.role), []).append(str(membership.scope))
    return [
        RoleSection(
            title=role.label,
            scopes=sorted(scopes),
            introduction=ROLE_INTRODUCTIONS[role],
            actions=actions_for(access.ROLE_PERMISSIONS[role]),
        )
        for role, scopes in sorted(by_role.items(), key=lambda item: list(Role).index(item[0]))
    ]


def account_actions() -> list[dict[str, str]]:
    """Actions every signed-in user has (their own account and security)."""
    return actions_for(None)


# Plain words for the actions about residents' data; others read from their code.
AUDIT_ACTION_LABELS = {
    "referral.contact_viewed": "Referral: looked at the resident's contact details",
    "referral.contact_purged": "Referral: contact details deleted (retention)",
    "referral.exported": "Referral: read through the FHIR API",
    "retention.resident_data_purged": "Retention: residents' data deleted",
    "core.field_encryption_rotated": "Encryption key rotated",
    "audit.exported": "Audit log: downloaded",
}


def audit_action_label(action: str) -> str:
    """What an action code means, in words ("referral.status_changed" -> "Referral: status
    changed")."""
    if action in AUDIT_ACTION_LABELS:
        return AUDIT_ACTION_LABELS[action]
    noun, _, verb = action.partition(".")
    words = verb.replace("_", " ")
    return f"{noun.replace('_', ' ').capitalize()}: {words}" if words else action.capitalize()


AUDIT_CSV_HEADER = [
    "When (UTC)",
    "Person",
    "Action",
    "Kind of record",
    "Record ID",
    "IP address",
    "Details",
]


def _target_kind(event: AuditEvent) -> str:
    if event.target_type is None:
        return ""
    model = event.target_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model else event.target_type.model


def _details_text(details: dict[str, Any]) -> str:
    return "; ".join(f"{key}: {value}" for key, value in sorted(details.items()))


def audit_row(event: AuditEvent) -> dict[str, Any]:
    """One audit event as the audit log page shows it."""
    return {
        "occurred_at": event.occurred_at,
        "actor": event.actor_email or "System",
        "action": event.action,
        "action_label": audit_action_label(event.action),
        "target_kind": _target_kind(event),
        "target_id": event.target_id,
        "ip_address": event.ip_address or "",
        "details": _details_text(event.details),
    }


def audit_csv_row(event: AuditEvent) -> list[Any]:
    """One audit event as a CSV row (text cells made safe from spreadsheet formulas)."""
    row = audit_row(event)
    return [
        safe_cell(value)
        for value in (
            event.occurred_at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
            row["actor"],
            row["action"],
            row["target_kind"],
            row["target_id"],
            row["ip_address"],
            row["details"],
        )
    ]


def audit_filters_summary(filters: AuditFilters) -> dict[str, str]:
    """The filters in force, as plain strings (recorded when the log is exported)."""
    values = {
        "actor": filters.actor,
        "action": filters.action,
        "target_type": filters.target_type.model if filters.target_type else "",
        "target_id": filters.target_id,
        "organisation": str(filters.organisation.pk) if filters.organisation else "",
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
    }
    return {key: value for key, value in values.items() if value}
