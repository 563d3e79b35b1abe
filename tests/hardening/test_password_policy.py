"""Passwords: at least 12 characters, not a common password, not all digits, not like the
user's own details, on sign-up, password change and password reset alike."""

from __future__ import annotations

import pytest

from accounts.models import Role, User
from tests.factories import TEST_PASSWORD, EmailDomainFactory

pytestmark = pytest.mark.django_db

REFUSED = [
    ("Short1!pass", "This password is too short. It must contain at least 12 characters."),
    ("password1234", "This password is too common."),
    ("QwertyQwerty", "This password is too common."),
    ("839201746352", "This password is entirely numeric."),
]


@pytest.mark.parametrize(("password", "message"), REFUSED)
def test_sign_up_refuses_weak_passwords_with_a_clear_message(
    client, camden_trust, password, message
):
    EmailDomainFactory(organisation=camden_trust, domain="camdentrust.nhs.example")
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Jo Bloggs",
            "email": "jo@camdentrust.nhs.example",
            "staff_group": "nursing",
            "job_title": "Health visitor",
            "password1": password,
            "password2": password,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page
    assert message in page
    assert not User.objects.exists()


@pytest.mark.parametrize(("password", "message"), REFUSED)
def test_password_change_refuses_weak_passwords(client, make_user, camden_trust, password, message):
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": password, "password2": password},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page
    assert message in page
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_a_password_like_the_email_address_is_refused(client, make_user, camden_trust):
    user = make_user(
        Role.FRONTLINE_WORKER, camden_trust, email="jonathan.bloggsworth@camden.example"
    )
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "jonathan.bloggsworth",
            "password2": "jonathan.bloggsworth",
        },
    )
    assert "The password is too similar to the" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_a_long_uncommon_password_is_accepted(client, make_user, camden_trust):
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "violet-kettle-orbit-91",
            "password2": "violet-kettle-orbit-91",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("violet-kettle-orbit-91")
