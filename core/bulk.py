"""Bulk loading for generated data: COPY on PostgreSQL, batched executemany elsewhere.

Domain-free helpers the apps' `generate` modules use. Rows are tuples of values already in
their stored form (encrypted fields encrypted by the caller), in the order of `fields`.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max, QuerySet

SQLITE_BATCH = 2_000


@dataclass(frozen=True)
class GenerationPlan:
    """What to generate: how many conversations, from which seed, up to which day."""

    conversations: int
    seed: int
    today: date

    def rng(self, name: str) -> random.Random:
        """A random stream of its own for each part, so one part's draws never shift another's."""
        return random.Random(f"{self.seed}:{name}")  # noqa: S311  # nosec B311  # synthetic data


def random_uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from `rng` (repeatable, unlike uuid.uuid4)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def next_id(model: type[models.Model]) -> int:
    """The first id above every existing row (rows are then loaded with explicit ids)."""
    top = model._default_manager.aggregate(top=Max("pk"))["top"]
    return int(top or 0) + 1


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def _column(field: models.Field[Any, Any]) -> str:
    return connection.ops.quote_name(str(field.get_attname_column()[1]))


def bulk_insert(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Load rows into the model's table as fast as the database allows; how many."""
    concrete = [_field(model, name) for name in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_column(f) for f in concrete)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            placeholders = ", ".join(["%s"] * len(concrete))
            statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608  # names quoted from model metadata, values bound
            iterator = iter(rows)
            while batch := list(islice(iterator, SQLITE_BATCH)):
                cursor.executemany(
                    statement,
                    [
                        [
                            field.get_db_prep_value(value, connection, prepared=True)
                            for field, value in zip(concrete, row, strict=True)
                        ]
                        for row in batch
                    ],
                )
                count += len(batch)
    if "id" in fields:
        sequences_reset(model)
    return count


def sequences_reset(*models_: type[models.Model]) -> None:
    """Move id sequences past rows loaded with explicit ids (PostgreSQL needs this)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def insert_select(
    model: type[models.Model], queryset: QuerySet[Any], columns: dict[str, str]
) -> int:
    """INSERT INTO the model's table the rows of a values() queryset, in the database.

    `columns` maps each name the queryset selects to the model field it fills; the rows never
    pass through Python, so a rebuild costs one grouped scan however many rows it reads.
    """
    query = queryset.query
    names = (
        list(query.selected)
        if query.selected
        else [
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        ]
    )
    select_sql, params = query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    targets = ", ".join(_column(_field(model, columns[name])) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({targets}) {select_sql}", params)
        return int(cursor.rowcount)
