"""/livez: the process answers, without touching the database, broker or worker."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_livez_answers_without_any_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
