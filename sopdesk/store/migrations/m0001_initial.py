"""Schema version 1: every table of the SOP (see DATA-MODEL.md).

Only a brand-new database is built here, and it is built from the current models by `migrate()`;
this migration exists so that version 1 is recorded. Its frozen SQLite DDL is
`tests/fixtures/schema_v1.sql`.
"""

from __future__ import annotations

from peewee import Database


def up(db: Database) -> None:
    from sopdesk.store.models import ALL_MODELS

    db.create_tables(ALL_MODELS, safe=True)
