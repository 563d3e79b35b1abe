from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role

pytestmark = pytest.mark.django_db


def actions(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    labels = {a["label"] for section in response.context["sections"] for a in section.actions}
    nav = {item["label"] for item in response.context["nav_items"]}
    return labels, nav


def test_learners_find_training_and_their_own_record(client, make_user, camden_trust):
    labels, nav = actions(client, make_user(Role.FRONTLINE_WORKER, camden_trust))
    assert {"Find and book training", "My training"} <= labels
    assert "Your sessions" not in labels
    assert "Training" in nav


def test_trainers_see_their_sessions(client, make_user, camden_trust):
    labels, _ = actions(client, make_user(Role.TRAINER, camden_trust))
    assert "Your sessions" in labels
    assert "Staff training compliance" not in labels


def test_training_leads_see_compliance_and_the_quality_marker(client, make_user, camden_trust):
    labels, _ = actions(client, make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True))
    assert {"Staff training compliance", "Quality marker", "Import completions"} <= labels
    assert "Your courses" in labels


def test_trainers_do_not_manage_courses(client, make_user, camden_trust):
    labels, _ = actions(client, make_user(Role.TRAINER, camden_trust))
    assert "Your courses" not in labels


def test_service_providers_have_no_training_navigation(client, make_user, camden_trust):
    labels, nav = actions(client, make_user(Role.SERVICE_PROVIDER, camden_trust))
    assert "Training" not in nav
    assert "Find and book training" not in labels
