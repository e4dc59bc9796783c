"""Schema version 8: the search index again, with Chinese, Japanese, Korean and Thai text split
into single characters (store/search.py: `index_text`), so part of a name or a message in those
scripts is found ("深圳" finds "深圳市华强电子有限公司"). The tables do not change; every customer
is indexed again, `search.REBUILD_CUSTOMERS` at a time: 6–8 s on SQLite and ≈ 15 s on PostgreSQL
at 20,000 customers with 330,000 documents (docs/performance.md). On PostgreSQL it also makes the
words those of SQLite's tokenizer ("C-01234", e-mail addresses are found by their parts).
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase, SqliteDatabase


def up(db: Database) -> None:
    if not isinstance(db, SqliteDatabase | PostgresqlDatabase):
        return
    from sopdesk.store import search

    search.create_index(db)
    search.rebuild(db)
