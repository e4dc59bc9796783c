"""Numbered schema migrations, recorded in the `schema_migration` table.

A new database gets the current schema from the models at once and every migration is recorded as
applied; an existing one runs the migrations it has not seen, in order, each in its own transaction.
So `m0001_initial` is the baseline and every later file changes an existing schema: add a file
`mNNNN_what.py` with `up(db)` and list it below. The oldest schema is kept as a fixture
(`tests/fixtures/schema_v1.sql`) and a test migrates it to the newest one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from peewee import CharField, Database, IntegerField, Model

from sopdesk import clock
from sopdesk.store.fields import UTCDateTimeField


class SchemaMigration(Model):
    version = IntegerField(primary_key=True)
    name = CharField()
    applied_at = UTCDateTimeField()

    class Meta:
        table_name = "schema_migration"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str

    @property
    def up(self) -> Callable[[Database], None]:
        module = importlib.import_module(f"{__name__}.m{self.version:04d}_{self.name}")
        up: Callable[[Database], None] = module.up
        return up


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial"),
    Migration(2, "search_index"),
    Migration(3, "customer_sheet"),
    Migration(4, "task_rule_key"),
    Migration(5, "quotes_and_orders"),
    Migration(6, "product_optimised_and_report_indexes"),
    Migration(7, "rep_deactivation"),
    Migration(8, "search_cjk"),
    Migration(9, "sample_version"),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def applied_versions(db: Database) -> set[int]:
    with SchemaMigration.bind_ctx(db):
        if not SchemaMigration.table_exists():
            return set()
        return {m.version for m in SchemaMigration.select(SchemaMigration.version)}


def _record(db: Database, migration: Migration) -> None:
    with SchemaMigration.bind_ctx(db):
        SchemaMigration.create(
            version=migration.version, name=migration.name, applied_at=clock.now()
        )


def pending(db: Database) -> list[Migration]:
    done = applied_versions(db)
    return [m for m in MIGRATIONS if m.version not in done]


def migrate(db: Database, before_migrate: Callable[[list[Migration]], None] | None = None) -> int:
    """Bring the schema to SCHEMA_VERSION; returns how many migrations ran. Re-running is a no-op."""
    from sopdesk.store.models import ALL_MODELS

    with SchemaMigration.bind_ctx(db):
        SchemaMigration.create_table(safe=True)
    todo = pending(db)
    if not todo:
        return 0
    fresh = not any(model.table_exists() for model in ALL_MODELS)
    if fresh:
        with db.atomic():
            db.create_tables(ALL_MODELS, safe=True)
            for migration in MIGRATIONS[1:]:
                migration.up(db)
            for migration in MIGRATIONS:
                _record(db, migration)
        return len(MIGRATIONS)
    if before_migrate is not None:
        before_migrate(todo)
    for migration in todo:
        with db.atomic():
            migration.up(db)
            _record(db, migration)
    return len(todo)
