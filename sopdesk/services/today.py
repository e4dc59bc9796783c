"""Today: the rep's queue for the day, in the SOP's order.

1. inquiries past or near their reply target (unanswered, oldest first; due when the playbook's
   reply clock says "never later than", `[reply] due_minutes`, shipped: 1 hour);
2. follow-ups overdue (carried over from earlier days, still visible);
3. follow-ups due today;
4. the morning routine;
5. stale deals (a customer longer in a stage than the playbook allows);
6. new customers whose background check is not done.

Items done today stay in their section, ticked. Before the queue is read, the playbook's cadence
engine brings the generated follow-ups up to date (services/playbook_tasks.py). Every query is
bounded; the queue is at most a few hundred rows.
"""

from __future__ import annotations

from typing import Any

import pendulum
from peewee import JOIN

from sopdesk import labels
from sopdesk.i18n import _
from sopdesk.services import playbook_tasks, sales_tasks
from sopdesk.services.routine_notes import routine_notes
from sopdesk.services.scope import owned_by
from sopdesk.services.views import TodayItem
from sopdesk.sop import stale as stale_rules
from sopdesk.sop.playbook import ReplyTargets, effective
from sopdesk.sop.sla import format_duration
from sopdesk.sop.stages import ActivityKind, TaskKind
from sopdesk.store.db import database
from sopdesk.store.models import ChecklistTick, Customer, Inquiry, Task

TASK_LIMIT = 200
INQUIRY_LIMIT = 50
SKIP_REASON_LIMIT = 500
SECTIONS = ("inquiry", "overdue", "today", "routine", "stale", "background")


class NotApplicableError(ValueError):
    """The action does not apply to this item (snoozing an inquiry, skipping the routine …)."""


def local_day(now: pendulum.DateTime, rep_zone: str) -> pendulum.Date:
    return now.in_timezone(rep_zone).date()


def _day_bounds(
    now: pendulum.DateTime, rep_zone: str
) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    local = now.in_timezone(rep_zone)
    start = local.start_of("day")
    return start.in_timezone("UTC"), start.add(days=1).in_timezone("UTC")


def _customer_name(customer: Customer | None) -> str:
    if customer is None:
        return ""
    return str(customer.company or customer.name)


def _inquiry_items(
    now: pendulum.DateTime,
    start: pendulum.DateTime,
    end: pendulum.DateTime,
    reply: ReplyTargets,
    owner_id: int | None = None,
) -> list[TodayItem]:
    fields = (
        Inquiry.id,
        Inquiry.customer,
        Inquiry.subject,
        Inquiry.received_at,
        Inquiry.first_reply_at,
        Customer.id,
        Customer.company,
        Customer.name,
    )
    waiting = (
        Inquiry.select(*fields)
        .join(Customer)
        .where(Inquiry.first_reply_at.is_null(), ~Inquiry.archived, *_mine(Inquiry, owner_id))
        .order_by(Inquiry.received_at, Inquiry.id)
        .limit(INQUIRY_LIMIT)
    )
    answered_today = (
        Inquiry.select(*fields)
        .join(Customer)
        .where(
            Inquiry.first_reply_at >= start,
            Inquiry.first_reply_at < end,
            ~Inquiry.archived,
            *_mine(Inquiry, owner_id),
        )
        .order_by(Inquiry.first_reply_at, Inquiry.id)
        .limit(INQUIRY_LIMIT)
    )
    items = []
    for inquiry in [*waiting, *answered_today]:
        due = inquiry.received_at + reply.due
        done = inquiry.first_reply_at is not None
        if done:
            why = _("Answered in {duration}").format(
                duration=format_duration(inquiry.first_reply_at - inquiry.received_at)
            )
        else:
            why = _("Waiting {waited}; reply within {fresh}, never later than {due}").format(
                waited=format_duration(max(now - inquiry.received_at, pendulum.duration())),
                fresh=labels.reply_limit(reply.fresh),
                due=labels.reply_limit(reply.due),
            )
        items.append(
            TodayItem(
                key=f"inquiry:{inquiry.id}",
                kind="inquiry",
                title=_("Reply: {subject}").format(subject=inquiry.subject or _("(no subject)")),
                why=why,
                customer_id=inquiry.customer.id,
                customer_name=_customer_name(inquiry.customer),
                due_at=due,
                done=done,
                overdue=not done and due < now,
                section="inquiry",
                inquiry_id=inquiry.id,
            )
        )
    return items


def _task_section(task: Any, effective_due: pendulum.DateTime, start: pendulum.DateTime) -> str:
    if task.source == stale_rules.RULE_ID:
        return "stale"
    if task.kind is TaskKind.BACKGROUND_CHECK:
        return "background"
    return "overdue" if effective_due < start else "today"


def _mine(model: Any, owner_id: int | None) -> list[Any]:
    clause = owned_by(model.owner, owner_id)
    return [] if clause is None else [clause]


def _task_items(
    start: pendulum.DateTime, end: pendulum.DateTime, owner_id: int | None = None
) -> list[TodayItem]:
    tasks: list[Any] = list(
        Task.select(Task, Customer.id, Customer.company, Customer.name)
        .join(Customer, join_type=JOIN.LEFT_OUTER)
        .where(
            Task.skipped_reason.is_null(),
            (
                Task.done_at.is_null()
                & (Task.due_at < end)
                & (Task.snoozed_until.is_null() | (Task.snoozed_until < end))
            )
            | ((Task.done_at >= start) & (Task.done_at < end)),
            *_mine(Task, owner_id),
        )
        .order_by(Task.done_at.is_null(False), Task.due_at, Task.id)
        .limit(TASK_LIMIT)
    )
    items = []
    for task in tasks:
        customer = task.customer if task.customer_id is not None else None
        snoozed = task.snoozed_until
        effective_due = snoozed if snoozed is not None and snoozed > task.due_at else task.due_at
        done = task.done_at is not None
        items.append(
            TodayItem(
                key=f"task:{task.id}",
                kind=task.kind.value,
                title=task.title,
                why=task.why,
                customer_id=customer.id if customer else None,
                customer_name=_customer_name(customer),
                due_at=effective_due,
                done=done,
                overdue=not done and effective_due < start,
                section=_task_section(task, effective_due, start),
                inquiry_id=task.inquiry_id,
                snoozed_until=snoozed,
            )
        )
    return items


def _routine_items(day: pendulum.Date, notes: dict[str, str]) -> list[TodayItem]:
    ticked = {
        t.item_id
        for t in ChecklistTick.select(ChecklistTick.item_id).where(
            ChecklistTick.day == day.isoformat()
        )
    }
    return [
        TodayItem(
            key=f"routine:{item.id}",
            kind="routine",
            title=_(item.title),
            why=notes.get(item.id) or _(item.detail),
            customer_id=None,
            customer_name="",
            due_at=None,
            done=item.id in ticked,
            overdue=False,
            section="routine",
        )
        for item in effective().routine
    ]


def _ordered(items: list[TodayItem]) -> list[TodayItem]:
    """Sections in the SOP's order; within one, open items first (by due), then done ones."""
    rank = {name: i for i, name in enumerate(SECTIONS)}
    far = pendulum.datetime(9999, 1, 1, tz="UTC")
    return sorted(
        items,
        key=lambda i: (rank[i.section], i.done, i.due_at or far),
    )


def today_items(
    now: pendulum.DateTime,
    rep_zone: str,
    rep_id: int | None = None,
    refresh: bool = True,
    rfq_quota: int = 20,
    owner_id: int | None = None,
    settings: object = None,
) -> list[TodayItem]:
    """The queue, in order. With `refresh`, the cadence engine runs first (idempotent).

    `owner_id`: only that rep's (and unassigned) inquiries and follow-ups; None: the team's."""
    if refresh:
        playbook_tasks.refresh(now, rep_zone, rep_id)
        sales_tasks.refresh(now, rep_zone, rep_id, settings)
    day = local_day(now, rep_zone)
    start, end = _day_bounds(now, rep_zone)
    with database.connection_context():
        inquiries = _inquiry_items(now, start, end, effective().reply, owner_id)
        tasks = _task_items(start, end, owner_id)
        routine = _routine_items(day, routine_notes(now, rep_zone, rfq_quota))
    # The sort is stable: routine items keep the playbook's order.
    return _ordered([*inquiries, *tasks, *routine])


def _task(key: str) -> Task:
    kind, _sep, ident = key.partition(":")
    if kind != "task" or not ident.isdigit():
        raise NotApplicableError(_("Only follow-ups can be snoozed or skipped."))
    task = Task.get_or_none(Task.id == int(ident))
    if task is None:
        raise NotApplicableError(_("That follow-up no longer exists."))
    return task


def toggle(key: str, now: pendulum.DateTime, rep_zone: str, rep_id: int | None = None) -> bool:
    """Tick or untick an item; returns whether it is now done. Ticks are stored at once.

    Ticking an inquiry records that it was answered outside sopdesk just now (the reply clock
    stops); a recorded reply is not unticked here.
    """
    kind, _sep, ident = key.partition(":")
    if kind == "inquiry":
        return _tick_inquiry(int(ident), rep_zone, rep_id)
    with database.connection_context(), database.atomic():
        if kind == "routine":
            if ident not in effective().routine_ids:
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


def _tick_inquiry(inquiry_id: int, rep_zone: str, rep_id: int | None) -> bool:
    from sopdesk.services import replies

    with database.connection_context():
        answered = Inquiry.select(Inquiry.first_reply_at).where(Inquiry.id == inquiry_id).scalar()
    if answered is not None:
        raise NotApplicableError(_("This inquiry is answered; a recorded reply stays recorded."))
    replies.mark_sent(
        inquiry_id,
        _("Answered outside sopdesk (ticked off in Today)."),
        ActivityKind.REPLY,
        rep_id,
        rep_zone=rep_zone,
    )
    return True


def snooze(key: str, until: pendulum.DateTime, now: pendulum.DateTime) -> pendulum.DateTime:
    """Hide a follow-up until `until` (it comes back then, no longer overdue)."""
    if until <= now:
        raise ValueError(_("A snooze must end in the future."))
    with database.connection_context(), database.atomic():
        task = _task(key)
        if task.done_at is not None or task.skipped_reason is not None:
            raise NotApplicableError(_("That follow-up is closed already."))
        until_utc = until.in_timezone("UTC")
        Task.update(snoozed_until=until_utc, updated_at=now).where(Task.id == task.id).execute()
    return until_utc


def skip(key: str, reason: str, now: pendulum.DateTime) -> None:
    """Close a follow-up without doing it; the reason is kept (the weekly review reads them)."""
    reason = " ".join(reason.split())[:SKIP_REASON_LIMIT]
    if not reason:
        raise ValueError(_("Say why it is skipped."))
    with database.connection_context(), database.atomic():
        task = _task(key)
        if task.done_at is not None:
            raise NotApplicableError(_("That follow-up is done already."))
        Task.update(skipped_reason=reason, updated_at=now).where(Task.id == task.id).execute()


def snooze_one_hour(now: pendulum.DateTime) -> pendulum.DateTime:
    return now.add(hours=1)


def snooze_tomorrow(now: pendulum.DateTime, rep_zone: str) -> pendulum.DateTime:
    """Tomorrow at the start of the rep's working day."""
    local = now.in_timezone(rep_zone).add(days=1)
    return pendulum.datetime(local.year, local.month, local.day, 9, tz=rep_zone).in_timezone("UTC")


def snooze_until_text(text: str, now: pendulum.DateTime, rep_zone: str) -> pendulum.DateTime:
    """A date the rep typed ("fri 10:00", "2026-12-03", "+3d", "明天"), read in the rep's zone."""
    from sopdesk.sop.followup import parse_follow_up

    return parse_follow_up(text, now, rep_zone).in_timezone("UTC")


def next_open_index(items: list[TodayItem], current: int) -> int | None:
    """The next item still to do after `current`, wrapping round; None when all are done."""
    count = len(items)
    for step in range(1, count + 1):
        index = (current + step) % count
        if not items[index].done:
            return index
    return None
