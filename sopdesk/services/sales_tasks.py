"""Today reminders from quotes, orders, reorder predictions, holidays and certificates.

The playbook's cadence engine (services/playbook_tasks.py) plans the follow-ups it has triggers
for from the same records: quote nudges and follow-ups (Quote.status/sent_at), sample feedback
(Sample.sent_at/delivered_at/feedback_at), weekly production updates, arrival checks, feedback
requests and nurturing (Order dates). This module adds the reminders it has no trigger for, with
the engine's own machinery — its task shape (`CadenceTask`), its unique rule keys
(rule | subject | slot), its landing on the customer's business hours — so both write the same
kind of Task rows and neither ever creates one twice:

- `quote_expiry`   a sent quote's price is about to lapse (REMIND_BEFORE_EXPIRY_DAYS before its
                   validity ends): push with the closing templates;
- `order_step`     book the inspection, send the documents, chase the balance (sop/orders.py);
- `reorder_prompt` ask about the next order ahead of the predicted date (sop/reorder.py);
- `holiday_greeting` a greeting a few days before the customer's public holiday (greetings.py);
- `certificate_expiry` a company certificate expires within a month (the library, SOP 1.5).

Each planner works on one subject (a quote, an order, a customer) and is called right after the
write that changes it, so the reminder exists as soon as it is needed; `refresh()` runs them all
over bounded windows (for the Today queue, and for records that came from elsewhere: the demo,
an import). The engine ignores rule ids it does not know, so it never closes these tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pendulum
from peewee import SQL, NodeList, fn

from sopdesk.i18n import _
from sopdesk.services.cadence_facts import chunks
from sopdesk.sop.cadence import next_business_moment
from sopdesk.sop.cadence_rules import KEY_SEPARATOR, rule_key
from sopdesk.sop.geo import infer_timezone
from sopdesk.sop.stages import TaskKind
from sopdesk.store.db import database, is_postgres
from sopdesk.store.dialect import starts_with
from sopdesk.store.models import Customer, Task

RULE_QUOTE_EXPIRY = "quote_expiry"
RULE_ORDER_STEP = "order_step"
RULE_REORDER = "reorder_prompt"
RULE_HOLIDAY = "holiday_greeting"
RULE_CERTIFICATE = "certificate_expiry"
RULES = (RULE_QUOTE_EXPIRY, RULE_ORDER_STEP, RULE_REORDER, RULE_HOLIDAY, RULE_CERTIFICATE)
OPEN_LIMIT = 200
"""Open tasks of one subject looked at (a subject has a handful)."""
CHUNK = 500
"""Ids or keys per IN (…) list (SQLite allows 32,766 parameters; PostgreSQL more)."""
SUBJECTS_PER_QUERY = 20
"""Subjects whose open tasks one query reads on SQLite: an OR of their key ranges, which SQLite
seeks in the rule_key index one range at a time up to about 20 (more: it scans the table)."""
SUBJECTS_PER_QUERY_PG = 500
"""The same on PostgreSQL, where a prefix LIKE scans the table whatever the number of subjects."""


@dataclass(frozen=True)
class Wanted:
    """A reminder a planner wants to exist."""

    slot: str
    kind: TaskKind
    due_at: pendulum.DateTime
    title: str
    why: str
    inquiry_id: int | None = None


@dataclass(frozen=True)
class Where:
    """Who a reminder is for, and the zone its day is counted in."""

    customer_id: int | None
    zone: str
    country: str | None
    owner_id: int | None


def where_for(customer_id: int, rep_zone: str) -> Where:
    """The customer's zone (their own, else from the country, else the rep's)."""
    return where_for_many([customer_id], rep_zone)[customer_id]


def where_for_many(customer_ids: Iterable[int], rep_zone: str) -> dict[int, Where]:
    """`where_for` of many customers in one query per CHUNK ids (a missing customer gets the
    rep's zone and no owner). Call inside a connection."""
    ids = sorted(set(customer_ids))
    found: dict[int, Where] = {}
    for batch in chunks(ids, CHUNK):
        rows = Customer.select(
            Customer.id, Customer.timezone, Customer.country, Customer.owner
        ).where(Customer.id.in_(batch))
        for row in rows:
            zone = row.timezone or infer_timezone(row.country) or rep_zone
            found[row.id] = Where(row.id, zone, row.country or None, row.owner_id)
    return {i: found.get(i) or Where(i, rep_zone, None, None) for i in ids}


def due_on_day(day: date, where: Where) -> pendulum.DateTime:
    """The first business moment of `day` in the customer's zone (UTC)."""
    start = pendulum.datetime(day.year, day.month, day.day, tz=where.zone)
    return next_business_moment(start, where.zone, where.country)


def due_at_moment(at: datetime, where: Where) -> pendulum.DateTime:
    return next_business_moment(at, where.zone, where.country)


@dataclass(frozen=True)
class Plan:
    """What one subject (a quote "q12", an order "o7", a customer "c3") of a rule wants."""

    subject: str
    where: Where
    wanted: Sequence[Wanted]


def sync(
    rule_id: str,
    subject: str,
    where: Where,
    wanted: Sequence[Wanted],
    now: pendulum.DateTime,
    closed_reason: str,
    rep_id: int | None = None,
) -> tuple[int, int]:
    """Make the subject's open tasks of `rule_id` exactly `wanted`: create the missing ones,
    close (skip, with the reason) the open ones no longer wanted. Returns (created, closed)."""
    return sync_many(rule_id, [Plan(subject, where, wanted)], now, closed_reason, rep_id)


def _subject_of(key: str) -> str:
    parts = key.split(KEY_SEPARATOR)
    return parts[1] if len(parts) > 2 else ""


def sync_many(
    rule_id: str,
    plans: Sequence[Plan],
    now: pendulum.DateTime,
    closed_reason: str,
    rep_id: int | None = None,
) -> tuple[int, int]:
    """`sync` for many subjects of one rule at once: a few reads (the wanted keys that already
    exist, the rule's open tasks of these subjects), then one short write transaction only when
    something changes. A refresh that finds everything in place takes no write lock, so the
    Today pane of every rep can run it often on a shared database. Call inside a connection
    (or a transaction: the write then joins it)."""
    if not plans:
        return 0, 0
    subjects = {plan.subject for plan in plans}
    wanted_keys = {
        rule_key(rule_id, plan.subject, item.slot): (plan.where, item)
        for plan in plans
        for item in plan.wanted
    }
    keys = sorted(wanted_keys)
    existing: set[str] = set()
    for batch in chunks(keys, CHUNK):
        existing.update(
            str(row.rule_key) for row in Task.select(Task.rule_key).where(Task.rule_key.in_(batch))
        )
    # The open tasks of these subjects only, so the rule's other open reminders, however many,
    # cannot crowd them out of the limit (they did when the whole rule was read up to it).
    stale: list[int] = []
    ordered = sorted(subjects)
    pg = is_postgres()
    step = SUBJECTS_PER_QUERY_PG if pg else SUBJECTS_PER_QUERY
    # SQLite would pick the (done_at, due_at) index, where every open task is: unary plus.
    done_at = Task.done_at if pg else NodeList((SQL("+"), Task.done_at), glue="")
    for start in range(0, len(ordered), step):
        chunk = ordered[start : start + step]
        if pg:  # one pass over the rule's keys, their subject compared (LIKE cannot seek)
            mine = starts_with(Task.rule_key, f"{rule_id}{KEY_SEPARATOR}") & fn.split_part(
                Task.rule_key, KEY_SEPARATOR, 2
            ).in_(chunk)
        else:  # flat OR (nested parentheses overflow SQLite's parser)
            mine = NodeList(
                [
                    starts_with(Task.rule_key, f"{rule_id}{KEY_SEPARATOR}{subject}{KEY_SEPARATOR}")
                    for subject in chunk
                ],
                glue=" OR ",
                parens=True,
            )
        open_rows = (
            Task.select(Task.id, Task.rule_key)
            .where(
                mine,
                done_at.is_null(),
                Task.skipped_reason.is_null(),
            )
            .limit(OPEN_LIMIT * len(chunk))
        )
        for row in open_rows:
            key = str(row.rule_key)
            if _subject_of(key) in subjects and key not in wanted_keys:
                stale.append(row.id)
    missing = [key for key in keys if key not in existing]
    if not missing and not stale:
        return 0, 0
    created = closed = 0
    with database.atomic():
        for key in missing:
            where, item = wanted_keys[key]
            inserted = (
                Task.insert(
                    customer=where.customer_id,
                    inquiry=item.inquiry_id,
                    owner=where.owner_id if where.owner_id is not None else rep_id,
                    kind=item.kind,
                    title=item.title,
                    why=item.why,
                    due_at=item.due_at,
                    source=rule_id,
                    rule_key=key,
                    created_at=now,
                    updated_at=now,
                )
                .on_conflict_ignore()
                .execute()
            )
            created += 1 if inserted else 0
        for batch in chunks(stale, CHUNK):
            closed += (
                Task.update(
                    skipped_reason=_("Closed automatically: {reason}").format(reason=closed_reason),
                    updated_at=now,
                )
                .where(
                    Task.id.in_(batch),
                    Task.done_at.is_null(),
                    Task.skipped_reason.is_null(),
                )
                .execute()
            )
    return created, closed


@dataclass(frozen=True)
class RefreshResult:
    created: int
    closed: int


def open_subject_ids(rule_id: str, letter: str, limit: int) -> list[int]:
    """Ids of the subjects ("q12", "o7" → 12, 7) that still have open tasks of `rule_id`, so a
    refresh also revisits reminders whose record left its own bounded window. Call inside a
    connection."""
    prefix = f"{rule_id}{KEY_SEPARATOR}{letter}"
    ids: list[int] = []
    for task in (
        Task.select(Task.rule_key)
        .where(
            starts_with(Task.rule_key, prefix),
            Task.done_at.is_null(),
            Task.skipped_reason.is_null(),
        )
        .limit(limit)
    ):
        subject = str(task.rule_key).split(KEY_SEPARATOR)[1]
        if subject[1:].isdigit():
            ids.append(int(subject[1:]))
    return ids


def refresh(
    now: pendulum.DateTime, rep_zone: str, rep_id: int | None = None, settings: object = None
) -> RefreshResult:
    """Every planner over its bounded window (see the module docstring). Idempotent."""
    from sopdesk.services import greetings as greetings_service
    from sopdesk.services import orders as orders_service
    from sopdesk.services import quotes as quotes_service

    totals = [0, 0]

    def add(result: tuple[int, int]) -> None:
        totals[0] += result[0]
        totals[1] += result[1]

    with database.connection_context():  # one connection for every planner
        add(quotes_service.expire_lapsed(now, rep_zone))
        add(quotes_service.refresh_reminders(now, rep_zone, rep_id))
        add(orders_service.refresh_reminders(now, rep_zone, rep_id))
        add(greetings_service.refresh(now, rep_zone, rep_id, settings))
        add(refresh_certificates(now, rep_zone, rep_id))
    return RefreshResult(totals[0], totals[1])


CERTIFICATE_WARNING_DAYS = 30
"""A certificate in the company library is flagged this many days before it expires."""
CERTIFICATE_KINDS = ("certificate", "test_report")


def refresh_certificates(
    now: pendulum.DateTime, rep_zone: str, rep_id: int | None = None
) -> tuple[int, int]:
    """A task for every library certificate or test report that expires within
    CERTIFICATE_WARNING_DAYS (or has expired): renew it before a buyer asks for it (SOP 1.5)."""
    from sopdesk.store.models import Material

    local = now.in_timezone(rep_zone)
    today = date(local.year, local.month, local.day)
    horizon = date.fromordinal(today.toordinal() + CERTIFICATE_WARNING_DAYS)
    where = Where(None, rep_zone, None, rep_id)
    plans: list[Plan] = []
    with database.connection_context():
        rows = list(
            Material.select(Material.id, Material.title, Material.valid_until)
            .where(Material.kind.in_(list(CERTIFICATE_KINDS)), Material.valid_until.is_null(False))
            .order_by(Material.valid_until)
            .limit(OPEN_LIMIT)
        )
        for row in rows:
            wanted: list[Wanted] = []
            if row.valid_until <= horizon:
                day = pendulum.date(
                    row.valid_until.year, row.valid_until.month, row.valid_until.day
                )
                wanted.append(
                    Wanted(
                        slot=row.valid_until.isoformat(),
                        kind=TaskKind.OTHER,
                        due_at=due_on_day(today, where),
                        title=_("Certificate expires on {day}: {title}").format(
                            day=day.format("D MMM YYYY"), title=row.title
                        ),
                        why=_(
                            "Renew it (or upload the new one to the library) before a buyer asks "
                            "for it."
                        ),
                    )
                )
            plans.append(Plan(f"m{row.id}", where, wanted))
        # One sync for all: a few reads, and a write only when a reminder changes.
        return sync_many(RULE_CERTIFICATE, plans, now, _("renewed"), rep_id)


@dataclass(frozen=True)
class Reminder:
    task_id: int
    rule: str
    title: str
    why: str
    due_at: pendulum.DateTime


def open_reminders(
    customer_id: int, rules: Iterable[str] = RULES, limit: int = 20
) -> list[Reminder]:
    """The customer's open reminders of these rules, soonest first."""
    with database.connection_context():
        rows = list(
            Task.select(Task.id, Task.source, Task.title, Task.why, Task.due_at)
            .where(
                Task.customer == customer_id,
                Task.source.in_(list(rules)),
                Task.done_at.is_null(),
                Task.skipped_reason.is_null(),
            )
            .order_by(Task.due_at)
            .limit(limit)
        )
    return [Reminder(r.id, r.source, r.title, r.why, r.due_at) for r in rows]


__all__ = [
    "RULES",
    "RULE_CERTIFICATE",
    "RULE_HOLIDAY",
    "RULE_ORDER_STEP",
    "RULE_QUOTE_EXPIRY",
    "RULE_REORDER",
    "RefreshResult",
    "Reminder",
    "Wanted",
    "Where",
    "due_at_moment",
    "due_on_day",
    "open_reminders",
    "refresh",
    "refresh_certificates",
    "sync",
    "where_for",
]
