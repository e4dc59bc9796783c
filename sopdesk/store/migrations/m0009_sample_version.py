"""Schema version 9: `sample.version`, so a sample is edited like a customer or a quote: against
the version it was read at, a stale edit refused (services/samples.py `update`).

Safe on a database built from the current models: the column is only added when missing. A plain
`ALTER TABLE … ADD COLUMN … NOT NULL DEFAULT 1` keeps SQLite from rebuilding the table.
"""

from __future__ import annotations

from peewee import Database


def up(db: Database) -> None:
    existing = {c.name for c in db.get_columns("sample")}
    if "version" not in existing:
        db.execute_sql('ALTER TABLE "sample" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1')
