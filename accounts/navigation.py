"""Navigation and home-page actions by permission.

Apps add their own entries with register_nav / register_action from AppConfig.ready(), so
accounts never imports the apps that depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from accounts import access
from accounts.access import Permission


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    permission: Permission | None = None
    description: str = ""

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


NAV: list[Entry] = [
    Entry("Home", "home"),
    Entry("Administration", "admin:index", Permission.ADMINISTER),
]

# What each permission lets the user do next, shown on the home page.
ACTIONS: list[Entry] = [
    Entry(
        "Manage organisations, areas, users and roles",
        "admin:index",
        Permission.ADMINISTER,
        "Add organisations and their email domains, give people roles, and set standards.",
    ),
    Entry(
        "Two-factor authentication",
        "mfa_index",
        None,
        "Set up an authenticator app, security key or recovery codes.",
    ),
    Entry(
        "Where you are signed in",
        "usersessions_list",
        None,
        "See the devices you are signed in on and sign out of the others.",
    ),
]


def register_nav(entry: Entry) -> None:
    """Add a navigation entry (apps call this from their AppConfig.ready)."""
    if entry not in NAV:
        NAV.append(entry)


def register_action(entry: Entry) -> None:
    """Add a home-page action for the roles holding entry.permission."""
    if entry not in ACTIONS:
        ACTIONS.insert(len([a for a in ACTIONS if a.permission is not None]), entry)


def _visible(entry: Entry, user: Any) -> bool:
    return entry.permission is None or access.can(user, entry.permission)


def nav_items_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    items = []
    for entry in NAV:
        url = entry.url()
        if url and _visible(entry, user):
            current = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": entry.label, "url": url, "current": current})
    return items


def actions_for(permissions: frozenset[Permission] | None) -> list[dict[str, str]]:
    """Home-page actions for these permissions; None means the actions every user has."""
    actions = []
    for entry in ACTIONS:
        wanted = (
            entry.permission is None if permissions is None else entry.permission in permissions
        )
        url = entry.url() if wanted else None
        if url:
            actions.append({"label": entry.label, "url": url, "description": entry.description})
    return actions
