"""Bugs the form fuzzing found, kept as plain regression tests."""

from __future__ import annotations

import pytest

from accounts.models import Area, Role
from core.fields import ModelMultipleChoiceField
from referrals.models import Conversation, Topic

pytestmark = pytest.mark.django_db

TOO_BIG = "100000000000000000000"  # more than a 64-bit id column holds


@pytest.mark.parametrize("value", [[TOO_BIG], ["1", TOO_BIG], ["-" + TOO_BIG]])
def test_an_id_too_large_for_the_database_is_an_invalid_choice(value):
    """SQLite raised OverflowError (a 500) from Django's `id IN (...)` check."""
    field = ModelMultipleChoiceField(Topic.objects.all())
    with pytest.raises(Exception, match="is not a valid value") as error:
        field.clean(value)
    assert error.type.__name__ == "ValidationError"


def test_logging_a_conversation_with_an_impossible_topic_id_shows_an_error(
    client, make_user, camden_trust
):
    client.force_login(make_user(Role.FRONTLINE_WORKER, camden_trust))
    borough = Area.objects.create(ons_code="E09000019", name="Islington", kind=Area.Kind.BOROUGH)
    response = client.post(
        "/conversations/new/",
        {"topics": [TOO_BIG], "area": borough.pk, "mecc_level": "vba", "setting": "x"},
    )
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("total", ["12", "40", "5000"])
def test_a_workforce_form_count_above_the_staff_groups_is_an_error(
    client, make_user, camden_trust, total
):
    """More forms than staff groups raised IndexError building the extra forms."""
    from accounts.models import StaffGroup
    from evaluation.models import WorkforceHeadcount

    client.force_login(make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True))
    data = {
        "as_of_day": "1",
        "as_of_month": "1",
        "as_of_year": "2024",
        "groups-TOTAL_FORMS": total,
        "groups-INITIAL_FORMS": "0",
        **{f"groups-{index}-headcount": "3" for index in range(min(int(total), 40))},
    }
    assert int(total) > len(StaffGroup)
    response = client.post(f"/evaluation/workforce/{camden_trust.pk}/", data)
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert not WorkforceHeadcount.objects.exists()
