"""Consistent copies of a SQLite database while others write, and a restore that checks first.

`backup()` uses SQLite's online backup API, so a copy taken while teammates and a cron import
write is still a consistent snapshot. `restore()` refuses a file that fails `integrity_check` or
comes from a newer sopdesk, and keeps a copy of what it replaces. PostgreSQL: use `pg_dump`
(docs/team.md).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from sopdesk import clock


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why."""


def _stamp() -> str:
    return clock.now().format("YYYYMMDD-HHmmss")


def default_destination(db_path: Path) -> Path:
    return db_path.parent / "backups" / f"{db_path.stem}-{_stamp()}.db"


def backup(db_path: Path, destination: Path | None = None) -> Path:
    """Copy `db_path` to `destination` (a file, or a folder to put a dated file in)."""
    if not db_path.exists():
        raise BackupError(f"no database at {db_path}")
    target = destination or default_destination(db_path)
    if target.is_dir() or not target.suffix:  # a folder (made if needed): a dated file in it
        target = target / default_destination(db_path).name
    if target.exists():
        raise BackupError(f"{target} exists; choose another name")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=1024)
    finally:
        copy.close()
        source.close()
    problems = integrity_problems(target)
    if problems:
        raise BackupError(f"the copy at {target} failed its integrity check: {problems[0]}")
    return target


def integrity_problems(path: Path) -> list[str]:
    """[] when SQLite's integrity_check says ok; otherwise what it found (or why it can't open)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
            con.execute("SELECT count(*) FROM schema_migration").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return [f"not a sopdesk database ({exc})"]
    return [] if rows == ["ok"] else rows


def schema_versions(path: Path) -> set[int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {int(r[0]) for r in con.execute("SELECT version FROM schema_migration")}
    finally:
        con.close()


def restore(source: Path, db_path: Path) -> Path | None:
    """Replace `db_path` with `source` after checking it; returns the copy of what was replaced."""
    from sopdesk.store.migrations import MIGRATIONS

    problems = integrity_problems(source)
    if problems:
        raise BackupError(f"{source} is damaged, nothing was replaced: {problems[0]}")
    known = {m.version for m in MIGRATIONS}
    newer = schema_versions(source) - known
    if newer:
        raise BackupError(
            f"{source} comes from a newer sopdesk (schema {max(newer)}); upgrade sopdesk first"
        )
    kept = backup(db_path) if db_path.exists() else None
    staging = db_path.with_name(db_path.name + ".restoring")
    shutil.copyfile(source, staging)
    os.chmod(staging, 0o600)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    os.replace(staging, db_path)
    return kept
