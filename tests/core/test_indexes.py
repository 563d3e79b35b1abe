"""No index that another index already covers on the tables every conversation writes to:
each index is one more write per conversation logged (docs/performance.md)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

# Written on every "log a conversation". Other tables have single-column foreign-key indexes
# that a composite or unique index also leads with; several of those are partial (they do not
# cover every row), so they are not listed here without a look at each one.
HOT_WRITE_TABLES = {"referrals_conversation", "core_auditevent", "core_changeevent"}


def _redundant_indexes() -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            meta = model._meta
            if meta.db_table not in HOT_WRITE_TABLES:
                continue
            constraints = connection.introspection.get_constraints(cursor, meta.db_table)
            indexes = {
                name: (tuple(c["columns"]), bool(c["unique"]))
                for name, c in constraints.items()
                if (c["index"] or c["unique"]) and c["columns"] and not name.endswith("_like")
            }
            for name, (columns, unique) in indexes.items():
                if unique:
                    continue
                for other, (other_columns, _) in indexes.items():
                    if (
                        other != name
                        and other_columns[: len(columns)] == columns
                        and (len(other_columns) > len(columns) or other < name)
                    ):
                        found.append(f"{meta.db_table}.{name} {columns} is covered by {other}")
                        break
    return found


def test_no_index_is_covered_by_another():
    assert _redundant_indexes() == []


def test_the_audit_log_has_no_pattern_matching_index_for_its_exact_action_filter():
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "core_auditevent"))
    assert "audit_action_idx" in names
    assert not [name for name in names if name.endswith("_like")]
