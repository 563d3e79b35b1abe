from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url: str) -> int:
    """How many queries a GET of the page makes (after one warm-up request)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)
