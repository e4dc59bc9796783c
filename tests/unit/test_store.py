"""The store: time and money fields, file safety, named queries."""

from __future__ import annotations

import os
import stat
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pendulum
import pytest

from sopdesk.sop.stages import Channel, Stage
from sopdesk.store import db
from sopdesk.store.fields import MoneyField, from_db_time, to_db_time
from sopdesk.store.models import Customer, Inquiry


def test_times_are_fixed_width_utc_and_naive_ones_are_refused() -> None:
    shanghai = pendulum.datetime(2026, 3, 8, 10, 0, tz="Asia/Shanghai")
    text = to_db_time(shanghai)
    assert text == "2026-03-08T02:00:00.000000Z"
    assert from_db_time(text) == shanghai
    assert from_db_time(text).timezone_name == "UTC"
    with pytest.raises(ValueError):
        to_db_time(datetime(2026, 3, 8, 10, 0))


def test_text_order_is_time_order_across_offsets() -> None:
    a = pendulum.datetime(2026, 3, 8, 23, 30, tz="America/New_York")
    b = pendulum.datetime(2026, 3, 9, 12, 0, tz="Asia/Tokyo")
    assert (a < b) == (to_db_time(a) < to_db_time(b))


def test_money_is_exact() -> None:
    field = MoneyField()
    for value in ("0.1", "12345678.9999", "-3.5", "1000000000.01"):
        assert field.python_value(field.db_value(Decimal(value))) == Decimal(value)


def test_new_database_is_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "rep.db"
    db.init(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_world_writable_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "open.db"
    db.init(path)
    os.chmod(path, 0o666)
    with pytest.raises(db.DatabaseError, match="writable by every user"):
        db.init(path)


@pytest.mark.sqlite_only(reason="SQLite's own PRAGMAs")
def test_sqlite_pragmas(store: Path) -> None:
    with db.database.connection_context():
        assert db.database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.database.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_unanswered_named_query(store: Path | str, frozen_clock: pendulum.DateTime) -> None:
    with db.database.connection_context():
        customer = Customer.create(
            number=1, company="Acme", stage=Stage.LEAD, stage_since=frozen_clock
        )
        Inquiry.create(customer=customer, channel=Channel.EMAIL, received_at=frozen_clock, body="a")
        Inquiry.create(
            customer=customer,
            channel=Channel.EMAIL,
            received_at=frozen_clock,
            first_reply_at=frozen_clock.add(minutes=3),
            body="b",
        )
        assert [i.body for i in Inquiry.unanswered()] == ["a"]
        assert Customer.next_number() == 2
        assert customer.code == "C-00001"
