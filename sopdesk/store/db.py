"""The database: one proxy, initialised at start-up from a path or URL with its pragmas.

SQLite runs in WAL mode with a busy timeout and IMMEDIATE write transactions (PITFALLS.md: deferred
transactions under several processes hit "database is locked"). PostgreSQL URLs go through
playhouse.db_url, so the same models run there later.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from peewee import Database, DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect as connect_url

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 5000,
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -16000,
}


class DatabaseError(Exception):
    """The database cannot be opened; the message says why and what to do."""


def is_url(target: str) -> bool:
    return "://" in target


def _prepare_sqlite_file(path: Path) -> None:
    """Create the file 0600 in a 0700 dir on first use; refuse a world-writable database."""
    if str(path) == ":memory:":
        return
    if path.exists():
        mode = path.stat().st_mode
        if mode & stat.S_IWOTH:
            raise DatabaseError(
                f"{path} is writable by every user on this machine; refusing to open it. "
                f"Fix with: chmod o-w {path}"
            )
        return
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def open_database(target: str | Path) -> Database:
    """A configured (not yet connected) database for a file path, `:memory:` or a URL."""
    text = str(target)
    if is_url(text):
        if text.startswith("sqlite:///"):
            _prepare_sqlite_file(Path(text.removeprefix("sqlite:///")))
            return SqliteDatabase(
                text.removeprefix("sqlite:///"), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE"
            )
        try:
            return connect_url(text)
        except Exception as exc:  # unknown scheme, missing driver
            raise DatabaseError(f"cannot use database URL {text!r}: {exc}") from exc
    path = Path(text).expanduser()
    _prepare_sqlite_file(path)
    return SqliteDatabase(
        str(path) if text != ":memory:" else ":memory:",
        pragmas=SQLITE_PRAGMAS,
        lock_type="IMMEDIATE",
        check_same_thread=False,
    )


def init(target: str | Path) -> Database:
    """Point the proxy at `target`, create or migrate the schema, and return the database."""
    from sopdesk.store import migrations

    db = open_database(target)
    database.initialize(db)
    with db.connection_context():
        migrations.migrate(db, before_migrate=_backup_before_migrating(target))
    return db


def _backup_before_migrating(target: str | Path) -> Callable[[object], None] | None:
    """A copy of an existing SQLite file is taken before its schema is changed."""
    text = str(target)
    if is_url(text) and not text.startswith("sqlite:///"):
        return None
    path = Path(text.removeprefix("sqlite:///")).expanduser()

    def take(_pending: object) -> None:
        from sopdesk.store.backup import backup, default_destination

        dated = default_destination(path)
        backup(path, dated.with_name(f"{dated.stem}-before-migration-{os.getpid()}.db"))

    return take


def is_sqlite() -> bool:
    return isinstance(database.obj, SqliteDatabase)
