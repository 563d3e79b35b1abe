"""The read-replica router (ADR 0010): dashboard reads go to the replica, everything else stays.

The "replica" alias is a TEST MIRROR of the test database (tests/settings.py), so what the
dashboard reads through it is the data the test wrote; routing is switched on per test with
override_settings, as DATABASE_REPLICA_URL would in production.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections, router
from django.db.models import Model
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.db_routers import REPLICA, ReplicaRouter, replica_reads
from evaluation.models import ConversationRollup, Report
from evaluation.services.rollups import rollups_rebuild
from referrals.models import Conversation
from tests.query_budget import session_reads
from tests.referrals.activity_factories import ActivityTopicFactory, ConversationFactory

ROOT = Path(__file__).resolve().parents[2]


class RecordingRouter(ReplicaRouter):
    """The real router, noting which database each read was sent to."""

    def __init__(self) -> None:
        self.reads: list[tuple[str, str]] = []

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        chosen = super().db_for_read(model, **hints)
        self.reads.append((model._meta.db_table, chosen or "default"))
        return chosen


def _tables(captured: CaptureQueriesContext) -> str:
    return "\n".join(query["sql"] for query in captured.captured_queries)


@pytest.fixture
def separate_replica() -> Iterator[bool]:
    """True when "replica" is its own connection (PostgreSQL: the CI run).

    SQLite's in-memory test database cannot be shared by a second connection without table
    locks, so there the alias uses the default connection: the router's choices are still
    checked, and the page still has to work when its reads are routed.
    """
    if connections["default"].vendor != "sqlite":
        yield True
        return
    own = connections[REPLICA]
    connections[REPLICA] = connections["default"]
    try:
        yield False
    finally:
        connections[REPLICA] = own


@pytest.fixture
def routed() -> Iterator[RecordingRouter]:
    recording = RecordingRouter()
    with override_settings(DATABASE_ROUTERS=[recording]):
        yield recording


@pytest.fixture
def commissioner(make_user, partnership, camden_trust):
    ConversationFactory.create_batch(
        3,
        organisation=camden_trust,
        author__organisation=camden_trust,
        occurred_at=timezone.now() - datetime.timedelta(days=1),
        topics=[ActivityTopicFactory(slug="diet")],
    )
    rollups_rebuild()
    return make_user(Role.COMMISSIONER, partnership, with_mfa=True)


ROLLUP = ConversationRollup._meta.db_table
SESSION = "django_session"
USER = "accounts_user"


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
@pytest.mark.parametrize("url_name", ["evaluation:dashboard", "evaluation:benchmark"])
def test_dashboard_and_benchmark_read_the_rollups_from_the_replica(
    client, commissioner, separate_replica, url_name
):
    client.force_login(commissioner)
    recording = RecordingRouter()
    with (
        override_settings(DATABASE_ROUTERS=[recording]),
        CaptureQueriesContext(connections["default"]) as default,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert (ROLLUP, REPLICA) in recording.reads
    assert (ROLLUP, "default") not in recording.reads
    # The session and the user (read before the view, saved after it) stay on the primary;
    # with Redis the session is read from Redis (tests/query_budget.py), never the replica.
    assert (USER, "default") in recording.reads
    assert (USER, REPLICA) not in recording.reads
    assert ((SESSION, "default") in recording.reads) == bool(session_reads())
    assert (SESSION, REPLICA) not in recording.reads
    if separate_replica:
        assert ROLLUP in _tables(replica)
        assert ROLLUP not in _tables(default)
        assert SESSION not in _tables(replica)


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_dashboard_shows_the_same_figures_through_the_replica(
    client, commissioner, separate_replica
):
    client.force_login(commissioner)
    url = reverse("evaluation:dashboard")
    direct = client.get(url).context["headlines"]
    with override_settings(DATABASE_ROUTERS=["core.db_routers.ReplicaRouter"]):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["headlines"] == direct


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_other_pages_never_read_from_the_replica(
    client, make_user, camden_trust, commissioner, separate_replica, routed
):
    worker = make_user(Role.FRONTLINE_WORKER, camden_trust)
    ConversationFactory(author=worker)
    client.force_login(worker)
    assert client.get(reverse("referrals:conversation_list")).status_code == 200
    # A report just requested must show at once: the reports list reads the primary.
    client.force_login(commissioner)
    assert client.get(reverse("evaluation:reports")).status_code == 200
    assert routed.reads
    assert all(db == "default" for _, db in routed.reads)


def test_inside_replica_reads_writes_and_locks_still_go_to_default():
    with override_settings(DATABASE_ROUTERS=["core.db_routers.ReplicaRouter"]):
        with replica_reads():
            assert router.db_for_read(Conversation) == REPLICA
            assert router.db_for_write(Conversation) == "default"
            assert Report.objects.select_for_update().db == "default"
            assert Conversation.objects.all().db == REPLICA
        assert Conversation.objects.all().db == "default"


def test_the_replica_never_receives_migrations():
    assert ReplicaRouter().allow_migrate(REPLICA, "referrals") is False
    assert ReplicaRouter().allow_migrate("default", "referrals") is True


SHOW = (
    "import django; django.setup(); from django.conf import settings; "
    "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, "
    "settings.DATABASES.get('replica', {}).get('NAME'))"
)


def _settings_with(**env: str) -> str:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "mecc_portal.settings",
            "DEBUG": "true",
            "VAR_DIR": "/tmp/mecc-settings-test",
            "DATABASE_URL": "postgres://portal@db.internal:5432/mecc",
        }
    )
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_without_database_replica_url_there_is_one_database_and_no_router():
    assert _settings_with() == "['default'] [] None"


def test_database_replica_url_adds_the_replica_and_its_router():
    shown = _settings_with(DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/mecc")
    assert shown == "['default', 'replica'] ['core.db_routers.ReplicaRouter'] mecc"
