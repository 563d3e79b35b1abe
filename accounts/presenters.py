"""What the home page says to each role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts import access
from accounts.models import Role
from accounts.navigation import actions_for

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
