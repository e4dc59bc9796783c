"""Noticing that another process wrote to the database, so open panes can refresh themselves.

SQLite: `PRAGMA data_version` on one long-lived connection changes whenever any other connection
commits — a teammate's sopdesk, a cron import, or our own writes (which use other connections).
It costs microseconds, so polling every couple of seconds is free.

PostgreSQL: LISTEN/NOTIFY. A statement-level trigger on every table sends `NOTIFY sopdesk_changes`
(delivered at commit, once per transaction however many rows changed); the watcher LISTENs on its
own connection and `changed()` just drains what arrived, without a round trip to the server.
Tables added by later migrations need `install_notify(db)` run again (it is idempotent).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from peewee import Database

CHANNEL = "sopdesk_changes"


def install_notify(db: Database) -> None:
    """Create (or replace) the NOTIFY trigger on every sopdesk table of a PostgreSQL database."""
    from sopdesk.store.models import ALL_MODELS

    db.execute_sql(
        "CREATE OR REPLACE FUNCTION sopdesk_notify_change() RETURNS trigger AS $$ "
        f"BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END; "
        "$$ LANGUAGE plpgsql"
    )
    for model in ALL_MODELS:
        table = model._meta.table_name
        db.execute_sql(f'DROP TRIGGER IF EXISTS sopdesk_notify ON "{table}"')
        db.execute_sql(
            f'CREATE TRIGGER sopdesk_notify AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION sopdesk_notify_change()"
        )


class ChangeWatcher:
    def __init__(self, target: str | Path) -> None:
        text = str(target)
        self._con: sqlite3.Connection | None = None
        self._pg: Any = None
        self._version: int | None = None
        if text.startswith(("postgresql://", "postgres://")):
            self._listen(text)
            return
        if "://" in text and not text.startswith("sqlite:///"):
            return
        path = Path(text.removeprefix("sqlite:///")).expanduser()
        if not path.exists():
            return
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._version = self._read()

    def _listen(self, url: str) -> None:
        try:
            import psycopg

            self._pg = psycopg.connect(
                url.replace("postgres://", "postgresql://", 1), autocommit=True, connect_timeout=10
            )
            self._pg.execute(f"LISTEN {CHANNEL}")
        except Exception:  # no driver or no server: the panes still reload on their timers
            self._pg = None

    @property
    def active(self) -> bool:
        return self._con is not None or self._pg is not None

    def _read(self) -> int | None:
        if self._con is None:
            return None
        try:
            return int(self._con.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None

    def _notified(self) -> bool:
        try:
            pending = list(self._pg.notifies(timeout=0))
        except Exception:  # the server went away: stop watching rather than fail the app
            self.close()
            return False
        return bool(pending)

    def changed(self) -> bool:
        """True once for every batch of commits made since the last call."""
        if self._pg is not None:
            return self._notified()
        current = self._read()
        if current is None or current == self._version:
            return False
        self._version = current
        return True

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
        if self._pg is not None:
            try:
                self._pg.close()
            finally:
                self._pg = None
