import sqlite3
from pathlib import Path

import pytest

from sopdesk.store.watch import ChangeWatcher


@pytest.mark.sqlite_only(reason="SQLite's data_version; test_postgres.py tests LISTEN/NOTIFY")
def test_a_commit_by_another_connection_is_noticed_once(store: Path) -> None:
    watcher = ChangeWatcher(store)
    assert watcher.active and not watcher.changed()
    other = sqlite3.connect(store)
    other.execute("CREATE TABLE t (x)")
    other.execute("INSERT INTO t VALUES (1)")
    other.commit()
    assert watcher.changed()
    assert not watcher.changed()
    other.execute("INSERT INTO t VALUES (2)")
    other.commit()
    other.close()
    assert watcher.changed()
    watcher.close()


def test_urls_and_missing_files_are_not_watched(tmp_path: Path) -> None:
    assert not ChangeWatcher("postgresql://u@localhost/db").active
    assert not ChangeWatcher(tmp_path / "none.db").changed()
