from __future__ import annotations

import pytest

from accounts.models import Role

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_home_shows_each_role_held_and_its_scope(client, make_user, camden_trust, haringey):
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    from accounts.services import role_grant

    role_grant(user=user, role=Role.TRAINER, scope=camden_trust, actor=None)
    client.force_login(user)
    content = client.get("/").content.decode()
    assert "Frontline worker" in content
    assert "Trainer" in content
    assert "For Camden Trust" in content
    assert "Administration" not in content


def test_administrator_home_and_navigation_link_to_the_admin(client, make_user, partnership):
    client.force_login(make_user(Role.ADMINISTRATOR, partnership, with_mfa=True))
    response = client.get("/")
    content = response.content.decode()
    assert 'href="/admin/"' in content
    assert "Manage organisations, areas, users and roles" in content
    assert {"label": "Administration", "url": "/admin/", "current": False} in response.context[
        "nav_items"
    ]


def test_user_without_a_role_is_told_how_to_get_one(client, make_user):
    client.force_login(make_user())
    assert "You do not have a role in the portal yet" in client.get("/").content.decode()


def test_home_query_count_does_not_grow_with_roles(
    client, make_user, camden_trust, django_assert_max_num_queries
):
    user = make_user(Role.FRONTLINE_WORKER, camden_trust)
    client.force_login(user)
    client.get("/")
    with django_assert_max_num_queries(12) as one_role:
        client.get("/")
    from accounts.services import role_grant

    for role in (Role.TRAINER, Role.SERVICE_PROVIDER):
        role_grant(user=user, role=role, scope=camden_trust, actor=None)
    with django_assert_max_num_queries(12) as three_roles:
        client.get("/")
    assert len(three_roles.captured_queries) == len(one_role.captured_queries)


def test_static_pages_are_public(client):
    assert client.get("/accessibility/").status_code == 200
    assert client.get("/privacy/").status_code == 200
