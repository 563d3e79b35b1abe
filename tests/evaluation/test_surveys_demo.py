"""The demo survey data: believable (learners gain confidence, some never answer) and
idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from evaluation.demo_surveys import HISTORY, seed_surveys
from evaluation.models import Answer, Invitation, SurveyKind, SurveyResponse
from evaluation.selectors.surveys import matched_changes, reaction
from training import demo as training_demo
from training.models import Booking

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Invitation.objects.count(), SurveyResponse.objects.count(), Answer.objects.count()


def test_demo_surveys_show_learning_and_non_response_and_run_twice_unchanged():
    accounts_demo.seed()
    training_demo.seed()
    seed_surveys()
    first = counts()
    seed_surveys()
    assert counts() == first
    invitations = Invitation.objects.all()
    assert set(invitations.values_list("kind", flat=True)) == set(SurveyKind.values)
    assert 0 < first[1] < first[0]  # some people never answer
    change = matched_changes(invitations)["confidence_raise_health"]
    assert change.pairs > 50
    assert change.mean_pre is not None and change.mean_post is not None
    assert change.mean_post - change.mean_pre > 0.5
    assert 4 < (reaction(invitations).satisfaction_mean or 0) <= 5
    # Post-course answers match training's record of who finished the evaluation.
    done = Booking.objects.filter(
        status=Booking.Status.ATTENDED,
        post_course_evaluation_completed_at__isnull=False,
        session__ends_at__gte=timezone.now() - HISTORY,
    )
    answered = invitations.filter(kind=SurveyKind.POST_COURSE, responded_at__isnull=False)
    assert set(answered.values_list("booking_id", flat=True)) == set(
        done.values_list("pk", flat=True)
    )
