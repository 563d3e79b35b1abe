"""Sign-up: only with a partnership organisation's email domain; the user joins it."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from accounts.models import Role, RoleMembership, User
from core.models import AuditEvent, OutboxMessage
from tests.factories import EmailDomainFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-memorable-passphrase-42"


def _sign_up(client, email: str, **extra: str):
    data = {
        "full_name": "Jo Bloggs",
        "email": email,
        "staff_group": "nursing",
        "job_title": "Health visitor",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(extra)
    return client.post("/accounts/signup/", data)


def test_sign_up_with_an_organisation_domain_joins_it_as_frontline_worker(client, camden_trust):
    EmailDomainFactory(organisation=camden_trust, domain="camdentrust.nhs.example")
    response = _sign_up(client, "Jo.Bloggs@CamdenTrust.nhs.example")
    assert response.status_code == 302
    user = User.objects.get(email__iexact="jo.bloggs@camdentrust.nhs.example")
    assert user.organisation == camden_trust
    assert user.full_name == "Jo Bloggs"
    assert user.staff_group == "nursing"
    membership = RoleMembership.objects.get(user=user)
    assert (membership.role, membership.organisation) == (Role.FRONTLINE_WORKER, camden_trust)
    assert AuditEvent.objects.filter(action="account.signed_up", actor=user).exists()


def test_sign_up_sends_verification_through_the_outbox_and_requires_it(client, camden_trust):
    EmailDomainFactory(organisation=camden_trust, domain="camdentrust.nhs.example")
    response = _sign_up(client, "new.starter@camdentrust.nhs.example")
    assert response["Location"] == "/accounts/confirm-email/"
    message = OutboxMessage.objects.get()
    assert message.recipients == ["new.starter@camdentrust.nhs.example"]
    assert "/accounts/confirm-email/" in message.body_text
    assert not EmailAddress.objects.get(email="new.starter@camdentrust.nhs.example").verified

    # Mandatory verification: signing in before confirming does not reach the portal.
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "new.starter@camdentrust.nhs.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/").status_code == 302


def test_unknown_domain_is_refused_with_a_clear_message(client, camden_trust):
    response = _sign_up(client, "someone@gmail.example")
    assert response.status_code == 200
    assert not User.objects.exists()
    assert "Enter a work email address from an organisation in the partnership" in (
        response.content.decode()
    )


def test_short_or_common_passwords_are_refused(client, camden_trust):
    EmailDomainFactory(organisation=camden_trust, domain="camdentrust.nhs.example")
    response = _sign_up(
        client, "jo@camdentrust.nhs.example", password1="password123", password2="password123"
    )
    assert response.status_code == 200
    assert not User.objects.exists()
    content = response.content.decode()
    assert "at least 12 characters" in content


def test_missing_fields_show_an_error_summary(client, camden_trust):
    response = client.post("/accounts/signup/", {})
    assert response.status_code == 200
    content = response.content.decode()
    assert "nhsuk-error-summary" in content
    assert 'href="#id_email"' in content
    assert 'href="#id_full_name"' in content
    assert "Enter your full name" in content
    assert "Select your staff group" in content


def test_password_reset_email_goes_through_the_outbox(client, make_user):
    user = make_user()
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert message.recipients == [user.email]
    assert "/accounts/password/reset/key/" in message.body_text


def test_password_reset_for_an_unknown_address_reveals_nothing(client, camden_trust):
    response = client.post("/accounts/password/reset/", {"email": "nobody@camden.example"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    # The page looks the same as for a real account; only the mailbox owner learns there is
    # no account, from an email sent through the outbox.
    message = OutboxMessage.objects.get()
    assert message.recipients == ["nobody@camden.example"]
    assert "do not have any record of such an account" in message.body_text
    assert message.body_text.startswith("Hello,")
