"""Administrators search the audit log in the portal and download what they found."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from core.services import audit_record

pytestmark = pytest.mark.django_db
URL = reverse("accounts:audit_log")
CSV_URL = reverse("accounts:audit_log_csv")


@pytest.fixture
def administrator(make_user, camden_trust):
    return make_user(Role.ADMINISTRATOR, camden_trust, with_mfa=True, email="ada@camden.example")


@pytest.fixture
def worker(make_user, haringey_council):
    return make_user(Role.FRONTLINE_WORKER, haringey_council, email="will@haringey.example")


def _event(actor, action: str, *, target=None, days_ago: int = 0, details=None) -> AuditEvent:
    event = audit_record(actor=actor, action=action, target=target, details=details)
    event.occurred_at = timezone.now() - datetime.timedelta(days=days_ago)
    event.save(update_fields=["occurred_at"])
    return event


def _actions(response) -> list[str]:
    return [row["action"] for row in response.context["rows"]]


def test_an_administrator_sees_the_log_newest_first_and_finds_it_in_the_navigation(
    client, administrator, worker
):
    _event(worker, "referral.created", target=worker, days_ago=2)
    _event(None, "referral.contact_purged", days_ago=1)
    client.force_login(administrator)
    response = client.get(URL)
    assert response.status_code == 200
    assert _actions(response) == ["referral.contact_purged", "referral.created"]
    body = response.content.decode()
    assert "System" in body and "will@haringey.example" in body
    # Actions in words, in the table and in the filter's choices.
    assert body.count("Referral: contact details deleted (retention)") == 2
    assert body.count("Referral: created") == 2
    assert 'class="nhsuk-table-responsive"' in body
    assert 'method="get"' in body.lower()
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "WILL@haringey"}, ["referral.status_changed", "referral.created"]),
        ({"action": "referral.contact_viewed"}, ["referral.contact_viewed"]),
        ({"organisation": "camden"}, ["referral.contact_viewed"]),
        ({"target_type": "user", "target_id": "worker"}, ["referral.created"]),
        ({"date_from": 5, "date_to": 3}, ["referral.status_changed"]),
        ({"date_from": 1}, ["referral.contact_viewed"]),
    ],
)
def test_the_log_filters_by_person_action_record_organisation_and_dates(
    client, administrator, worker, camden_trust, params, expected
):
    _event(worker, "referral.created", target=worker, days_ago=10)
    _event(worker, "referral.status_changed", days_ago=4)
    _event(administrator, "referral.contact_viewed", days_ago=0)
    query = dict(params)
    if query.get("organisation") == "camden":
        query["organisation"] = camden_trust.pk
    if "target_type" in query:
        query["target_type"] = ContentType.objects.get(app_label="accounts", model="user").pk
        query["target_id"] = worker.pk
    for name in ("date_from", "date_to"):
        if name in query:
            day = timezone.localdate() - datetime.timedelta(days=query.pop(name))
            query.update(
                {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
            )
    client.force_login(administrator)
    response = client.get(URL, query)
    assert response.status_code == 200, response.context["form"].errors
    assert _actions(response) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {
                "date_from_day": "10",
                "date_from_month": "3",
                "date_from_year": "2026",
                "date_to_day": "9",
                "date_to_month": "3",
                "date_to_year": "2026",
            },
            "The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date",
        ),
        ({"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"}, "real date"),
        ({"action": "no.such.action"}, "Select a valid choice"),
        ({"target_type": "999999"}, "Select a valid choice"),
        ({"actor": "x" * 300}, "at most 254 characters"),
    ],
)
def test_bad_filters_are_explained_in_the_error_summary(client, administrator, params, message):
    client.force_login(administrator)
    for url in (URL, CSV_URL):
        response = client.get(url, params)
        assert response.status_code == 400
        body = response.content.decode()
        assert "nhsuk-error-summary" in body
        assert message in body
        assert response.context["page"] is None
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.FRONTLINE_WORKER,
        Role.TRAINER,
        Role.TRAINING_LEAD,
        Role.SERVICE_PROVIDER,
        Role.COMMISSIONER,
    ],
)
def test_no_other_role_can_see_or_download_the_log(client, make_user, camden_trust, role):
    _event(None, "referral.contact_purged")
    scope = camden_trust.area if role == Role.COMMISSIONER else camden_trust
    user = make_user(role, scope, with_mfa=True)
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.get(CSV_URL).status_code == 404
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_log_uses_the_same_number_of_queries_for_1_and_50_rows(
    client, administrator, worker, django_assert_num_queries
):
    client.force_login(administrator)
    _event(worker, "referral.created", target=worker)
    client.get(URL)
    one = _queries(client, URL)
    for _ in range(49):
        _event(worker, "referral.status_changed", target=administrator)
    with django_assert_num_queries(one):
        response = client.get(URL)
    assert len(response.context["rows"]) == 50


def test_the_log_is_paginated(client, administrator, worker):
    for _ in range(51):
        _event(worker, "referral.created")
    client.force_login(administrator)
    first = client.get(URL, {"action": "referral.created"})
    assert len(first.context["rows"]) == 50
    assert "?action=referral.created&amp;page=2" in first.content.decode()  # filters kept
    second = client.get(URL, {"action": "referral.created", "page": 2})
    assert len(second.context["rows"]) == 1


def test_the_csv_export_holds_the_filtered_events_and_is_itself_audited(
    client, administrator, worker
):
    _event(worker, "referral.created", target=worker, details={"service": "=HYPERLINK(1)"})
    _event(worker, "referral.status_changed", details={"from": "sent", "to": "accepted"})
    client.force_login(administrator)
    response = client.get(CSV_URL, {"action": "referral.created"}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["When (UTC)", "Person", "Action"]
    assert [row[1:5] for row in rows[1:]] == [
        ["will@haringey.example", "referral.created", "User", str(worker.pk)]
    ]
    assert rows[1][6] == "service: =HYPERLINK(1)"  # not at the start of a cell: harmless
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.actor == administrator
    assert exported.ip_address == "10.9.8.7"
    assert exported.details == {"filters": {"action": "referral.created"}}


def test_a_csv_cell_that_starts_like_a_formula_is_made_text(client, administrator, make_user):
    sneaky = make_user(email="=cmd@evil.example")
    _event(sneaky, "referral.created")
    client.force_login(administrator)
    response = client.get(CSV_URL, {"action": "referral.created"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][1] == "'=cmd@evil.example"


def test_the_django_admin_lists_the_log_read_only_without_a_query_per_row(
    client, administrator, worker, django_assert_num_queries
):
    _event(worker, "referral.created", target=worker)
    client.force_login(administrator)
    url = reverse("admin:core_auditevent_changelist")
    client.get(url)
    one = _queries(client, url)
    for _ in range(19):
        _event(worker, "referral.created", target=administrator)
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200
    event = AuditEvent.objects.first()
    assert event is not None
    change = reverse("admin:core_auditevent_change", args=[event.pk])
    assert client.post(change, {"action": "edited"}).status_code == 403
    assert client.post(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="edited").exists()
