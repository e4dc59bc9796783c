"""A customer's timeline: inquiries, touches, quotes, samples, orders and stage changes, newest
first, as windows of one UNION ALL query (keyset on when, kind and id).

Each kind is its own bounded sub-select (newest `limit` after the cursor, over its
`(customer, time)` index); the outer query merges them and keeps `limit`. So a window is one query
whatever the size of the timeline, and the exact text of every item comes with it.

What sopdesk itself writes on a timeline is stored as data, not as a sentence, and put into words
when it is read, in the reader's language (a Chinese rep's merge reads in English for an English
colleague): a system touch holds an event (`event_text`: its kind and values as JSON, the subject
a language-neutral line such as "C-00012 → C-00003"); a lost customer's stage change holds the lost
reason's code before the rep's own words ("competitor: went with a rival"). Entries written before
this, and everything a rep typed, are shown exactly as stored. The events and their words are in
timeline_events.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pendulum
from peewee import JOIN, SQL, Cast, Select, Value, fn

from sopdesk.services.reps import shown_name_sql
from sopdesk.services.timeline_events import (
    Event,
    activity_words,
    event_text,
    list_text,
    lost_reason_note,
    read_event,
    stage_reason_words,
)
from sopdesk.services.views import Money
from sopdesk.sop.stages import Direction
from sopdesk.store.db import database
from sopdesk.store.fields import MoneyField, from_db_time
from sopdesk.store.models import Activity, Inquiry, Order, Quote, Rep, Sample, StageChange

WINDOW = 300
TIMELINE_WINDOW = 50


def _money(amount: Any, currency: str) -> Money | None:
    return Money(amount, currency) if amount is not None else None


class Entry(StrEnum):
    """What a timeline item is. Its value also orders same-instant items (keyset tie-break)."""

    ACTIVITY = "activity"
    INQUIRY = "inquiry"
    ORDER = "order"
    QUOTE = "quote"
    SAMPLE = "sample"
    STAGE = "stage"


@dataclass(frozen=True)
class TimelineCursor:
    at: str
    entry: str
    item_id: int


@dataclass(frozen=True)
class TimelineItem:
    entry: Entry
    item_id: int
    at: pendulum.DateTime
    kind: str
    """ActivityKind value (touch), Channel value (inquiry), status (quote, order), to-stage
    (stage change), "paid"/"free" (sample)."""
    direction: Direction
    title: str
    """One line: a touch's subject, an inquiry's subject, PI-2026-0012 r2, an order number, the
    from-stage of a stage change, a sample's courier and tracking."""
    text: str
    """The exact text: the message as received or sent, the note, the stage change's why."""
    by: str
    amount: Money | None = None

    @property
    def key(self) -> str:
        return f"{self.entry.value}:{self.item_id}"

    @property
    def summary(self) -> str:
        if self.title:
            return self.title
        first = self.text.strip().split("\n", 1)[0] if self.text else ""
        return first


@dataclass(frozen=True)
class TimelinePage:
    items: tuple[TimelineItem, ...]
    next_after: TimelineCursor | None


# --- words written at read time ------------------------------------------------------------------
# Events and their words live in timeline_events (the services that write events import it too).


def _member(query: Any, entry: Entry, at: Any, id_field: Any, after: TimelineCursor | None) -> Any:
    """One kind of timeline entry, newest first, after the cursor, as a sub-select."""
    if after is not None:
        if entry.value > after.entry:
            query = query.where(at < after.at)
        elif entry.value == after.entry:
            query = query.where((at < after.at) | ((at == after.at) & (id_field < after.item_id)))
        else:
            query = query.where(at <= after.at)
    return query


def _timeline_query(customer_id: int, after: TimelineCursor | None, limit: int) -> Any:
    null = Value(None)
    # Typed NULLs: PostgreSQL types a UNION column by its first member (SQLite does not care).
    no_int = Cast(null, "INTEGER")
    no_money = Cast(null, "BIGINT")

    def wrap(query: Any, at: Any, id_field: Any, name: str) -> Any:
        ordered = query.order_by(at.desc(), id_field.desc()).limit(limit)
        return Select([ordered.alias(name)], [SQL("*")])

    by = Rep.alias()
    activity_at = Activity.at
    activities = _member(
        Activity.select(
            activity_at.alias("at"),
            Value(Entry.ACTIVITY.value).alias("entry"),
            Activity.id.alias("item_id"),
            Activity.kind.alias("kind"),
            Activity.direction.alias("direction"),
            Activity.subject.alias("title"),
            Activity.text.alias("body"),
            shown_name_sql(by).alias("who"),
            no_int.alias("n1"),
            no_int.alias("n2"),
            no_int.alias("n3"),
            no_money.alias("amount"),
            Value("").alias("currency"),
        )
        .join(by, JOIN.LEFT_OUTER, on=(Activity.by == by.id))
        .where(Activity.customer == customer_id),
        Entry.ACTIVITY,
        activity_at,
        Activity.id,
        after,
    )
    inquiries = _member(
        Inquiry.select(
            Inquiry.received_at.alias("at"),
            Value(Entry.INQUIRY.value).alias("entry"),
            Inquiry.id.alias("item_id"),
            Inquiry.channel.alias("kind"),
            Value(Direction.IN.value).alias("direction"),
            Inquiry.subject.alias("title"),
            Inquiry.body.alias("body"),
            Inquiry.buyer_name.alias("who"),
            no_int.alias("n1"),
            no_int.alias("n2"),
            no_int.alias("n3"),
            no_money.alias("amount"),
            Value("").alias("currency"),
        ).where(Inquiry.customer == customer_id),
        Entry.INQUIRY,
        Inquiry.received_at,
        Inquiry.id,
        after,
    )
    quote_by = Rep.alias()
    quote_at = fn.COALESCE(Quote.sent_at, Quote.created_at)
    quotes = _member(
        Quote.select(
            quote_at.alias("at"),
            Value(Entry.QUOTE.value).alias("entry"),
            Quote.id.alias("item_id"),
            Quote.status.alias("kind"),
            Value(Direction.OUT.value).alias("direction"),
            Quote.incoterm.alias("title"),
            Quote.notes.alias("body"),
            shown_name_sql(quote_by).alias("who"),
            Quote.year.alias("n1"),
            Quote.seq.alias("n2"),
            Quote.revision.alias("n3"),
            no_money.alias("amount"),
            Quote.currency.alias("currency"),
        )
        .join(quote_by, JOIN.LEFT_OUTER, on=(Quote.owner == quote_by.id))
        .where(Quote.customer == customer_id),
        Entry.QUOTE,
        quote_at,
        Quote.id,
        after,
    )
    sample_at = fn.COALESCE(Sample.sent_at, Sample.created_at)
    samples = _member(
        Sample.select(
            sample_at.alias("at"),
            Value(Entry.SAMPLE.value).alias("entry"),
            Sample.id.alias("item_id"),
            Value("").alias("kind"),
            Value(Direction.OUT.value).alias("direction"),
            (Sample.courier.concat(" ").concat(Sample.tracking)).alias("title"),
            Sample.feedback.alias("body"),
            Value("").alias("who"),
            Cast(Sample.paid, "INTEGER").alias("n1"),
            no_int.alias("n2"),
            no_int.alias("n3"),
            Sample.amount.alias("amount"),
            Sample.currency.alias("currency"),
        ).where(Sample.customer == customer_id),
        Entry.SAMPLE,
        sample_at,
        Sample.id,
        after,
    )
    order_by = Rep.alias()
    orders = _member(
        Order.select(
            Order.ordered_at.alias("at"),
            Value(Entry.ORDER.value).alias("entry"),
            Order.id.alias("item_id"),
            Order.status.alias("kind"),
            Value(Direction.NONE.value).alias("direction"),
            Order.number.alias("title"),
            Order.feedback_text.alias("body"),
            shown_name_sql(order_by).alias("who"),
            no_int.alias("n1"),
            no_int.alias("n2"),
            no_int.alias("n3"),
            Order.total.alias("amount"),
            Order.currency.alias("currency"),
        )
        .join(order_by, JOIN.LEFT_OUTER, on=(Order.owner == order_by.id))
        .where(Order.customer == customer_id),
        Entry.ORDER,
        Order.ordered_at,
        Order.id,
        after,
    )
    stage_by = Rep.alias()
    stages = _member(
        StageChange.select(
            StageChange.at.alias("at"),
            Value(Entry.STAGE.value).alias("entry"),
            StageChange.id.alias("item_id"),
            StageChange.to_stage.alias("kind"),
            Value(Direction.NONE.value).alias("direction"),
            fn.COALESCE(StageChange.from_stage, "").alias("title"),
            StageChange.reason.alias("body"),
            shown_name_sql(stage_by).alias("who"),
            no_int.alias("n1"),
            no_int.alias("n2"),
            no_int.alias("n3"),
            no_money.alias("amount"),
            Value("").alias("currency"),
        )
        .join(stage_by, JOIN.LEFT_OUTER, on=(StageChange.by == stage_by.id))
        .where(StageChange.customer == customer_id),
        Entry.STAGE,
        StageChange.at,
        StageChange.id,
        after,
    )
    members = [
        wrap(activities, activity_at, Activity.id, "m_activity"),
        wrap(inquiries, Inquiry.received_at, Inquiry.id, "m_inquiry"),
        wrap(quotes, quote_at, Quote.id, "m_quote"),
        wrap(samples, sample_at, Sample.id, "m_sample"),
        wrap(orders, Order.ordered_at, Order.id, "m_order"),
        wrap(stages, StageChange.at, StageChange.id, "m_stage"),
    ]
    union = members[0]
    for member in members[1:]:
        union = union.union_all(member)
    return (
        Select([union.alias("timeline")], [SQL("*")])
        .order_by(SQL("at").desc(), SQL("entry").desc(), SQL("item_id").desc())
        .limit(limit)
    )


_MONEY = MoneyField()


def _item(row: tuple[Any, ...]) -> TimelineItem:
    at, entry, item_id, kind, direction, title, body, who, n1, n2, n3, amount, currency = row
    entry = Entry(entry)
    title = title or ""
    if entry is Entry.QUOTE:
        number = f"PI-{int(n1)}-{int(n2):04d}" + (f" r{int(n3)}" if n3 and int(n3) > 1 else "")
        title = f"{number} {title}".strip()
    if entry is Entry.SAMPLE:
        kind = "paid" if n1 else "free"
        title = title.strip()
    body = body or ""
    if entry is Entry.ACTIVITY:
        title, body = activity_words(kind or "", title, body)
    elif entry is Entry.STAGE:
        body = stage_reason_words(kind or "", body)
    return TimelineItem(
        entry=entry,
        item_id=int(item_id),
        at=from_db_time(at),
        kind=kind or "",
        direction=Direction(direction or Direction.NONE.value),
        title=title,
        text=body,
        by=who or "",
        amount=_money(_MONEY.python_value(amount), currency) if amount is not None else None,
    )


def _timeline(customer_id: int, after: TimelineCursor | None, limit: int) -> TimelinePage:
    cursor = database.execute(_timeline_query(customer_id, after, limit))
    rows = cursor.fetchall()
    items = tuple(_item(tuple(r)) for r in rows)
    if len(rows) < limit:
        return TimelinePage(items, None)
    last = rows[-1]
    return TimelinePage(items, TimelineCursor(str(last[0]), str(last[1]), int(last[2])))


def timeline_window(
    customer_id: int, after: TimelineCursor | None = None, limit: int = TIMELINE_WINDOW
) -> TimelinePage:
    """The next `limit` timeline items after `after`, newest first; one query."""
    with database.connection_context():
        return _timeline(customer_id, after, max(1, min(limit, WINDOW)))


__all__ = [
    "Entry",
    "Event",
    "TimelineCursor",
    "TimelineItem",
    "TimelinePage",
    "activity_words",
    "event_text",
    "list_text",
    "lost_reason_note",
    "read_event",
    "stage_reason_words",
    "timeline_window",
]
