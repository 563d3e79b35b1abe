"""Filter forms are optional by nature: their labels do not each say "(optional)"."""

from __future__ import annotations

import pytest

from accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.FRONTLINE_WORKER, "/directory/"),
        (Role.FRONTLINE_WORKER, "/training/"),
        (Role.COMMISSIONER, "/evaluation/dashboard/"),
    ],
)
def test_filter_pages_do_not_mark_every_label_optional(client, make_user, camden_trust, role, path):
    scope = camden_trust.area if role == Role.COMMISSIONER else camden_trust
    client.force_login(make_user(role, scope, with_mfa=True))
    response = client.get(path)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<select" in content  # the filters are there
    assert "(optional)" not in content
