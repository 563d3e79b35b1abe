"""Commissioners, training leads and administrators set up MFA before anything else."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.TRAINING_LEAD, Role.ADMINISTRATOR])
def test_privileged_roles_without_mfa_are_sent_to_set_it_up(client, make_user, camden_trust, role):
    user = make_user(role, camden_trust)
    client.force_login(user)
    for path in ["/", "/admin/", "/accounts/sessions/", "/accounts/email/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/"


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.TRAINING_LEAD, Role.ADMINISTRATOR])
def test_privileged_roles_can_reach_the_mfa_setup_pages(client, make_user, camden_trust, role):
    user = make_user(role, camden_trust)
    response = client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/2fa/"
    assert client.get("/accounts/2fa/").status_code == 200
    # allauth asks for the password again before any change to MFA.
    activate = "/accounts/2fa/totp/activate/"
    assert client.get(activate)["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(
        f"/accounts/reauthenticate/?next={activate}", {"password": TEST_PASSWORD}
    )
    assert response["Location"] == activate
    assert client.get(activate).status_code == 200
    assert client.get("/accessibility/").status_code == 200


@pytest.mark.parametrize("role", [Role.FRONTLINE_WORKER, Role.TRAINER, Role.SERVICE_PROVIDER])
def test_other_roles_are_not_forced(client, make_user, camden_trust, role):
    client.force_login(make_user(role, camden_trust))
    assert client.get("/").status_code == 200


def test_privileged_role_with_totp_reaches_home(client, make_user, camden_trust):
    client.force_login(make_user(Role.COMMISSIONER, camden_trust.area, with_mfa=True))
    response = client.get("/")
    assert response.status_code == 200
    assert "Commissioner" in response.content.decode()


def test_recovery_codes_alone_do_not_count_as_a_second_factor(client, make_user, camden_trust):
    from allauth.mfa.models import Authenticator

    user = make_user(Role.ADMINISTRATOR, camden_trust.area)
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20}
    )
    client.force_login(user)
    assert client.get("/")["Location"] == "/accounts/2fa/"


def test_sign_in_with_totp_asks_for_the_code(client, make_user, camden_trust):
    user = make_user(Role.COMMISSIONER, camden_trust.area, with_mfa=True)
    response = client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not signed in until the code is given
