"""Consented referrals: making one, the provider's inbox and responses, reminders, purge."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, OutboxMessage
from referrals.models import Referral, Service
from referrals.services import referrals as services
from tests.referrals.activity_factories import (
    ActivityServiceFactory,
    Cast,
    ConversationFactory,
    ReferralFactory,
    build_cast,
)

pytestmark = pytest.mark.django_db
S = Referral.Status


@pytest.fixture
def cast(make_user, camden_trust, haringey_council, partnership) -> Cast:
    return build_cast(
        make_user,
        camden_trust=camden_trust,
        haringey_council=haringey_council,
        partnership=partnership,
    )


def _refer(cast: Cast, **overrides: object) -> Referral:
    conversation = ConversationFactory(author=cast.worker, topics=[cast.topic])
    arguments: dict[str, object] = {
        "conversation": conversation,
        "service": cast.service,
        "actor": cast.worker,
        "consent_given": True,
        "contact_name": "Ada Resident",
        "contact_phone": "07700 900123",
    }
    arguments.update(overrides)
    return services.referral_create(**arguments)  # type: ignore[arg-type]


# --- Making a referral ---------------------------------------------------------------------


def test_a_referral_records_consent_history_audit_and_a_provider_email_without_resident_data(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = _refer(cast)
    assert referral.status == S.SENT
    assert referral.consent_recorded_by == cast.worker
    assert referral.consent_given_at is not None
    assert cast.provider_org.name in referral.consent_statement
    assert referral.topic == cast.topic
    assert [h.status for h in referral.history.all()] == [S.SENT]
    assert AuditEvent.objects.filter(action="referral.created", target_id=str(referral.pk)).exists()
    message = OutboxMessage.objects.get(idempotency_key=f"referral-new-{referral.uuid}")
    assert message.recipients == [cast.provider.email]
    text = message.subject + message.body_text + message.body_html
    assert "Ada" not in text and "07700" not in text
    assert str(referral.uuid) in message.body_text


def test_referral_needs_consent_and_a_way_to_contact(cast):
    with pytest.raises(ValidationError):
        _refer(cast, consent_given=False)
    with pytest.raises(ValidationError):
        _refer(cast, contact_phone="", contact_email="")
    assert Referral.objects.filter(kind=Referral.Kind.REFERRAL).count() == 1


def test_a_signpost_only_service_takes_no_referrals(cast):
    with pytest.raises(ValidationError):
        _refer(cast, service=cast.signpost_service)


def test_only_the_author_can_refer_from_a_conversation(cast):
    with pytest.raises(PermissionDenied):
        _refer(cast, actor=cast.colleague)


def test_the_referral_form_creates_a_referral_and_shows_the_timeline(client, cast):
    conversation = ConversationFactory(author=cast.worker, topics=[cast.topic])
    client.force_login(cast.worker)
    url = reverse("referrals:referral_create", args=[conversation.uuid, cast.service.uuid])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"consent": "on", "contact_name": "Ada", "contact_email": "ada@resident.example"},
        follow=True,
    )
    referral = conversation.referrals.get()
    assert response.redirect_chain[-1][0] == reverse(
        "referrals:referral_detail", args=[referral.uuid]
    )
    assert "Referral sent" in response.content.decode()
    # The referrer sees the timeline but never the contact details.
    assert "ada@resident.example" not in response.content.decode()


def test_the_referral_form_shows_errors_for_missing_consent_and_contact(client, cast):
    conversation = ConversationFactory(author=cast.worker, topics=[cast.topic])
    client.force_login(cast.worker)
    url = reverse("referrals:referral_create", args=[conversation.uuid, cast.service.uuid])
    response = client.post(url, {"contact_name": "Ada"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Confirm the resident agrees before you refer them" in body
    assert "Enter a phone number or an email address" in body
    assert not conversation.referrals.exists()


@pytest.mark.parametrize("who", ["colleague", "outsider", "provider", "lead"])
def test_nobody_else_can_refer_from_a_conversation(client, cast, who):
    client.force_login(getattr(cast, who))
    url = reverse("referrals:referral_create", args=[cast.conversation.uuid, cast.service.uuid])
    assert client.get(url).status_code in (403, 404)


def test_a_signpost_only_service_has_no_referral_form(client, cast):
    client.force_login(cast.worker)
    url = reverse(
        "referrals:referral_create", args=[cast.conversation.uuid, cast.signpost_service.uuid]
    )
    assert client.get(url).status_code == 404


# --- Status round-trip ---------------------------------------------------------------------


def test_the_provider_accepts_then_completes_and_each_step_is_attributed(cast):
    referral = cast.referral
    services.referral_status_update(
        referral=referral, actor=cast.provider, status=S.ACCEPTED, as_provider=True
    )
    services.referral_status_update(
        referral=referral, actor=cast.provider, status=S.COMPLETED, as_provider=True
    )
    referral.refresh_from_db()
    assert referral.status == S.COMPLETED
    assert referral.closed_at is not None
    steps = [(h.status, h.changed_by) for h in referral.history.all()]
    assert steps == [
        (S.SENT, cast.worker),
        (S.ACCEPTED, cast.provider),
        (S.COMPLETED, cast.provider),
    ]
    assert AuditEvent.objects.filter(action="referral.status_changed").count() == 2


def test_a_bad_transition_is_refused_with_a_clear_message(cast):
    with pytest.raises(services.TransitionNotAllowed, match="sent cannot be marked completed"):
        services.referral_status_update(
            referral=cast.referral, actor=cast.provider, status=S.COMPLETED, as_provider=True
        )
    cast.referral.refresh_from_db()
    assert cast.referral.status == S.SENT


def test_declining_needs_a_reason(cast):
    with pytest.raises(ValidationError):
        services.referral_status_update(
            referral=cast.referral, actor=cast.provider, status=S.DECLINED, as_provider=True
        )
    services.referral_status_update(
        referral=cast.referral,
        actor=cast.provider,
        status=S.DECLINED,
        as_provider=True,
        reason="Lives outside our area",
    )
    assert cast.referral.history.last().reason == "Lives outside our area"


def test_the_referrer_can_cancel_but_not_accept(cast):
    with pytest.raises(services.TransitionNotAllowed):
        services.referral_status_update(
            referral=cast.referral, actor=cast.worker, status=S.ACCEPTED, as_provider=False
        )
    services.referral_status_update(
        referral=cast.referral, actor=cast.worker, status=S.CANCELLED, as_provider=False
    )
    cast.referral.refresh_from_db()
    assert cast.referral.status == S.CANCELLED


def test_the_provider_responds_through_the_page(client, cast):
    client.force_login(cast.provider)
    url = reverse("referrals:referral_status", args=[cast.referral.uuid])
    assert client.post(url, {"status": S.ACCEPTED}).status_code == 302
    cast.referral.refresh_from_db()
    assert cast.referral.status == S.ACCEPTED


def test_a_bad_transition_through_the_page_is_a_4xx_with_the_error_summary(client, cast):
    client.force_login(cast.provider)
    url = reverse("referrals:referral_status", args=[cast.referral.uuid])
    response = client.post(url, {"status": S.COMPLETED})
    assert response.status_code == 400
    assert "nhsuk-error-summary" in response.content.decode()
    response = client.post(url, {"status": S.DECLINED})
    assert response.status_code == 400
    assert "Enter why you are declining this referral" in response.content.decode()
    cast.referral.refresh_from_db()
    assert cast.referral.status == S.SENT


@pytest.mark.parametrize("who", ["colleague", "outsider", "lead", "other_provider", "commissioner"])
def test_only_the_provider_and_referrer_can_change_a_referral(client, cast, who):
    client.force_login(getattr(cast, who))
    url = reverse("referrals:referral_status", args=[cast.referral.uuid])
    assert client.post(url, {"status": S.ACCEPTED}).status_code == 404
    cast.referral.refresh_from_db()
    assert cast.referral.status == S.SENT


# --- Who sees what -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("lead", 200),
        ("provider", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("other_provider", 404),
        ("commissioner", 404),
    ],
)
def test_who_can_see_a_referral(client, cast, who, status):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("referrals:referral_detail", args=[cast.referral.uuid]))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "Referral sent" in body  # the timeline
        assert "07700 900123" not in body  # contact details only on an explicit action


def test_the_provider_sees_contact_details_only_by_asking_and_each_look_is_audited(client, cast):
    client.force_login(cast.provider)
    url = reverse("referrals:referral_contact", args=[cast.referral.uuid])
    response = client.post(url)
    assert response.status_code == 200
    assert "07700 900123" in response.content.decode()
    client.post(url)
    events = AuditEvent.objects.filter(
        action="referral.contact_viewed", target_id=str(cast.referral.pk)
    )
    assert events.count() == 2
    assert events.first().actor == cast.provider


@pytest.mark.parametrize(
    "who", ["worker", "lead", "colleague", "outsider", "other_provider", "commissioner"]
)
def test_nobody_but_the_provider_can_see_contact_details(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.post(reverse("referrals:referral_contact", args=[cast.referral.uuid]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="referral.contact_viewed").exists()


def test_the_inbox_shows_only_referrals_to_the_providers_services(client, cast):
    other_service = ActivityServiceFactory(provider=cast.other_provider.organisation)
    ReferralFactory(service=other_service)
    client.force_login(cast.provider)
    response = client.get(reverse("referrals:referral_inbox"))
    assert [row["referral"] for row in response.context["rows"]] == [cast.referral]
    assert "07700" not in response.content.decode()
    for who in ("worker", "lead", "commissioner"):
        client.force_login(getattr(cast, who))
        assert client.get(reverse("referrals:referral_inbox")).status_code == 403


def test_referrals_sent_lists_only_my_own(client, cast):
    ReferralFactory(conversation=ConversationFactory(author=cast.colleague), service=cast.service)
    client.force_login(cast.worker)
    response = client.get(reverse("referrals:referrals_sent"))
    assert [row["referral"] for row in response.context["rows"]] == [cast.referral]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["referral_inbox", "referrals_sent"])
def test_referral_lists_use_the_same_number_of_queries_for_1_and_50_rows(
    client, cast, django_assert_num_queries, url_name
):
    client.force_login(cast.provider if url_name == "referral_inbox" else cast.worker)
    url = reverse(f"referrals:{url_name}")
    client.get(url)
    one = _queries(client, url)
    for _ in range(49):
        conversation = ConversationFactory(author=cast.worker, topics=[cast.topic])
        ReferralFactory(conversation=conversation, service=cast.service)
    with django_assert_num_queries(one):
        response = client.get(url)
    assert len(response.context["rows"]) == 25


# --- Reminders and purge -------------------------------------------------------------------


def test_an_unanswered_referral_gets_one_reminder_after_the_response_days(cast, settings):
    settings.REFERRAL_RESPONSE_DAYS = 5
    created = cast.referral.created_at
    with time_machine.travel(created + datetime.timedelta(days=4)):
        assert services.referral_reminders_send() == 0
    with time_machine.travel(created + datetime.timedelta(days=5, minutes=1)):
        assert services.referral_reminders_send() == 1
        assert services.referral_reminders_send() == 0
    reminders = OutboxMessage.objects.filter(
        idempotency_key=f"referral-reminder-{cast.referral.uuid}"
    )
    assert reminders.count() == 1
    assert "Ada" not in reminders.get().body_text
    assert AuditEvent.objects.filter(action="referral.reminder_sent").count() == 1


def test_an_answered_referral_gets_no_reminder(cast):
    services.referral_status_update(
        referral=cast.referral, actor=cast.provider, status=S.ACCEPTED, as_provider=True
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        assert services.referral_reminders_send() == 0


def test_contact_details_are_purged_after_the_retention_period_once_closed(cast, settings):
    settings.REFERRAL_CONTACT_RETENTION_DAYS = 90
    open_referral = ReferralFactory(service=cast.service)
    services.referral_status_update(
        referral=cast.referral,
        actor=cast.provider,
        status=S.DECLINED,
        as_provider=True,
        reason="Full",
    )
    cast.referral.refresh_from_db()
    closed = cast.referral.closed_at
    with time_machine.travel(closed + datetime.timedelta(days=89)):
        assert services.referral_contacts_purge() == 0
    with time_machine.travel(closed + datetime.timedelta(days=91)):
        assert services.referral_contacts_purge() == 1
        assert services.referral_contacts_purge() == 0
    cast.referral.refresh_from_db()
    assert cast.referral.contact_name == ""
    assert cast.referral.contact_phone == ""
    assert cast.referral.contact_email == ""
    assert cast.referral.contact_purged_at is not None
    open_referral.refresh_from_db()
    assert open_referral.contact_name == "Ada Resident"
    assert AuditEvent.objects.filter(action="referral.contact_purged").count() == 1


def test_the_beat_tasks_run_the_reminders_and_the_purge(cast):
    from referrals.tasks import referral_contacts_purge_task, referral_reminders_task

    with time_machine.travel(timezone.now() + datetime.timedelta(days=6)):
        assert referral_reminders_task.delay().get() == 1
    assert referral_contacts_purge_task.delay().get() == 0


def test_the_beat_schedule_includes_the_referral_jobs(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "referrals.tasks.referral_reminders_task" in tasks
    assert "referrals.tasks.referral_contacts_purge_task" in tasks


def test_services_not_taking_referrals_are_not_offered_a_refer_button(client, cast):
    client.force_login(cast.worker)
    response = client.get(reverse("referrals:conversation_detail", args=[cast.conversation.uuid]))
    by_service = {item["service"]: item for item in response.context["suggestions"]}
    assert by_service[cast.signpost_service]["can_refer"] is False
    assert by_service[cast.service]["referred"] is True
    assert cast.service.referral_route == Service.ReferralRoute.PROFESSIONAL_REFERRAL
