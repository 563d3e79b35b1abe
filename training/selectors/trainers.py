"""Train the trainer: who trained each trainer, and what each trainer has delivered."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts import access
from accounts.access import Permission
from accounts.models import Role, User
from training.models import Booking, Session, TrainerAccreditation

TRAINER_ROLES = (Role.TRAINER, Role.TRAINING_LEAD)


def trainers_managed(user: Any) -> QuerySet[User]:
    """Trainers in the lead's organisations (MANAGE_TRAINING scope), with `sessions_delivered`,
    `people_reached` and their accreditations (`accreditations`) loaded."""
    orgs = access.organisations_in_scope(user, Permission.MANAGE_TRAINING)
    if not access.can(user, Permission.MANAGE_TRAINING):
        return User.objects.none()
    ids = User.objects.filter(
        Q(role_memberships__role__in=TRAINER_ROLES, role_memberships__organisation__in=orgs)
        | Q(organisation__in=orgs, trainer_accreditations__isnull=False)
    ).values("pk")
    return trainers_with_reach(User.objects.filter(pk__in=ids))


def trainers_with_reach(users: QuerySet[User]) -> QuerySet[User]:
    """Annotate sessions delivered (held, not cancelled) and distinct people who attended."""
    held = Q(
        sessions_trained__status=Session.Status.SCHEDULED,
        sessions_trained__starts_at__lt=timezone.now(),
    )
    return (
        users.annotate(
            sessions_delivered=Count("sessions_trained", filter=held, distinct=True),
            people_reached=Count(
                "sessions_trained__bookings__learner",
                filter=Q(sessions_trained__bookings__status=Booking.Status.ATTENDED),
                distinct=True,
            ),
        )
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "trainer_accreditations",
                queryset=TrainerAccreditation.objects.select_related("programme", "trained_by"),
                to_attr="accreditations",
            )
        )
        .order_by("full_name", "email")
    )


def trainer_choices() -> QuerySet[User]:
    """Anyone holding a trainer or training-lead role in the partnership."""
    return (
        User.objects.filter(role_memberships__role__in=TRAINER_ROLES, is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )
