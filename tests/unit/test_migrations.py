"""The schema path: the oldest schema migrates to the newest and its data survives."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sopdesk.store import db, migrations, search

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schema_v1.sql"


def _columns(path: Path) -> dict[str, list[tuple[str, str, int]]]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'search_index%'"
            )
        ]
        return {
            t: sorted((r[1], r[2], r[3]) for r in con.execute(f'PRAGMA table_info("{t}")'))
            for t in tables
        }
    finally:
        con.close()


def _build_v1(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text("utf-8"))
    now = "2026-11-20T08:00:00.000000Z"
    con.execute(
        "INSERT INTO rep (id, created_at, updated_at, login, name, title, email, whatsapp,"
        " signature, timezone, language, role) VALUES (1, ?, ?, 'lily', 'Lily Chen', '', '', '',"
        " '', 'Asia/Shanghai', 'en', 'manager')",
        (now, now),
    )
    con.execute(
        "INSERT INTO customer (id, created_at, updated_at, number, company, name, country, website,"
        " email_domain, source, buyer_type, stage, stage_since, expected_currency,"
        " next_follow_up_plan, background_check_done, platform_profile, notes, tags, version,"
        " owner_id)"
        " VALUES (1, ?, ?, 42, 'Müller Licht GmbH', 'Jonas Müller', 'DE', '', 'mueller-licht.de',"
        " 'email', 'unknown', 'intent', ?, 'USD', '', 0, '', 'Rückerstattung asked', '', 1, 1)",
        (now, now, now),
    )
    con.execute(
        "INSERT INTO inquiry (id, created_at, updated_at, customer_id, channel, received_at,"
        " buyer_name, buyer_email, buyer_phone, company, country, subject, body, products,"
        " quantity, port, archived) VALUES (1, ?, ?, 1, 'email', ?, 'Jonas', 'j@mueller-licht.de',"
        " '', 'Müller Licht GmbH', 'DE', 'LED high bay', 'We need 500 pcs of 150W high bay', '',"
        " '500', 'Hamburg', 0)",
        (now, now, now),
    )
    con.commit()
    con.close()


def test_the_oldest_schema_migrates_to_the_newest_and_keeps_its_data(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    _build_v1(old)
    database = db.init(old)
    with database.connection_context():
        assert migrations.applied_versions(database) == {m.version for m in migrations.MIGRATIONS}
        from sopdesk.store.models import Customer, Inquiry

        customer = Customer.get(Customer.number == 42)
        assert customer.company == "Müller Licht GmbH"
        assert customer.stage.value == "intent"
        assert customer.stage_since.isoformat() == "2026-11-20T08:00:00+00:00"
        assert Inquiry.get_by_id(1).body == "We need 500 pcs of 150W high bay"
        # Migration 7: reps who were there stay active (and still own their customers).
        from sopdesk.store.models import Rep

        lily = Rep.get(Rep.login == "lily")
        assert lily.is_active and lily.deactivated_at is None and customer.owner_id == lily.id
        # Migration 2 indexed the rows that were already there.
        assert search.search_customer_ids("rückerstattung") == [customer.id]
        assert search.search_customer_ids("high bay") == [customer.id]

    fresh = tmp_path / "fresh.db"
    db.init(fresh)
    assert _columns(old) == _columns(fresh), "a migrated database must equal a new one"


def test_migrating_twice_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "twice.db"
    database = db.init(path)
    with database.connection_context():
        assert migrations.migrate(database) == 0
        assert migrations.pending(database) == []


def test_a_hook_runs_before_migrating_an_existing_database(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    _build_v1(old)
    seen: list[list[int]] = []
    database = db.open_database(old)
    db.database.initialize(database)
    with database.connection_context():
        ran = migrations.migrate(
            database, before_migrate=lambda todo: seen.append([m.version for m in todo])
        )
    later = [m.version for m in migrations.MIGRATIONS if m.version > 1]
    assert ran == len(later)
    assert seen == [later]


def test_the_command_line_says_why_opening_an_old_database_takes_a_while(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sopdesk.cli import main
    from sopdesk.store import migrations

    path = tmp_path / "old.db"
    _build_v1(path)
    result = CliRunner().invoke(main, ["--db", str(path), "rep", "list"])
    assert result.exit_code == 0, result.output
    steps = len(migrations.MIGRATIONS) - 1
    assert (
        f"Updating the database to schema version {migrations.SCHEMA_VERSION} ({steps} steps)"
        in result.stderr
    )
    # Once migrated, nothing more is said.
    again = CliRunner().invoke(main, ["--db", str(path), "rep", "list"])
    assert again.exit_code == 0 and "Updating the database" not in again.stderr
