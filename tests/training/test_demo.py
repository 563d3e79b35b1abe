from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from training.models import Booking, Completion, Session
from training.services import register_is_open

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Session.objects.count(),
        sorted(Booking.objects.values_list("session__starts_at", "learner__email", "status")),
        Completion.objects.count(),
    )


def test_demo_training_is_idempotent_and_spans_past_and_future():
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first
    now = timezone.now()
    assert Session.objects.filter(starts_at__lt=now - timezone.timedelta(days=300)).exists()
    assert Session.objects.filter(starts_at__gt=now + timezone.timedelta(days=60)).exists()
    assert Booking.objects.filter(status=Booking.Status.WAITLISTED).exists()
    soon = timezone.localdate() + timezone.timedelta(days=60)
    assert Completion.objects.filter(
        expires_on__gt=timezone.localdate(), expires_on__lte=soon
    ).exists()


def test_demo_people_have_believable_training():
    call_command("seed_demo", stdout=StringIO())
    learner = User.objects.get(email="frontline@fleetvalley.nhs.example")
    statuses = set(Booking.objects.filter(learner=learner).values_list("status", flat=True))
    assert {"attended", "booked", "waitlisted"} <= statuses
    assert Completion.objects.filter(learner=learner).count() >= 2
    trainer = User.objects.get(email="trainer@camden.council.example")
    assert any(register_is_open(s) for s in trainer.sessions_trained.all())
    lead = User.objects.get(email="training.lead@fleetvalley.nhs.example")
    assert User.objects.filter(organisation=lead.organisation).count() > 50
