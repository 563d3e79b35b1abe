"""The one place that answers "may this user do X here?" and scopes querysets (ADR 0004).

Views and selectors ask only this module. A role membership scoped to an organisation covers
that organisation; one scoped to an area covers the area, its child areas, and every
organisation in them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from accounts.models import Area, Organisation, Role, RoleMembership


class Permission(StrEnum):
    LOG_CONVERSATION = "conversation.log"
    BOOK_TRAINING = "training.book"
    RUN_SESSIONS = "training.run_sessions"
    MANAGE_TRAINING = "training.manage"
    MANAGE_STAFF = "staff.manage"
    MANAGE_LISTINGS = "directory.manage"
    RESPOND_TO_REFERRALS = "referrals.respond"
    VIEW_RESIDENT_CONTACT = "referrals.view_resident_contact"
    VIEW_DASHBOARDS = "evaluation.view_dashboards"
    MANAGE_TOPICS = "directory.manage_topics"
    VIEW_AUDIT_LOG = "audit.view"
    ADMINISTER = "portal.administer"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FRONTLINE_WORKER: frozenset({Permission.LOG_CONVERSATION, Permission.BOOK_TRAINING}),
    Role.TRAINER: frozenset({Permission.RUN_SESSIONS, Permission.BOOK_TRAINING}),
    Role.TRAINING_LEAD: frozenset(
        {
            Permission.MANAGE_TRAINING,
            Permission.MANAGE_STAFF,
            Permission.RUN_SESSIONS,
            Permission.BOOK_TRAINING,
        }
    ),
    Role.SERVICE_PROVIDER: frozenset(
        {
            Permission.MANAGE_LISTINGS,
            Permission.RESPOND_TO_REFERRALS,
            Permission.VIEW_RESIDENT_CONTACT,
        }
    ),
    Role.COMMISSIONER: frozenset({Permission.VIEW_DASHBOARDS, Permission.MANAGE_TOPICS}),
    # Everything but a resident's contact details: running the portal is no reason to read
    # them (least privilege); only the receiving provider does, and each read is audited.
    Role.ADMINISTRATOR: frozenset(Permission) - {Permission.VIEW_RESIDENT_CONTACT},
}

# Roles whose holders must set up a second factor before they reach any other page.
MFA_REQUIRED_ROLES = frozenset({Role.COMMISSIONER, Role.TRAINING_LEAD, Role.ADMINISTRATOR})

_CACHE_ATTR = "_portal_role_memberships"
M = TypeVar("M", bound=Model)


def memberships(user: Any) -> list[RoleMembership]:
    """The user's role memberships, loaded once per user object (so once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[RoleMembership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            RoleMembership.objects.filter(user=user).select_related("organisation", "area")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: Any) -> None:
    """Drop the per-object cache after roles change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: Any) -> set[Role]:
    return {Role(m.role) for m in memberships(user)}


def has_role(user: Any, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def requires_mfa(user: Any) -> bool:
    return has_role(user, *MFA_REQUIRED_ROLES)


def _granting(user: Any, permission: Permission) -> list[RoleMembership]:
    return [m for m in memberships(user) if permission in ROLE_PERMISSIONS[Role(m.role)]]


def _covered_area_ids(grants: list[RoleMembership]) -> set[int]:
    area_ids = {m.area_id for m in grants if m.area_id is not None}
    if area_ids:
        area_ids |= set(Area.objects.filter(parent_id__in=area_ids).values_list("pk", flat=True))
    return area_ids


def organisations_in_scope(user: Any, permission: Permission) -> QuerySet[Organisation]:
    """Organisations where the user holds the permission."""
    grants = _granting(user, permission)
    if not grants:
        return Organisation.objects.none()
    org_ids = {m.organisation_id for m in grants if m.organisation_id is not None}
    area_ids = _covered_area_ids(grants)
    return Organisation.objects.filter(Q(pk__in=org_ids) | Q(area_id__in=area_ids))


def areas_in_scope(user: Any, permission: Permission) -> QuerySet[Area]:
    """Areas the user holds the permission across (organisation scopes grant no area)."""
    grants = _granting(user, permission)
    return Area.objects.filter(pk__in=_covered_area_ids(grants))


def organisation_granted(
    user: Any, permission: Permission, organisation_id: int | None
) -> Organisation | None:
    """The organisation, already loaded, if a membership grants the permission there directly.

    Saves reading an organisation the memberships brought with them; None when the
    permission is held only through an area (or not at all): ask `can` then.
    """
    if organisation_id is None:
        return None
    for membership in _granting(user, permission):
        if membership.organisation_id == organisation_id:
            return membership.organisation
    return None


def can(user: Any, permission: Permission, target: Organisation | Area | None = None) -> bool:
    """May the user do this at all (no target), or in this organisation or area?"""
    grants = _granting(user, permission)
    if not grants:
        return False
    if target is None:
        return True
    if isinstance(target, Area):
        return target.pk in _covered_area_ids(grants)
    if any(m.organisation_id == target.pk for m in grants):
        return True
    return target.area_id in _covered_area_ids(grants)


def scope(
    queryset: QuerySet[M], user: Any, permission: Permission, *, via: str = "organisation"
) -> QuerySet[M]:
    """Narrow a queryset to rows whose organisation (reached through `via`) is in scope."""
    if not _granting(user, permission):
        return queryset.none()
    lookup = "pk__in" if via == "" else f"{via}__in"
    return queryset.filter(**{lookup: organisations_in_scope(user, permission)})


def get_in_scope(
    queryset: QuerySet[M],
    user: Any,
    permission: Permission,
    *,
    via: str = "organisation",
    **lookup: Any,
) -> M:
    """One object the user may act on, or 404: out of scope looks the same as absent."""
    obj = scope(queryset, user, permission, via=via).filter(**lookup).first()
    if obj is None:
        raise Http404("Not found")
    return obj
