"""Reads for the training pages, scoped through accounts.access, and the read API the
evaluation app uses (`reporting`: it must not query training models directly)."""

from training.selectors.compliance import (
    EXPIRING_WITHIN,
    Compliance,
    compliance_by_staff_group,
    staff_compliance,
)
from training.selectors.courses import course_manageable_get, courses_manageable
from training.selectors.quality import (
    quality_assessment_get,
    quality_assessments_visible,
    quality_criteria,
    quality_score_get,
)
from training.selectors.reporting import (
    completions_between,
    people_trained,
    session_costs,
)
from training.selectors.sessions import (
    PLACES_TAKEN,
    WAITLISTED,
    booking_of,
    catalogue_courses,
    completion_by_code,
    completion_of_learner,
    course_get,
    learner_bookings,
    learner_completions,
    register_bookings,
    session_bookings,
    session_get,
    session_manageable_get,
    sessions_manageable,
    sessions_with_places,
    staff_bookable_by,
    trainers_for,
    waitlist_place,
)
from training.selectors.trainers import (
    trainer_choices,
    trainers_managed,
    trainers_with_reach,
)

__all__ = [
    "EXPIRING_WITHIN",
    "PLACES_TAKEN",
    "WAITLISTED",
    "Compliance",
    "booking_of",
    "catalogue_courses",
    "completion_by_code",
    "completion_of_learner",
    "completions_between",
    "compliance_by_staff_group",
    "course_get",
    "course_manageable_get",
    "courses_manageable",
    "learner_bookings",
    "learner_completions",
    "people_trained",
    "quality_assessment_get",
    "quality_assessments_visible",
    "quality_criteria",
    "quality_score_get",
    "register_bookings",
    "session_bookings",
    "session_costs",
    "session_get",
    "session_manageable_get",
    "sessions_manageable",
    "sessions_with_places",
    "staff_bookable_by",
    "staff_compliance",
    "trainer_choices",
    "trainers_for",
    "trainers_managed",
    "trainers_with_reach",
    "waitlist_place",
]
