"""Schema version 2: the full-text search index over customers, contacts and messages.

SQLite: an FTS5 table. PostgreSQL: a table with a generated tsvector under a GIN index (store/
search.py), plus the triggers that NOTIFY open sopdesk sessions of every change (store/watch.py);
a PostgreSQL database is always created at the newest schema, so this runs there right after the
tables are made. Existing rows are indexed at once.
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase, SqliteDatabase


def up(db: Database) -> None:
    if not isinstance(db, SqliteDatabase | PostgresqlDatabase):
        return
    from sopdesk.store import search

    search.create_index(db)
    search.rebuild(db)
    if isinstance(db, PostgresqlDatabase):
        from sopdesk.store import watch

        watch.install_notify(db)
