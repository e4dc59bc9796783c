"""Noticing that another process wrote to the database, so open panes can refresh themselves.

SQLite: `PRAGMA data_version` on one long-lived connection changes whenever any other connection
commits — a teammate's sopdesk, a cron import, or our own writes (which use other connections).
It costs microseconds, so polling every couple of seconds is free. Other backends: not watched yet
(the panes still reload on their own timers).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class ChangeWatcher:
    def __init__(self, target: str | Path) -> None:
        text = str(target)
        self._con: sqlite3.Connection | None = None
        self._version: int | None = None
        if "://" in text and not text.startswith("sqlite:///"):
            return
        path = Path(text.removeprefix("sqlite:///")).expanduser()
        if not path.exists():
            return
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._version = self._read()

    @property
    def active(self) -> bool:
        return self._con is not None

    def _read(self) -> int | None:
        if self._con is None:
            return None
        try:
            return int(self._con.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None

    def changed(self) -> bool:
        """True once for every batch of commits made since the last call."""
        current = self._read()
        if current is None or current == self._version:
            return False
        self._version = current
        return True

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
