"""Batched reminder planning: many subjects of a rule synced at once, with no write when nothing
changed (a steady-state refresh must not take the shared database's write lock), and the
prefix match on rule keys that the sync relies on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pendulum
import pytest

from sopdesk.services import orders, sales_tasks
from sopdesk.sop.stages import TaskKind
from sopdesk.store import db
from sopdesk.store.dialect import starts_with
from sopdesk.store.models import Task

ZONE = "Asia/Shanghai"
RULE = sales_tasks.RULE_ORDER_STEP


def _wanted(slot: str, now: pendulum.DateTime) -> sales_tasks.Wanted:
    return sales_tasks.Wanted(slot=slot, kind=TaskKind.OTHER, due_at=now, title=slot, why="test")


def _plan(subject: str, *slots: str, now: pendulum.DateTime) -> sales_tasks.Plan:
    where = sales_tasks.Where(None, ZONE, None, None)
    return sales_tasks.Plan(subject, where, [_wanted(s, now) for s in slots])


def _open_keys() -> set[str]:
    with db.database.connection_context():
        return {
            str(t.rule_key)
            for t in Task.select(Task.rule_key).where(
                Task.done_at.is_null(), Task.skipped_reason.is_null()
            )
        }


def test_sync_many_creates_closes_and_leaves_other_subjects_alone(
    store: Path, frozen_clock: pendulum.DateTime
) -> None:
    now = frozen_clock
    with db.database.connection_context():
        first = sales_tasks.sync_many(
            RULE, [_plan("o1", "a", "b", now=now), _plan("o2", "a", now=now)], now, "moved"
        )
        # o1 now wants only "b" and o2 is not planned this time: its task stays open.
        second = sales_tasks.sync_many(RULE, [_plan("o1", "b", now=now)], now, "moved")
    assert first == (3, 0)
    assert second == (0, 1)
    assert _open_keys() == {"order_step|o1|b", "order_step|o2|a"}
    with db.database.connection_context():
        closed = Task.get(Task.rule_key == "order_step|o1|a")
    assert closed.skipped_reason == "Closed automatically: moved"


def test_a_closed_reminder_is_not_made_again(store: Path, frozen_clock: pendulum.DateTime) -> None:
    now = frozen_clock
    with db.database.connection_context():
        sales_tasks.sync_many(RULE, [_plan("o1", "a", now=now)], now, "moved")
        Task.update(done_at=now).where(Task.rule_key == "order_step|o1|a").execute()
        again = sales_tasks.sync_many(RULE, [_plan("o1", "a", now=now)], now, "moved")
    assert again == (0, 0)
    assert _open_keys() == set()


def test_a_steady_state_sync_opens_no_write_transaction(
    store: Path, frozen_clock: pendulum.DateTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = frozen_clock
    plans = [_plan(f"o{i}", "a", "b", now=now) for i in range(1, 40)]
    with db.database.connection_context():
        assert sales_tasks.sync_many(RULE, plans, now, "moved") == (78, 0)

    def no_write(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a sync with nothing to change opened a transaction")

    monkeypatch.setattr(db.database.obj, "atomic", no_write)
    with db.database.connection_context():
        assert sales_tasks.sync_many(RULE, plans, now, "moved") == (0, 0)


def test_demo_refresh_is_idempotent_without_writes(
    demo_store: Path, frozen_clock: pendulum.DateTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole sales refresh over the demo: the first run plans, the second writes nothing."""
    sales_tasks.refresh(frozen_clock, ZONE)

    def no_write(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a steady-state refresh opened a transaction")

    monkeypatch.setattr(db.database.obj, "atomic", no_write)
    assert sales_tasks.refresh(frozen_clock, ZONE) == sales_tasks.RefreshResult(0, 0)


def test_batched_histories_match_one_customer_at_a_time(demo_store: Path) -> None:
    with db.database.connection_context():
        customer_ids = [c for (c,) in orders.Order.select(orders.Order.customer).tuples()]
        batched = orders.histories(customer_ids, ZONE)
    assert any(len(past) >= 2 for past in batched.values())
    for customer_id, past in batched.items():
        assert past == orders.history(customer_id, ZONE)
        days = [p.day for p in past]
        assert days == sorted(days, reverse=True)


@pytest.mark.parametrize("prefix", ["order_step|o1|", "a%b|", "a_b|", "x\\y|", "z"])
def test_starts_with_matches_exactly_the_keys_with_the_prefix(store: Path, prefix: str) -> None:
    keys = [
        prefix,
        prefix + "tail",
        prefix[:-1],
        prefix[:-1] + chr(ord(prefix[-1]) + 1),
        prefix.upper() + "x",
        "other" + prefix,
        prefix.replace("%", "x").replace("_", "y") + "q",
    ]
    now = pendulum.datetime(2026, 11, 27, tz="UTC")
    with db.database.connection_context():
        for n, key in enumerate(dict.fromkeys(keys)):
            Task.create(title=f"t{n}", kind=TaskKind.OTHER, due_at=now, rule_key=key,
                        created_at=now, updated_at=now)  # fmt: skip
        found = {str(t.rule_key) for t in Task.select().where(starts_with(Task.rule_key, prefix))}
    assert found == {k for k in keys if k.startswith(prefix)}
