"""PostgreSQL: the same store on a server — moving a team's data there, search, live refresh, and
the few SQL pieces that differ. Tests that need the server get it from SOPDESK_TEST_PG (skipped
without it outside CI, failed without it in CI: tests/conftest.py)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sopdesk.cli import main
from sopdesk.services import funnel, inbox, records
from sopdesk.store import db, dialect, search
from sopdesk.store.copy import CopyError, copy_database
from sopdesk.store.models import Customer, Inquiry
from sopdesk.store.watch import ChangeWatcher
from tests.conftest import FROZEN_NOW


def _counts() -> dict[str, int]:
    with db.database.connection_context():
        return {
            "customers": Customer.select().count(),
            "inquiries": Inquiry.select().count(),
        }


@pytest.mark.sqlite_only(reason="the SQLite demo is the copy's source; the target is PostgreSQL")
def test_db_copy_moves_the_demo_to_postgresql_and_everything_works_there(
    demo_store: Path, fresh_postgres: str
) -> None:
    db.init(demo_store)
    before = _counts()
    company = records.customer_window(records.CustomerFilter()).rows[0].company
    funnel_before = funnel.funnel_view()
    result = CliRunner().invoke(
        main, ["db", "copy", "--from", f"sqlite:///{demo_store}", "--to", fresh_postgres]
    )
    assert result.exit_code == 0, result.output
    assert "every table's row count matches" in result.output
    assert db.is_postgres()  # the copy left the store pointing at the target
    assert _counts() == before
    assert funnel.funnel_view() == funnel_before
    word = company.split()[0]
    found = records.customer_window(records.CustomerFilter(text=word.lower()[:4]))
    assert company in {r.company for r in found.rows}
    assert inbox.inbox_page(FROZEN_NOW).total == before["inquiries"]
    # New rows continue after the copied ids.
    with db.database.connection_context():
        fresh = Customer.create(number=99999, stage_since=FROZEN_NOW, company="After the move")
        assert fresh.id > max(
            c.id for c in Customer.select(Customer.id).where(Customer.id != fresh.id)
        )
    again = CliRunner().invoke(
        main, ["db", "copy", "--from", f"sqlite:///{demo_store}", "--to", fresh_postgres]
    )
    assert again.exit_code == 1 and "already holds data" in again.output


@pytest.mark.sqlite_only(reason="copies between SQLite files")
def test_db_copy_between_sqlite_files_and_its_refusals(demo_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    counts = copy_database(str(demo_store), f"sqlite:///{target}")
    assert all(c.ok for c in counts) and sum(c.source for c in counts) > 100
    assert records.customer_window(records.CustomerFilter(text="britannia")).rows
    with pytest.raises(CopyError, match="already holds data"):
        copy_database(str(demo_store), str(target))
    result = CliRunner().invoke(
        main, ["db", "copy", "--from", str(tmp_path / "none.db"), "--to", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 1 and "no database" in result.output


def test_live_refresh_on_postgresql_hears_other_connections(fresh_postgres: str) -> None:
    db.init(fresh_postgres)
    watcher = ChangeWatcher(fresh_postgres)
    try:
        assert watcher.active and not watcher.changed()
        with psycopg.connect(fresh_postgres, autocommit=True) as other:
            other.execute(
                "INSERT INTO rep (login, name, title, email, whatsapp, signature, timezone, "
                "language, role, created_at, updated_at) VALUES ('x', 'X', '', '', '', '', "
                "'UTC', '', 'rep', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')"
            )
        deadline = time.monotonic() + 5
        while not watcher.changed():
            assert time.monotonic() < deadline, "no notification within 5 s"
            time.sleep(0.05)
        assert not watcher.changed()  # once per batch
    finally:
        watcher.close()


def test_a_server_that_is_not_there_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(db.DatabaseError) as caught:
        db.init("postgresql://rep:s3cret@127.0.0.1:9/sopdesk")
    assert "s3cret" not in str(caught.value) and "cannot open" in str(caught.value)
    with pytest.raises(db.DatabaseError, match="names no database"):
        db.open_database("postgresql://rep@127.0.0.1:9")


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_whatever_is_typed_becomes_a_safe_tsquery(text: str) -> None:
    query = search.ts_query(text)
    if query is not None:
        # Quoted (prefix) words, or phrases of them: a CJK run, the parts of "c77.example".
        operand = r"'[^\s'\\:&|!()<>*]+'(?::\*)?"
        term = rf"(?:{operand}|\({operand}(?: <-> {operand})+\))"
        assert re.fullmatch(rf"{term}(?: & {term})*", query), query


def test_hostile_search_text_never_breaks_either_backend(store: Path | str) -> None:
    with db.database.connection_context():
        Customer.create(number=1, company="Müller Licht", stage_since=FROZEN_NOW)
        search.index_customer(1)
    for text in ("c++", "'; DROP TABLE customer; --", "a & b | !c", ":*", "\\", "müller", "%_"):
        records.customer_window(records.CustomerFilter(text=text))
    found = records.customer_window(records.CustomerFilter(text="MULLER lic"))
    assert [r.company for r in found.rows] == ["Müller Licht"]


def test_dialect_pieces_agree_on_both_backends(store: Path | str) -> None:
    later, earlier = "'2026-03-09T00:00:01.000000Z'", "'2026-03-08T00:00:00.000000Z'"
    with db.database.connection_context():
        run = db.database.execute_sql
        assert int(run(f"SELECT {dialect.seconds_between(later, earlier)}").fetchone()[0]) == 86401
        assert run(f"SELECT {dialect.greatest('NULL', '0')}").fetchone()[0] is None
        assert int(run(f"SELECT {dialect.greatest('-5', '0')}").fetchone()[0]) == 0
        assert int(run(f"SELECT {dialect.least('-5', '0')}").fetchone()[0]) == -5
        # `?` placeholders and a literal % side by side.
        assert run("SELECT ? || '%'", ("50",)).fetchone()[0] == "50%"
