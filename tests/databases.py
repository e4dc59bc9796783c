"""Fresh databases for tests, fast: on SQLite a copy of a template file, on PostgreSQL a database
from a per-process pool that is reset between tests.

Both start from the same state a test used to build itself: the schema migrated (and, for the demo,
`demo.seed(FROZEN_NOW)` under the frozen clock). Building that takes 0.1–1 s; a copy takes
milliseconds. On PostgreSQL even `CREATE DATABASE … TEMPLATE` costs 50 ms on a quiet server (and a
second or more on a busy one: it checkpoints the cluster), so a database handed back after a test
is emptied instead — its other connections ended, every table's rows deleted (children first), the
demo's rows copied back in (COPY, binary) and every sequence set back — and handed out again.
Names carry a random part, so pytest-xdist workers sharing one server never meet.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pendulum

from sopdesk import clock

KEEP = ("schema_migration",)
"""Tables a reset leaves alone (the same in every migrated database)."""


@dataclass
class _Snapshot:
    """What a reset puts back: table rows (binary COPY) in insertion order, sequence values."""

    tables: list[str]
    rows: dict[str, bytes] = field(default_factory=dict)
    sequences: dict[str, tuple[int, bool]] = field(default_factory=dict)


@dataclass
class _Pooled:
    url: str
    kind: str  # "empty" or "demo"
    conn: Any  # psycopg connection to it, for resets


class Databases:
    """Hands out fresh databases and takes them back (`create`, `release`); `close` at the end."""

    def __init__(self, folder: Path, server: str, now: pendulum.DateTime) -> None:
        self.folder = folder
        self.server = server  # a PostgreSQL URL, or "" when there is none
        self.now = now
        self._files: dict[str, Path] = {}  # SQLite templates by kind
        self._snapshots: dict[str, _Snapshot] = {}  # PostgreSQL contents by kind
        self._free: dict[str, list[_Pooled]] = {"empty": [], "demo": []}
        self._lent: dict[str, _Pooled] = {}
        self._admin: Any = None

    # -- SQLite ---------------------------------------------------------------------------------

    def create_sqlite(self, folder: Path, name: str, demo: bool = False) -> Path:
        """A copy of the template at `folder/name.db` (`name-2.db`… when taken)."""
        kind = "demo" if demo else "empty"
        if kind not in self._files:
            template = self.folder / f"template-{kind}.db"
            self._build(str(template), demo)
            self._files[kind] = template
        path, n = folder / f"{name}.db", 1
        while path.exists():
            n += 1
            path = folder / f"{name}-{n}.db"
        shutil.copyfile(self._files[kind], path)
        path.chmod(0o600)  # as sopdesk creates it
        return path

    def _build(self, target: str, demo: bool) -> None:
        from sopdesk.services import demo as demo_data
        from sopdesk.store import db

        with clock.frozen(self.now):
            db.init(target)
            if demo:
                with db.database.connection_context():
                    demo_data.seed(self.now)
        db.database.obj.close()  # no connection (so no WAL file) left behind

    # -- PostgreSQL -----------------------------------------------------------------------------

    def admin(self) -> Any:
        """A psycopg connection to the server's maintenance database, in autocommit mode."""
        if self._admin is None:
            import psycopg

            self._admin = psycopg.connect(self.server, autocommit=True)
        return self._admin

    def new_postgres(self) -> str:
        """A new, empty (not migrated) PostgreSQL database; its URL."""
        name = f"sopdesk_t_{uuid.uuid4().hex[:12]}"
        self.admin().execute(f'CREATE DATABASE "{name}"')
        base = self.server.partition("?")[0].rpartition("/")[0]
        return f"{base}/{name}"

    def drop_postgres(self, url: str) -> None:
        self._close_ours(url)
        name = url.rpartition("/")[2]
        self.admin().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create_postgres(self, demo: bool = False) -> str:
        """A migrated PostgreSQL database (with the demo data if `demo`); give it back with
        `release`."""
        kind = "demo" if demo else "empty"
        pooled = self._free[kind].pop() if self._free[kind] else self._new_pooled(kind)
        self._lent[pooled.url] = pooled
        return pooled.url

    def release(self, target: Path | str) -> None:
        """Take back a database from `create_*`: a pooled PostgreSQL one is reset for the next
        test (or dropped if that fails); a SQLite file stays with its tmp_path."""
        pooled = self._lent.pop(str(target), None)
        if pooled is None:
            return
        self._close_ours(pooled.url)
        try:
            self._reset(pooled)
        except Exception:
            pooled.conn.close()
            self.drop_postgres(pooled.url)
            raise
        self._free[pooled.kind].append(pooled)

    def _new_pooled(self, kind: str) -> _Pooled:
        import psycopg

        url = self.new_postgres()
        if kind not in self._snapshots:
            self._build(url, kind == "demo")
            conn = psycopg.connect(url, autocommit=True)
            self._snapshots[kind] = self._snapshot(conn, kind == "demo")
            return _Pooled(url, kind, conn)
        with clock.frozen(self.now):
            from sopdesk.store import db

            db.init(url)  # the schema; the reset brings the rows
        self._close_ours(url)
        pooled = _Pooled(url, kind, psycopg.connect(url, autocommit=True))
        self._reset(pooled)
        return pooled

    @staticmethod
    def _tables(conn: Any) -> list[str]:
        """The database's tables, parents before the tables that refer to them."""
        tables = {
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
            if name not in KEEP
        }
        parents: dict[str, set[str]] = {t: set() for t in tables}
        for child, parent in conn.execute(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
        ):
            child, parent = child.strip('"'), parent.strip('"')
            if child in parents and parent != child:
                parents[child].add(parent)
        ordered: list[str] = []
        while parents:
            ready = sorted(t for t, p in parents.items() if not p - set(ordered))
            if not ready:
                raise RuntimeError(f"foreign keys in a cycle: {parents}")
            ordered.extend(ready)
            for t in ready:
                del parents[t]
        return ordered

    def _snapshot(self, conn: Any, with_rows: bool) -> _Snapshot:
        snap = _Snapshot(self._tables(conn))
        if with_rows:
            for table in snap.tables:
                data = bytearray()
                with conn.cursor().copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as copy:
                    for chunk in copy:
                        data += chunk
                snap.rows[table] = bytes(data)
        for (name,) in conn.execute(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        ):
            if with_rows:
                value, called = conn.execute(
                    f'SELECT last_value, is_called FROM "{name}"'
                ).fetchone()
                snap.sequences[name] = (value, called)
            else:
                snap.sequences[name] = (1, False)
        return snap

    def _reset(self, pooled: _Pooled) -> None:
        snap = self._snapshots[pooled.kind]
        conn = pooled.conn
        # Whatever the test left connected (a worker thread, a LISTEN) goes first.
        self.admin().execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s",
            (pooled.url.rpartition("/")[2], conn.info.backend_pid),
        )
        with conn.transaction():
            conn.execute("SET LOCAL lock_timeout = '20s'")
            for table in reversed(snap.tables):
                conn.execute(f'DELETE FROM "{table}"')
            for table, data in snap.rows.items():
                if data:
                    with conn.cursor().copy(f'COPY "{table}" FROM STDIN (FORMAT BINARY)') as copy:
                        copy.write(data)
            if snap.sequences:
                setters = ", ".join(
                    f"setval('\"{name}\"', {value}, {'true' if called else 'false'})"
                    for name, (value, called) in snap.sequences.items()
                )
                conn.execute(f"SELECT {setters}")

    @staticmethod
    def _close_ours(url: str) -> None:
        """Close the store's connection (this thread's) when it points at `url`."""
        from sopdesk.store import db

        obj = db.database.obj
        if obj is not None and db.is_postgres() and obj.database == url.rpartition("/")[2]:
            obj.close()

    def close(self) -> None:
        for pooled in [*self._lent.values(), *(p for free in self._free.values() for p in free)]:
            pooled.conn.close()
            self.drop_postgres(pooled.url)
        if self._admin is not None:
            self._admin.close()
