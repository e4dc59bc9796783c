"""Backups while others write, restores that check first, the automatic copy before a migration."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from sopdesk.cli import main
from sopdesk.store import backup as backups
from sopdesk.store import db
from sopdesk.store.models import Customer

from .test_migrations import _build_v1

pytestmark = pytest.mark.sqlite_only(
    reason="backups of a SQLite file (PostgreSQL's are pg_dump's, tested by its message)"
)


def _count(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM customer").fetchone()[0]
    finally:
        con.close()


def test_backup_while_another_process_writes_is_consistent(
    demo_store: Path, tmp_path: Path
) -> None:
    stop = threading.Event()
    setup = sqlite3.connect(demo_store)
    setup.execute("CREATE TABLE side_writes (n INTEGER)")
    setup.commit()
    setup.close()

    def writer() -> None:
        con = sqlite3.connect(demo_store, timeout=10)
        n = 0
        while not stop.is_set():
            n += 1
            con.execute("INSERT INTO side_writes (n) VALUES (?)", (n,))
            con.commit()
        con.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copy = backups.backup(demo_store, tmp_path / "copies")
    finally:
        stop.set()
        thread.join()
    assert copy.parent == tmp_path / "copies"
    assert backups.integrity_problems(copy) == []
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert _count(copy) >= 44


def test_restore_refuses_a_damaged_file_and_keeps_the_current_one(
    demo_store: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    before = _count(demo_store)
    with pytest.raises(backups.BackupError, match="nothing was replaced"):
        backups.restore(junk, demo_store)
    assert _count(demo_store) == before


def test_restore_replaces_and_keeps_what_it_replaced(demo_store: Path, tmp_path: Path) -> None:
    copy = backups.backup(demo_store, tmp_path / "copy.db")
    with db.database.connection_context():
        Customer.delete().where(Customer.number > 10).execute()
    assert _count(demo_store) == 10
    kept = backups.restore(copy, demo_store)
    assert _count(demo_store) == 44
    assert kept is not None and _count(kept) == 10


def test_an_existing_database_is_copied_before_it_is_migrated(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    _build_v1(old)
    db.init(old)
    copies = list((tmp_path / "backups").glob("old-*-before-migration-*.db"))
    assert len(copies) == 1
    assert backups.schema_versions(copies[0]) == {1}


def test_cli_backup_and_restore(demo_store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["--db", str(demo_store), "backup", str(tmp_path / "b.db")])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "b.db").exists()
    again = runner.invoke(main, ["--db", str(demo_store), "backup", str(tmp_path / "b.db")])
    assert again.exit_code == 1 and "exists" in again.output
    restored = runner.invoke(
        main, ["--db", str(demo_store), "restore", str(tmp_path / "b.db"), "--yes"]
    )
    assert restored.exit_code == 0, restored.output
    assert "kept at" in restored.output
    pg = runner.invoke(main, ["--db", "postgresql://x@localhost/y", "backup"])
    assert pg.exit_code == 1 and "pg_dump" in pg.output


def test_init_creates_a_private_database(tmp_path: Path) -> None:
    path = tmp_path / "mine" / "sopdesk.db"
    out = CliRunner().invoke(main, ["init", "--db", str(path)])
    assert out.exit_code == 0, out.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_init_team_shares_with_the_group(tmp_path: Path) -> None:
    import grp
    import os

    group = grp.getgrgid(os.getgid()).gr_name
    path = tmp_path / "team" / "sopdesk.db"
    out = CliRunner().invoke(main, ["init", "--team", group, "--db", str(path)])
    assert out.exit_code == 0, out.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o660
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o2770
    unknown = CliRunner().invoke(main, ["init", "--team", "no-such-group-xyz", "--db", str(path)])
    assert unknown.exit_code == 2 and "no group" in unknown.output
