"""Schema version 2: the full-text search index over customers, contacts and messages.

SQLite only (FTS5); on other backends the search module falls back to LIKE, so this is a no-op there.
Existing rows are indexed at once.
"""

from __future__ import annotations

from peewee import Database, SqliteDatabase


def up(db: Database) -> None:
    if not isinstance(db, SqliteDatabase):
        return
    from sopdesk.store import search

    search.create_index(db)
    search.rebuild(db)
