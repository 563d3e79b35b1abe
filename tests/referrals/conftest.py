from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps


@pytest.fixture
def mecc_topics(db: None) -> None:
    """The topics taxonomy the data migration adds (again, in case a transactional test
    flushed the database earlier in the run)."""
    migration = import_module("referrals.migrations.0003_directory_topics")
    migration.add_topics(apps, None)
