from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.training.factories import CompletionFactory, CourseFactory
from tests.training.support import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_user, camden_trust):
    return make_user(Role.TRAINING_LEAD, camden_trust, with_mfa=True)


@pytest.fixture
def staff(make_user, camden_trust):
    today = timezone.localdate()
    course = CourseFactory()
    people = {
        "trained": make_user(
            Role.FRONTLINE_WORKER, camden_trust, full_name="Tara Trained", staff_group="nursing"
        ),
        "expiring": make_user(
            Role.FRONTLINE_WORKER, camden_trust, full_name="Eve Expiring", staff_group="nursing"
        ),
        "expired": make_user(
            Role.FRONTLINE_WORKER, camden_trust, full_name="Ed Expired", staff_group="medical"
        ),
        "never": make_user(
            Role.FRONTLINE_WORKER, camden_trust, full_name="Nia Never", staff_group="medical"
        ),
    }
    CompletionFactory(
        learner=people["trained"], course=course, expires_on=today + timedelta(days=400)
    )
    CompletionFactory(
        learner=people["expiring"], course=course, expires_on=today + timedelta(days=20)
    )
    CompletionFactory(
        learner=people["expired"], course=course, expires_on=today - timedelta(days=2)
    )
    return people


def test_lead_sees_trained_expiring_expired_and_never_trained_by_staff_group(client, lead, staff):
    client.force_login(lead)
    response = client.get(reverse("training:compliance"))
    summary = {row["staff_group"]: row for row in response.context["summary"]}
    assert (summary["nursing"]["trained"], summary["nursing"]["expiring"]) == (1, 1)
    assert (summary["medical"]["expired"], summary["medical"]["never"]) == (1, 1)
    content = response.content.decode()
    assert "Nia Never" in content and "Never trained" in content


def test_filter_by_status_and_programme(client, lead, staff):
    client.force_login(lead)
    response = client.get(reverse("training:compliance"), {"programme": "mecc", "status": "never"})
    names = {p.full_name for p in response.context["page"].object_list}
    assert "Nia Never" in names and "Tara Trained" not in names
    response = client.get(reverse("training:compliance"), {"programme": "mhfa", "status": "all"})
    assert all(p.compliance == "never" for p in response.context["page"].object_list)


def test_lead_never_sees_another_organisations_staff(
    client, lead, make_user, haringey_council, staff
):
    make_user(Role.FRONTLINE_WORKER, haringey_council, full_name="Hari Elsewhere")
    client.force_login(lead)
    content = client.get(reverse("training:compliance")).content.decode()
    assert "Hari Elsewhere" not in content


def test_compliance_is_for_training_leads_only(client, make_user, camden_trust):
    client.force_login(make_user(Role.TRAINER, camden_trust))
    assert client.get(reverse("training:compliance")).status_code == 403


def test_compliance_exports_a_streamed_csv(client, lead, staff):
    client.force_login(lead)
    response = client.get(reverse("training:compliance_csv"), {"programme": "mecc"})
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_name = {row["Name"]: row for row in rows}
    assert by_name["Eve Expiring"]["Status"] == "Expiring within 60 days"
    assert by_name["Nia Never"]["Status"] == "Never trained"
    assert by_name["Ed Expired"]["Staff group"] == "Medical and dental"


def test_compliance_query_count_does_not_grow(
    client, lead, make_user, camden_trust, django_assert_num_queries
):
    client.force_login(lead)
    url = reverse("training:compliance")
    at_one_row = queries_for(client, url)
    for _ in range(50):
        CompletionFactory(learner=make_user(Role.FRONTLINE_WORKER, camden_trust))
    with django_assert_num_queries(at_one_row):
        client.get(url)


def test_compliance_csv_cannot_carry_a_spreadsheet_formula(client, lead, staff, make_user,
                                                           camden_trust):  # fmt: skip
    make_user(Role.FRONTLINE_WORKER, camden_trust, full_name="=HYPERLINK(\"x\")",
              job_title="+SUM(A1)")  # fmt: skip
    client.force_login(lead)
    response = client.get(reverse("training:compliance_csv"), {"programme": "mecc"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    row = next(r for r in rows if "HYPERLINK" in r["Name"])
    assert row["Name"] == '\'=HYPERLINK("x")'
    assert row["Job title"] == "'+SUM(A1)"
