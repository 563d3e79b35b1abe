"""The test settings themselves: what lets the suite run in parallel on Redis (CI)."""

from __future__ import annotations

from tests.settings import redis_url_for_worker


def test_each_parallel_worker_has_its_own_redis_database() -> None:
    url = "redis://127.0.0.1:6379/15"
    assert redis_url_for_worker(url, "gw0") == url
    assert redis_url_for_worker(url, "gw1") == "redis://127.0.0.1:6379/14"
    assert redis_url_for_worker(url, "gw2") == "redis://127.0.0.1:6379/13"
    # Round the 16 databases Redis has, and keep what else the URL says.
    assert redis_url_for_worker("redis://:pw@h:6380/1?timeout=2", "gw3") == (
        "redis://:pw@h:6380/14?timeout=2"
    )
    assert redis_url_for_worker("redis://h:6379", "gw1") == "redis://h:6379/15"


def test_a_run_without_workers_or_without_redis_is_left_alone() -> None:
    assert redis_url_for_worker("redis://127.0.0.1:6379/15", "") == "redis://127.0.0.1:6379/15"
    assert redis_url_for_worker("redis://127.0.0.1:6379/15", "master") == (
        "redis://127.0.0.1:6379/15"
    )
    assert redis_url_for_worker("", "gw1") == ""
