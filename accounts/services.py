"""Writes about people and their roles."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from accounts import access
from accounts.models import Area, Organisation, OrganisationEmailDomain, Role, RoleMembership, User
from core.services import audit_record


def organisation_for_email(email: str) -> Organisation | None:
    """The organisation that owns this address's domain, if any."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    found = (
        OrganisationEmailDomain.objects.select_related("organisation").filter(domain=domain).first()
    )
    return found.organisation if found else None


@transaction.atomic
def user_sign_up(
    *,
    user: User,
    full_name: str,
    staff_group: str,
    job_title: str,
    request: HttpRequest | None = None,
) -> User:
    """Save a new user in the organisation that owns their email domain, as a frontline worker."""
    organisation = organisation_for_email(user.email)
    if organisation is None:
        raise ValueError("sign-up needs an email domain that an organisation owns")
    user.full_name = full_name
    user.staff_group = staff_group
    user.job_title = job_title
    user.organisation = organisation
    user.save()
    role_grant(
        user=user, role=Role.FRONTLINE_WORKER, scope=organisation, actor=None, request=request
    )
    audit_record(
        actor=user,
        action="account.signed_up",
        target=user,
        request=request,
        details={"organisation_id": organisation.pk},
    )
    return user


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: Role,
    scope: Organisation | Area,
    actor: User | None,
    request: HttpRequest | None = None,
) -> RoleMembership:
    """Give a user a role in an organisation or area (a no-op if they already hold it)."""
    if isinstance(scope, Organisation):
        membership, _ = RoleMembership.objects.get_or_create(
            user=user, role=role, organisation=scope
        )
    else:
        membership, _ = RoleMembership.objects.get_or_create(user=user, role=role, area=scope)
    access.forget_memberships(user)
    audit_record(
        actor=actor,
        action="role.granted",
        target=user,
        request=request,
        details={"role": str(role), "scope": str(scope)},
    )
    return membership
