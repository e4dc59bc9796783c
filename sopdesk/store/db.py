"""The database: one proxy, initialised at start-up from a path or URL with its pragmas.

SQLite runs in WAL mode with a busy timeout and IMMEDIATE write transactions (PITFALLS.md: deferred
transactions under several processes hit "database is locked"). PostgreSQL URLs
(`postgresql://user@host:port/db`, psycopg 3) get the same guarantee: every transaction first takes
one transaction-level advisory lock, so writers queue one after another as on SQLite and a service
that reads, then writes, inside `database.atomic()` never works on a stale read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peewee import Database, DatabaseProxy, PostgresqlDatabase, SqliteDatabase
from playhouse.db_url import connect as connect_url
from playhouse.db_url import parse as parse_url

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 30000,  # a big cron import may hold the write lock a while: wait, do not fail
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -16000,
}


POSTGRES_SCHEMES = ("postgresql://", "postgres://")
WRITE_LOCK = 0x50D35C
"""The advisory lock key every PostgreSQL transaction takes first (one writer at a time)."""


class DatabaseError(Exception):
    """The database cannot be opened; the message says why and what to do."""


class TeamPostgresqlDatabase(PostgresqlDatabase):
    """PostgreSQL with SQLite's BEGIN IMMEDIATE: a transaction starts by taking the write lock.

    Under READ COMMITTED two processes could otherwise both read "the next customer number" or
    "no customer with this e-mail yet" and both write; queueing writers keeps every service's
    read-then-write correct without a retry loop in each. Reads outside transactions never wait.
    """

    def begin(self, isolation_level=None):
        super().begin(isolation_level)
        self.cursor().execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def execute_sql(self, sql, params=None, *args, **kwargs):
        # Hand-written SQL in sopdesk uses SQLite's `?` placeholders; psycopg wants `%s` (and a
        # literal % doubled). Peewee's own queries already use `%s` and pass through untouched.
        if params and "?" in sql and "%s" not in sql:
            sql = sql.replace("%", "%%").replace("?", "%s")
        return super().execute_sql(sql, params, *args, **kwargs)


def is_postgres_url(target: str) -> bool:
    return target.startswith(POSTGRES_SCHEMES)


def _postgres(url: str) -> Database:
    try:
        import psycopg  # noqa: F401 - checked here so the message can say what to install
    except ImportError as exc:
        raise DatabaseError(
            "PostgreSQL needs the psycopg driver: pip install 'sopdesk[postgres]'"
        ) from exc
    params = parse_url(url.replace("postgres://", "postgresql://", 1), unquote_password=True)
    name = params.pop("database", None)
    if not name:
        raise DatabaseError(f"the URL {url!r} names no database (postgresql://user@host/DBNAME)")
    params.setdefault("connect_timeout", 10)
    return TeamPostgresqlDatabase(name, **params)


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
                text.removeprefix("sqlite:///"),
                pragmas=SQLITE_PRAGMAS,
                lock_type="IMMEDIATE",
                check_same_thread=False,
            )
        if is_postgres_url(text):
            return _postgres(text)
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


migration_notice: Callable[[int, int], None] | None = None
"""Told (schema version, number of steps) before an existing database is migrated, so the
command line can say why opening takes a few seconds; the store itself prints nothing."""


def init(target: str | Path) -> Database:
    """Point the proxy at `target`, create or migrate the schema, and return the database."""
    from sopdesk.store import migrations

    db = open_database(target)
    database.initialize(db)
    backup = _backup_before_migrating(target)

    def before_migrate(pending: list[Any]) -> None:
        if migration_notice is not None:
            migration_notice(pending[-1].version, len(pending))
        if backup is not None:
            backup(pending)

    try:
        with db.connection_context():
            migrations.migrate(db, before_migrate=before_migrate)
    except DatabaseError:
        raise
    except Exception as exc:
        if isinstance(db, SqliteDatabase):
            raise
        # A server that is down or refuses us: say so instead of a driver traceback.
        raise DatabaseError(f"cannot open {_redacted(str(target))}: {exc}") from exc
    return db


def _redacted(url: str) -> str:
    """The URL without its password, for messages."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


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


def is_postgres(db: Database | None = None) -> bool:
    return isinstance(db if db is not None else database.obj, PostgresqlDatabase)
