"""Moving a team's data to another database (SQLite → PostgreSQL, or back), verified by row counts.

The source is brought to the current schema first; the target is created at it and must be empty.
Tables are copied in foreign-key order, in batches by id with the ids kept, each value through its
field (times, money and booleans arrive in the target's own types); a customer merged into a later
one gets its `merged_into` once every customer is there. PostgreSQL's id sequences are moved past
the copied ids, the search index is rebuilt on the target, and every table's row count is compared.
Nothing is written to the source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import peewee
from peewee import Database, ForeignKeyField, Model, PostgresqlDatabase

BATCH = 1000


class CopyError(Exception):
    """The copy cannot be made or did not verify; the message says why."""


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int

    @property
    def ok(self) -> bool:
        return self.source == self.target


def _count(db: Database, table: str) -> int:
    return int(db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


def _self_references(model: type[Model]) -> list[ForeignKeyField]:
    return [f for f in model._meta.sorted_fields if isinstance(f, ForeignKeyField)
            and f.rel_model is model]  # fmt: skip


def _position(fields: list[Any], field: Any) -> int:
    """Where `field` is (by identity: a field's == builds an SQL expression)."""
    return next(i for i, f in enumerate(fields) if f is field)


def _pk(model: type[Model]) -> Any:
    return model._meta.primary_key


def _copy_table(source: Database, target: Database, model: type[Model]) -> None:
    meta = model._meta
    pk = _pk(model)
    fields = list(meta.sorted_fields)
    later = _self_references(model)
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    key = pk.column_name
    last: Any = None
    while True:
        where = f' WHERE "{key}" > {source.param}' if last is not None else ""
        rows = source.execute_sql(
            f'SELECT {columns} FROM "{meta.table_name}"{where} ORDER BY "{key}" LIMIT {BATCH}',
            (last,) if last is not None else (),
        ).fetchall()
        if not rows:
            break
        values = [[f.python_value(v) for f, v in zip(fields, row, strict=True)] for row in rows]
        patches = []
        for field in later:  # pointed-at rows may come later: set once the table is complete
            at = _position(fields, field)
            for row in values:
                if row[at] is not None:
                    patches.append((row[_position(fields, pk)], row[at]))
                    row[at] = None
        with target.bind_ctx([model], bind_refs=False, bind_backrefs=False):
            model.insert_many(values, fields=fields).execute()
            for field in later:
                for row_id, ref in patches:
                    model.update({field: ref}).where(pk == row_id).execute()
        last = rows[-1][_position(fields, pk)]


def _move_sequences(target: Database, models: list[type[Model]]) -> None:
    if not isinstance(target, PostgresqlDatabase):
        return
    for model in models:
        table, key = model._meta.table_name, _pk(model).column_name
        target.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{key}'), "
            f'COALESCE(MAX("{key}"), 1), MAX("{key}") IS NOT NULL) FROM "{table}"'
        )


def copy_database(
    source_target: str,
    destination: str,
    progress: Callable[[str, int], None] | None = None,
) -> list[TableCount]:
    """Copy every sopdesk table from `source_target` to the empty `destination`; CopyError when
    the destination holds data or a count differs afterwards. Returns the counts per table."""
    from sopdesk.store import db, search
    from sopdesk.store.models import ALL_MODELS

    source = db.init(source_target)  # migrated to the current schema if it was older
    target = db.init(destination)
    models = peewee.sort_models(ALL_MODELS)  # type: ignore[attr-defined]
    with target.connection_context():
        busy = [m._meta.table_name for m in models if _count(target, m._meta.table_name)]
    if busy:
        raise CopyError(
            f"{_label(destination)} already holds data ({', '.join(busy[:5])}); "
            "copy only into a new, empty database"
        )
    with source.connection_context(), target.connection_context(), target.atomic():
        for model in models:
            _copy_table(source, target, model)
            if progress is not None:
                progress(model._meta.table_name, _count(target, model._meta.table_name))
        _move_sequences(target, models)
        search.rebuild(target)
    with source.connection_context(), target.connection_context():
        counts = [
            TableCount(m._meta.table_name, _count(source, m._meta.table_name),
                       _count(target, m._meta.table_name))
            for m in models
        ]  # fmt: skip
    wrong = [c for c in counts if not c.ok]
    if wrong:
        first = wrong[0]
        raise CopyError(
            f"row counts differ after the copy: {first.table} {first.source} → {first.target}"
        )
    return counts


def _label(target: str) -> str:
    from sopdesk.store.db import _redacted

    return _redacted(target)
