"""A new row and the rows that point at it, written in one INSERT statement.

Logging a conversation writes four rows: the conversation, its topics, the change-feed row and
the audit event, and the last three need the first one's id. Through the ORM that is four
INSERT statements, each compiled from the model for every request, inside BEGIN and COMMIT:
most of the request's CPU and six round trips (docs/performance.md, fifth round).

`insert_together(parent, children)` writes them on PostgreSQL as one statement whose
data-modifying WITH clauses insert the parent and then every child, a child's column that
holds `NEW_ID` taking the parent's new id (`(SELECT id FROM new)`). A single statement is
atomic without a transaction of its own. The SQL is built from the models' own fields, once
per shape (which models, how many rows, which columns wait for the id), and each value goes
through the field's `pre_save` and `get_db_prep_save`, as `Model.save()` would send it: there
is no second, hand-written list of columns. On other databases (SQLite in development and the
unit tests) the same call is `parent.save()` and one `bulk_create` per model in a transaction.

What it does not do, and so refuses: models with their own `save()` or with pre/post-save
receivers (neither path would run them), models inheriting another model's table, rows that
already have a primary key, and values that are SQL expressions. Children's own primary
keys are not read back.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models.signals import post_save, pre_save


class _NewId:
    """Stands for the parent row's id until the insert gives it one."""

    def __repr__(self) -> str:
        return "NEW_ID"


NEW_ID: Any = _NewId()


def insert_together(
    parent: models.Model, children: Sequence[models.Model] = (), *, using: str | None = None
) -> None:
    """Insert `parent`, then `children` (in order), in one statement where the database can.

    A child's field set to `NEW_ID` (a foreign key's `<name>_id`, or any column meant to hold
    the parent's id) gets the parent's new primary key. Afterwards `parent.pk` is set and
    every `NEW_ID` is replaced by that key, converted by its field.
    """
    alias = using or router.db_for_write(type(parent), instance=parent)
    for row in (parent, *children):
        _check(row)
    if any(getattr(parent, f.attname) is NEW_ID for f in _fields(type(parent))):
        raise ValueError("the parent row cannot wait for its own id")
    if connections[alias].vendor == "postgresql":
        _insert_in_one_statement(parent, children, alias)
    else:
        _insert_through_the_orm(parent, children, alias)


def _fill_in_new_id(
    children: Sequence[models.Model],
    pk: Any,
    waits: Sequence[tuple[bool, ...]] | None = None,
) -> None:
    """Replace every `NEW_ID` with the parent's key, converted by its field. `waits` (per
    child, per column, as `_values` found them) spares reading every column again."""
    for index, child in enumerate(children):
        found = waits[index] if waits is not None else None
        for position, field in enumerate(_fields(type(child))):
            waiting = (
                found[position] if found is not None else getattr(child, field.attname) is NEW_ID
            )
            if waiting:
                setattr(child, field.attname, field.to_python(pk))


def _check(row: models.Model) -> None:
    model = type(row)
    if model.save is not models.Model.save:
        raise TypeError(f"{model.__name__} has its own save(), which insert_together would skip")
    if model._meta.parents:
        raise TypeError(f"{model.__name__} inherits a table, which insert_together does not write")
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        raise TypeError(f"{model.__name__} has save signal receivers insert_together would skip")
    if row.pk is not None:
        raise ValueError(f"{model.__name__} row already has a primary key: {row.pk!r}")
    for field in _fields(model):
        if hasattr(getattr(row, field.attname), "resolve_expression"):
            raise TypeError(f"{model.__name__}.{field.name} is an SQL expression")


@cache
def _fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    """The columns Model.save() inserts for a row without a primary key."""
    meta = model._meta
    return tuple(f for f in meta.local_concrete_fields if f is not meta.auto_field)


def _values(row: models.Model, alias: str) -> tuple[tuple[bool, ...], list[Any]]:
    """Which columns wait for the parent's id, and the database values of the others."""
    connection = connections[alias]
    waits, params = [], []
    for field in _fields(type(row)):
        value = field.pre_save(row, add=True)
        if value is NEW_ID:
            waits.append(True)
            continue
        waits.append(False)
        params.append(field.get_db_prep_save(value, connection=connection))
    return tuple(waits), params


def _insert_in_one_statement(
    parent: models.Model, children: Sequence[models.Model], alias: str
) -> None:
    _, params = _values(parent, alias)
    shape: list[tuple[type[models.Model], tuple[bool, ...]]] = []
    for child in children:
        waits, values = _values(child, alias)
        shape.append((type(child), waits))
        params.extend(values)
    sql, returning = _statement(type(parent), tuple(shape), alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    for field, value in zip(returning, row, strict=True):
        setattr(parent, field.attname, value)
    parent._state.adding = False
    parent._state.db = alias
    _fill_in_new_id(children, parent.pk, [waits for _, waits in shape])


@lru_cache(maxsize=256)
def _statement(
    parent: type[models.Model],
    children: tuple[tuple[type[models.Model], tuple[bool, ...]], ...],
    alias: str,
) -> tuple[str, tuple[models.Field[Any, Any], ...]]:
    """The statement for one shape; consecutive children of a model share one VALUES list."""
    quote = connections[alias].ops.quote_name
    returning = tuple(parent._meta.db_returning_fields)
    if any(not isinstance(f, models.AutoField) for f in returning):
        raise TypeError(f"{parent.__name__} returns columns other than its id")

    def column(field: models.Field[Any, Any]) -> str:
        return quote(str(field.column))

    pk = column(parent._meta.pk)

    # Every name below is quoted from model metadata and every value is a bound parameter.
    new_id = f'(SELECT {pk} FROM "new")'  # noqa: S608  # nosec B608  # see above

    def insert(model: type[models.Model], rows: list[tuple[bool, ...]]) -> str:
        columns = ", ".join(column(f) for f in _fields(model))
        values = ", ".join(
            "(" + ", ".join(new_id if w else "%s" for w in waits) + ")" for waits in rows
        )
        return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values}"  # noqa: S608  # nosec B608  # see above

    parent_row = (False,) * len(_fields(parent))
    clauses = [f'"new" AS ({insert(parent, [parent_row])} RETURNING {pk})']
    groups: list[tuple[type[models.Model], list[tuple[bool, ...]]]] = []
    for model, waits in children:
        if groups and groups[-1][0] is model:
            groups[-1][1].append(waits)
        else:
            groups.append((model, [waits]))
    clauses += [f'"child{n}" AS ({insert(m, rows)})' for n, (m, rows) in enumerate(groups)]
    columns = ", ".join(column(f) for f in returning)
    statement = f'WITH {", ".join(clauses)} SELECT {columns} FROM "new"'  # noqa: S608  # nosec B608  # see above
    return statement, returning


def _insert_through_the_orm(
    parent: models.Model, children: Sequence[models.Model], alias: str
) -> None:
    with transaction.atomic(using=alias):
        parent.save(force_insert=True, using=alias)
        _fill_in_new_id(children, parent.pk)
        groups: list[list[models.Model]] = []
        for child in children:
            if groups and type(groups[-1][0]) is type(child):
                groups[-1].append(child)
            else:
                groups.append([child])
        for group in groups:
            type(group[0])._default_manager.using(alias).bulk_create(group)
