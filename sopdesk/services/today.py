"""Today's checklist: the SOP's morning routine and every follow-up due today or overdue."""

from __future__ import annotations

import pendulum
from peewee import JOIN

from sopdesk.i18n import _
from sopdesk.services.views import TodayItem
from sopdesk.sop.routine import MORNING_ROUTINE, ROUTINE_IDS
from sopdesk.store.db import database
from sopdesk.store.models import ChecklistTick, Customer, Task

TASK_LIMIT = 200


def local_day(now: pendulum.DateTime, rep_zone: str) -> pendulum.Date:
    return now.in_timezone(rep_zone).date()


def _day_bounds(
    now: pendulum.DateTime, rep_zone: str
) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    local = now.in_timezone(rep_zone)
    start = local.start_of("day")
    return start.in_timezone("UTC"), start.add(days=1).in_timezone("UTC")


def today_items(
    now: pendulum.DateTime, rep_zone: str, rep_id: int | None = None
) -> list[TodayItem]:
    day = local_day(now, rep_zone)
    start, end = _day_bounds(now, rep_zone)
    with database.connection_context():
        ticked = {
            t.item_id
            for t in ChecklistTick.select(ChecklistTick.item_id).where(
                ChecklistTick.day == day.isoformat()
            )
        }
        tasks = list(
            Task.select(Task, Customer.company, Customer.name, Customer.id)
            .join(Customer, join_type=JOIN.LEFT_OUTER)
            .where(
                Task.skipped_reason.is_null(),
                (Task.done_at.is_null() & (Task.due_at < end))
                | ((Task.done_at >= start) & (Task.done_at < end)),
            )
            .order_by(Task.done_at.is_null(False), Task.due_at, Task.id)
            .limit(TASK_LIMIT)
        )
    items: list[TodayItem] = []
    for task in tasks:
        customer = task.customer if task.customer_id is not None else None
        items.append(
            TodayItem(
                key=f"task:{task.id}",
                kind=task.kind.value,
                title=task.title,
                why=task.why,
                customer_id=customer.id if customer else None,
                customer_name=(customer.company or customer.name) if customer else "",
                due_at=task.due_at,
                done=task.done_at is not None,
                overdue=task.done_at is None and task.due_at < start,
            )
        )
    routine = [
        TodayItem(
            key=f"routine:{item.id}",
            kind="routine",
            title=_(item.title),
            why=_(item.detail),
            customer_id=None,
            customer_name="",
            due_at=None,
            done=item.id in ticked,
            overdue=False,
        )
        for item in MORNING_ROUTINE
    ]
    overdue = [i for i in items if i.overdue]
    rest = [i for i in items if not i.overdue]
    return overdue + routine + rest


def toggle(key: str, now: pendulum.DateTime, rep_zone: str, rep_id: int | None = None) -> bool:
    """Tick or untick an item; returns whether it is now done. Ticks are stored at once."""
    kind, _sep, ident = key.partition(":")
    with database.connection_context(), database.atomic():
        if kind == "routine":
            if ident not in ROUTINE_IDS:
                raise ValueError(f"unknown routine item {ident!r}")
            day = local_day(now, rep_zone).isoformat()
            existing = ChecklistTick.get_or_none(
                (ChecklistTick.day == day) & (ChecklistTick.item_id == ident)
            )
            if existing is not None:
                existing.delete_instance()
                return False
            ChecklistTick.create(day=day, item_id=ident, done_at=now, by=rep_id)
            return True
        if kind == "task":
            task = Task.get_by_id(int(ident))
            task.done_at = None if task.done_at is not None else now
            task.save()
            return task.done_at is not None
    raise ValueError(f"unknown checklist item {key!r}")
