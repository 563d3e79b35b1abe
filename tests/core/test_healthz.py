from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Heartbeat
from core.services import heartbeat_record
from core.tasks import WORKER_HEARTBEAT

pytestmark = pytest.mark.django_db


def test_healthy_when_database_broker_and_heartbeat_are_fine(client):
    heartbeat_record(name=WORKER_HEARTBEAT)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "broker", "worker"}


def test_stale_heartbeat_is_503_naming_the_worker(client, settings):
    Heartbeat.objects.create(
        name=WORKER_HEARTBEAT,
        last_seen=timezone.now() - timedelta(seconds=settings.HEARTBEAT_STALE_SECONDS + 5),
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]


def test_no_heartbeat_yet_is_unhealthy(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "worker" in response.json()["failing"]


def test_checks_can_be_narrowed_for_a_load_balancer(client):
    response = client.get("/healthz?checks=database")
    assert response.status_code == 200
    assert list(response.json()["checks"]) == ["database"]


def test_unreachable_redis_broker_is_503_naming_the_broker(client, settings):
    heartbeat_record(name=WORKER_HEARTBEAT)
    settings.CELERY_BROKER_IS_FILESYSTEM = False
    from mecc_portal.celery import app

    original = app.conf.broker_url
    # Port 9 (discard) on loopback: nothing listens there, so the connection is refused.
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    try:
        response = client.get("/healthz?checks=broker")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert "broker unreachable" in body["checks"]["broker"]["detail"]


def test_healthz_is_not_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
