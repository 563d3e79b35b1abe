"""Creating and changing courses (training leads and administrators, in the portal)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from accounts.models import Organisation, User
from core.services import audit_record
from training.models import Course, Programme
from training.services._common import TrainingError

COURSE_FIELDS = (
    "programme",
    "title",
    "level",
    "delivery_mode",
    "external_url",
    "duration_minutes",
    "cost_pence",
    "provider",
    "audience",
    "description",
    "is_refresher",
    "is_active",
)


def _check(course: Course) -> None:
    """The rules a course always keeps, whoever writes it."""
    if course.programme.has_levels and course.level is None:
        raise TrainingError(f"Choose the level of this {course.programme.name} course.")
    if not course.programme.has_levels and course.level is not None:
        raise TrainingError(f"{course.programme.name} courses have no levels.")
    if course.delivery_mode == Course.Mode.E_LEARNING and not course.external_url:
        raise TrainingError("An e-learning course needs the link where it is taken.")


def course_create(
    *,
    actor: User,
    programme: Programme,
    title: str,
    delivery_mode: str,
    duration_minutes: int,
    provider: Organisation,
    level: int | None = None,
    external_url: str = "",
    cost_pence: int = 0,
    audience: str = "",
    description: str = "",
    is_refresher: bool = False,
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> Course:
    """Add a course to the catalogue, provided by the organisation."""
    course = Course(
        programme=programme,
        title=title,
        level=level,
        delivery_mode=delivery_mode,
        external_url=external_url,
        duration_minutes=duration_minutes,
        cost_pence=cost_pence,
        provider=provider,
        audience=audience,
        description=description,
        is_refresher=is_refresher,
        is_active=is_active,
    )
    _check(course)
    with transaction.atomic():
        course.save()
        audit_record(
            actor=actor,
            action="training.course_created",
            target=course,
            request=request,
            details={"provider": provider.pk},
        )
    return course


def course_update(
    *,
    course: Course,
    actor: User,
    request: HttpRequest | None = None,
    **changes: object,
) -> Course:
    """Change a course's details; the audit row lists the fields that changed."""
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"course_update() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Course.objects.select_for_update().select_related("programme").get(pk=course.pk)
        changed = sorted(name for name, value in changes.items() if getattr(locked, name) != value)
        for name in changed:
            setattr(locked, name, changes[name])
        _check(locked)
        if changed:
            locked.save()
        audit_record(
            actor=actor,
            action="training.course_updated",
            target=locked,
            request=request,
            details={"fields": changed},
        )
    return locked
