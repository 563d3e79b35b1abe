from __future__ import annotations

import pytest

from accounts.models import Role

pytestmark = pytest.mark.django_db


def test_administrator_role_can_use_the_admin(client, make_user, partnership):
    client.force_login(make_user(Role.ADMINISTRATOR, partnership, with_mfa=True))
    for path in [
        "/admin/",
        "/admin/accounts/organisation/",
        "/admin/accounts/user/",
        "/admin/accounts/area/",
        "/admin/accounts/rolemembership/",
        "/admin/core/auditevent/",
        "/admin/accounts/organisation/add/",
    ]:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("role", [Role.FRONTLINE_WORKER, Role.COMMISSIONER])
def test_other_roles_are_kept_out_of_the_admin(client, make_user, camden_trust, role):
    client.force_login(make_user(role, camden_trust, with_mfa=True))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_anonymous_visitors_sign_in_through_the_portal_not_the_admin(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"


def test_audit_log_cannot_be_edited(client, make_user, partnership):
    from core.services import audit_record

    admin = make_user(Role.ADMINISTRATOR, partnership, with_mfa=True)
    event = audit_record(actor=admin, action="role.granted")
    client.force_login(admin)
    assert client.get(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403
