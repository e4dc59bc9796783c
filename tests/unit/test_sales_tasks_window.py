"""sync_many of a few subjects closes their stale reminders however many other subjects of the
rule have open reminders (the open tasks it looks at are those of its own subjects)."""

from __future__ import annotations

from pathlib import Path

import pendulum

from sopdesk.services import sales_tasks
from sopdesk.sop.stages import TaskKind
from sopdesk.store import db
from sopdesk.store.models import Task

ZONE = "Asia/Shanghai"
RULE = sales_tasks.RULE_QUOTE_EXPIRY


def _plan(subject: str, *slots: str, now: pendulum.DateTime) -> sales_tasks.Plan:
    where = sales_tasks.Where(None, ZONE, None, None)
    wanted = [
        sales_tasks.Wanted(slot=s, kind=TaskKind.OTHER, due_at=now, title=s, why="test")
        for s in slots
    ]
    return sales_tasks.Plan(subject, where, wanted)


def test_stale_reminders_of_a_few_subjects_close_among_many_open_ones(
    store: Path, frozen_clock: pendulum.DateTime
) -> None:
    now = frozen_clock
    others = [_plan(f"q{i}", "a", now=now) for i in range(1, 1001)]
    with db.database.connection_context():
        # q999 and q9999 sort after "q1", "q10", "q100" … in key order.
        sales_tasks.sync_many(RULE, [*others, _plan("q9999", "a", now=now)], now, "x")
        closed = sales_tasks.sync_many(
            RULE, [_plan("q999", now=now), _plan("q9999", now=now)], now, "cancelled"
        )
        still_open = {
            str(t.rule_key)
            for t in Task.select(Task.rule_key).where(
                Task.rule_key.in_(["quote_expiry|q999|a", "quote_expiry|q9999|a"]),
                Task.done_at.is_null(),
                Task.skipped_reason.is_null(),
            )
        }
    assert closed == (0, 2)
    assert still_open == set()
