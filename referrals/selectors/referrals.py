"""Reads for referrals: what a worker sent, a provider's inbox, one referral in scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts import access
from accounts.access import Permission
from referrals.models import Referral, ReferralStatusChange


def _referrals() -> QuerySet[Referral]:
    return Referral.objects.filter(kind=Referral.Kind.REFERRAL).select_related(
        "service__provider", "topic", "conversation__organisation", "created_by"
    )


def referrals_sent_by(*, user: Any) -> QuerySet[Referral]:
    """Referrals this user made, newest first."""
    return _referrals().filter(created_by=user)


def referrals_inbox(*, user: Any, open_only: bool = False) -> QuerySet[Referral]:
    """Referrals to services of the organisations the user responds for."""
    inbox = access.scope(
        _referrals(), user, Permission.RESPOND_TO_REFERRALS, via="service__provider"
    )
    if open_only:
        inbox = inbox.filter(closed_at__isnull=True)
    return inbox


@dataclass(frozen=True)
class ReferralView:
    referral: Referral
    is_provider: bool
    is_referrer: bool
    may_see_contact: bool = False  # the receiving provider, not an administrator


def referral_for(*, user: Any, uuid: UUID) -> ReferralView:
    """One referral the user made, manages the organisation of, or receives; otherwise 404."""
    providers = access.organisations_in_scope(user, Permission.RESPOND_TO_REFERRALS)
    visible = (
        Q(created_by=user)
        | Q(
            conversation__organisation__in=access.organisations_in_scope(
                user, Permission.MANAGE_STAFF
            )
        )
        | Q(service__provider__in=providers)
    )
    referral = (
        _referrals()
        .filter(visible, uuid=uuid)
        .prefetch_related(
            Prefetch("history", queryset=ReferralStatusChange.objects.select_related("changed_by"))
        )
        .first()
    )
    if referral is None:
        raise Http404("Not found")
    is_provider = providers.filter(pk=referral.service.provider_id).exists()
    return ReferralView(
        referral=referral,
        is_provider=is_provider,
        is_referrer=referral.created_by_id == user.pk,
        may_see_contact=is_provider
        and access.can(user, Permission.VIEW_RESIDENT_CONTACT, referral.service.provider),
    )
