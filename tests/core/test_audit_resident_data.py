"""The audit log covers every read and export of residents' contact details and every change
to a referral, and holds none of those details itself."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import encryption
from core.encryption import EncryptedTextField
from core.models import AuditEvent
from referrals.models import Referral
from referrals.services import referrals as services
from referrals.services.retention import resident_data_purge
from tests.referrals.activity_factories import Cast, ConversationFactory, build_cast

pytestmark = pytest.mark.django_db
S = Referral.Status
# What the cast's referral holds about the resident (tests/referrals/activity_factories.py).
RESIDENT_DATA = ("Ada Resident", "07700 900123", "ada@resident.example", "Mornings")


@pytest.fixture
def cast(make_user, camden_trust, haringey_council, partnership) -> Cast:
    return build_cast(
        make_user,
        camden_trust=camden_trust,
        haringey_council=haringey_council,
        partnership=partnership,
    )


@pytest.fixture
def decryptions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every value decrypted from the database while the test runs."""
    seen: list[str] = []
    real = encryption.decrypt_text

    def counting(token: str) -> str:
        value = real(token)
        seen.append(value)
        return value

    monkeypatch.setattr(encryption, "decrypt_text", counting)
    yield seen


def _assert_event(event: AuditEvent, *, actor: Any, action: str, target: Referral) -> None:
    assert event.action == action
    assert event.actor == actor
    assert event.actor_email == (actor.email if actor else "")
    assert event.target_type is not None and event.target_type.model == "referral"
    assert event.target_id == str(target.pk)
    assert timezone.now() - event.occurred_at < datetime.timedelta(minutes=1)


def _assert_no_resident_data_in_the_audit_log() -> None:
    for row in AuditEvent.objects.values():
        text = repr(row)
        for value in RESIDENT_DATA:
            assert value not in text, f"{row['action']} holds resident data"


# --- Reads: only the audited one decrypts --------------------------------------------------

PAGES = [
    ("provider", "referrals:referral_detail", "referral"),
    ("worker", "referrals:referral_detail", "referral"),
    ("lead", "referrals:referral_detail", "referral"),
    ("provider", "referrals:referral_inbox", None),
    ("worker", "referrals:referrals_sent", None),
    ("worker", "referrals:conversation_detail", "conversation"),
    ("worker", "referrals:conversation_list", None),
    ("lead", "referrals:organisation_conversations", None),
    ("worker", "referrals:my_impact", None),
]


@pytest.mark.parametrize(("who", "url_name", "arg"), PAGES)
def test_pages_about_a_referral_never_decrypt_the_residents_details(
    client, cast, decryptions, who, url_name, arg
):
    client.force_login(getattr(cast, who))
    args = [getattr(cast, arg).uuid] if arg else []
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    body = response.content.decode()
    assert decryptions == []
    assert not any(value in body for value in RESIDENT_DATA)
    assert not AuditEvent.objects.filter(action="referral.contact_viewed").exists()


@pytest.mark.parametrize("params", [{}, {"_format": "bundle"}])
def test_each_fhir_export_is_audited_and_carries_no_resident_details(
    client, cast, decryptions, params
):
    client.force_login(cast.provider)
    url = reverse("referrals:fhir_service_request", args=[cast.referral.uuid])
    response = client.get(url, params, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    assert decryptions == []
    assert not any(value in response.content.decode() for value in RESIDENT_DATA)
    event = AuditEvent.objects.get(action="referral.exported")
    _assert_event(event, actor=cast.provider, action="referral.exported", target=cast.referral)
    assert event.ip_address == "10.0.0.7"
    assert event.details == {"format": "fhir-bundle" if params else "fhir"}


def test_a_fhir_request_out_of_scope_is_404_and_records_no_export(client, cast):
    client.force_login(cast.outsider)
    url = reverse("referrals:fhir_service_request", args=[cast.referral.uuid])
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="referral.exported").exists()


def test_showing_contact_details_decrypts_them_once_and_audits_who_when_and_where(
    client, cast, decryptions
):
    client.force_login(cast.provider)
    url = reverse("referrals:referral_contact", args=[cast.referral.uuid])
    response = client.post(url, REMOTE_ADDR="10.0.0.9", HTTP_USER_AGENT="Firefox")
    assert response.status_code == 200
    assert all(value in response.content.decode() for value in RESIDENT_DATA)
    assert sorted(decryptions) == sorted(RESIDENT_DATA)
    event = AuditEvent.objects.get(action="referral.contact_viewed")
    _assert_event(
        event, actor=cast.provider, action="referral.contact_viewed", target=cast.referral
    )
    assert (event.ip_address, event.user_agent) == ("10.0.0.9", "Firefox")
    _assert_no_resident_data_in_the_audit_log()


def test_a_purged_referral_shows_no_details_and_decrypts_nothing(client, cast, decryptions):
    services.referral_status_update(
        referral=cast.referral, actor=cast.worker, status=S.CANCELLED, as_provider=False
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=400)):
        resident_data_purge()
    client.force_login(cast.provider)
    response = client.get(reverse("referrals:referral_detail", args=[cast.referral.uuid]))
    assert "These were deleted on" in response.content.decode()
    assert decryptions == []


# --- Changes: every one is audited ---------------------------------------------------------


def test_every_change_to_a_referral_is_audited_without_resident_data(client, cast, settings):
    conversation = ConversationFactory(author=cast.worker, topics=[cast.topic])
    client.force_login(cast.worker)
    response = client.post(
        reverse("referrals:referral_create", args=[conversation.uuid, cast.service.uuid]),
        {
            "consent": "on",
            "contact_name": "Ada Resident",
            "contact_phone": "07700 900123",
            "contact_email": "ada@resident.example",
            "contact_preferred_time": "Mornings",
        },
    )
    assert response.status_code == 302
    made = Referral.objects.get(conversation=conversation, kind=Referral.Kind.REFERRAL)
    _assert_event(
        AuditEvent.objects.get(action="referral.created"),
        actor=cast.worker,
        action="referral.created",
        target=made,
    )

    client.force_login(cast.provider)
    status_url = reverse("referrals:referral_status", args=[made.uuid])
    assert client.post(status_url, {"status": S.ACCEPTED}).status_code == 302
    client.force_login(cast.worker)
    assert client.post(status_url, {"status": S.CANCELLED}).status_code == 302
    client.force_login(cast.provider)
    declined = client.post(
        reverse("referrals:referral_status", args=[cast.referral.uuid]),
        {"status": S.DECLINED, "reason": "Ada Resident is already with us"},
    )
    assert declined.status_code == 302
    changes = AuditEvent.objects.filter(action="referral.status_changed").order_by("id")
    assert [(e.actor, e.target_id, e.details) for e in changes] == [
        (cast.provider, str(made.pk), {"from": S.SENT, "to": S.ACCEPTED}),
        (cast.worker, str(made.pk), {"from": S.ACCEPTED, "to": S.CANCELLED}),
        (cast.provider, str(cast.referral.pk), {"from": S.SENT, "to": S.DECLINED}),
    ]

    with time_machine.travel(timezone.now() + datetime.timedelta(days=400)):
        assert resident_data_purge()["referral_contacts"] == 2
    purged = AuditEvent.objects.filter(action="referral.contact_purged")
    assert {e.target_id for e in purged} == {str(made.pk), str(cast.referral.pk)}
    assert all(e.actor is None and e.actor_email == "" for e in purged)

    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate_field_encryption", stdout=StringIO())
    rotation = AuditEvent.objects.get(action="core.field_encryption_rotated")
    assert rotation.actor is None and rotation.details["keys_configured"] == 2

    _assert_no_resident_data_in_the_audit_log()


def test_a_reminder_about_a_referral_is_audited(cast):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6)):
        assert services.referral_reminders_send() == 1
    event = AuditEvent.objects.get(action="referral.reminder_sent")
    assert event.target_id == str(cast.referral.pk) and event.actor is None


# --- The Django admin ----------------------------------------------------------------------


def test_the_django_admin_shows_no_encrypted_resident_field():
    for model, model_admin in admin.site._registry.items():
        encrypted = {
            f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        }
        if not encrypted:
            continue
        shown = (
            set(model_admin.list_display)
            | set(model_admin.search_fields)
            | set(model_admin.readonly_fields)
        )
        assert not encrypted & shown, f"{model.__name__} admin lists resident data"
        assert encrypted <= set(model_admin.exclude or ()), f"{model.__name__} admin edits it"


def test_referrals_and_conversations_have_no_admin_page(client, make_user, camden_trust):
    # They are reached only through the portal's scoped, audited pages.
    from accounts.models import Role

    assert Referral not in admin.site._registry
    client.force_login(make_user(Role.ADMINISTRATOR, camden_trust, with_mfa=True))
    assert client.get("/admin/referrals/referral/").status_code == 404
    assert client.get("/admin/referrals/conversation/").status_code == 404
