"""The inbox: inquiries in SLA order, as windows fetched with keyset pagination.

Order: unanswered inquiries still within the reply target (the playbook's `[reply] due_minutes`,
shipped: 1 hour; closest to their deadline first), then late ones (longest waiting first), then
answered ones (newest first). Each row carries the reply clock in effect for its state. Each segment is one indexed query
with the customer joined, so a window costs at most three queries whatever the table size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pendulum
from peewee import ModelSelect, fn

from sopdesk.services.scope import owned_by, where_owned
from sopdesk.services.views import InboxPage, InboxRow
from sopdesk.sop.alibaba import AlibabaVerdict
from sopdesk.sop.alibaba import Reply as AlibabaReply
from sopdesk.sop.alibaba import verdict as alibaba_verdict
from sopdesk.sop.playbook import ReplyTargets, effective
from sopdesk.store.db import database
from sopdesk.store.fields import to_db_time
from sopdesk.store.models import Customer, Inquiry, format_customer_number

SEGMENTS = ("within_target", "late", "answered")


@dataclass(frozen=True)
class Cursor:
    """Where a window ended: the next window starts after this row."""

    segment: int
    received_at: str
    inquiry_id: int


def _segment_query(
    segment: int, now: pendulum.DateTime, reply: ReplyTargets, owner_id: int | None = None
) -> ModelSelect[Inquiry]:
    cutoff = to_db_time(now - reply.due)
    query = (
        Inquiry.select(
            Inquiry.id,
            Inquiry.customer,
            Inquiry.channel,
            Inquiry.subject,
            Inquiry.buyer_name,
            Inquiry.received_at,
            Inquiry.first_reply_at,
            Customer.id,
            Customer.number,
            Customer.company,
            Customer.name,
            Customer.country,
            Customer.timezone,
        )
        .join(Customer)
        .where(~Inquiry.archived)
    )
    query = where_owned(query, Inquiry.owner, owner_id)
    if segment == 0:
        return query.where(Inquiry.first_reply_at.is_null(), Inquiry.received_at >= cutoff)
    if segment == 1:
        return query.where(Inquiry.first_reply_at.is_null(), Inquiry.received_at < cutoff)
    return query.where(Inquiry.first_reply_at.is_null(False))


def _ordered(
    query: ModelSelect[Inquiry], segment: int, after: Cursor | None
) -> ModelSelect[Inquiry]:
    ascending = segment < 2
    key = (Inquiry.received_at, Inquiry.id)
    if after is not None and after.segment == segment:
        boundary = (after.received_at, after.inquiry_id)
        if ascending:
            query = query.where(
                (Inquiry.received_at > boundary[0])
                | ((Inquiry.received_at == boundary[0]) & (Inquiry.id > boundary[1]))
            )
        else:
            query = query.where(
                (Inquiry.received_at < boundary[0])
                | ((Inquiry.received_at == boundary[0]) & (Inquiry.id < boundary[1]))
            )
    if ascending:
        return query.order_by(key[0].asc(), key[1].asc())
    return query.order_by(key[0].desc(), key[1].desc())


def _row(inquiry: Inquiry, reply: ReplyTargets) -> InboxRow:
    customer = inquiry.customer
    return InboxRow(
        inquiry_id=inquiry.id,
        customer_id=inquiry.customer_id,
        customer_code=format_customer_number(customer.number),
        customer_name=customer.company or customer.name,
        buyer_name=inquiry.buyer_name,
        country=customer.country,
        customer_zone=customer.timezone,
        channel=inquiry.channel,
        subject=inquiry.subject,
        received_at=inquiry.received_at,
        first_reply_at=inquiry.first_reply_at,
        fresh_limit=reply.fresh,
        due_limit=reply.due,
    )


def window(
    now: pendulum.DateTime,
    limit: int = 300,
    after: Cursor | None = None,
    owner_id: int | None = None,
    reply: ReplyTargets | None = None,
) -> tuple[list[InboxRow], Cursor | None]:
    """Up to `limit` rows after `after`; the cursor for the next window (None at the end).

    `owner_id`: only that rep's inquiries and unassigned ones (services/scope.py); None: all.
    `reply`: the reply clock; None: the effective playbook's."""
    reply = reply or effective().reply
    rows: list[InboxRow] = []
    start = after.segment if after is not None else 0
    for segment in range(start, len(SEGMENTS)):
        if len(rows) >= limit:
            break
        query = _ordered(_segment_query(segment, now, reply, owner_id), segment, after)
        for inquiry in query.limit(limit - len(rows)):
            rows.append(_row(inquiry, reply))
        last_segment = segment
    if len(rows) < limit or not rows:
        return rows, None
    last = rows[-1]
    return rows, Cursor(last_segment, to_db_time(last.received_at), last.inquiry_id)


def counts(owner_id: int | None = None) -> tuple[int, pendulum.DateTime | None, int]:
    """(unanswered, when the oldest unanswered arrived, total) in two aggregate queries."""
    mine = owned_by(Inquiry.owner, owner_id)
    scope = [mine] if mine is not None else []
    unanswered, oldest = cast(
        tuple[int, Any],
        Inquiry.select(fn.COUNT(Inquiry.id), fn.MIN(Inquiry.received_at))
        .where(Inquiry.first_reply_at.is_null(), ~Inquiry.archived, *scope)
        .tuples()
        .get(),
    )
    total = Inquiry.select(fn.COUNT(Inquiry.id)).where(~Inquiry.archived, *scope).scalar()
    oldest_at = Inquiry.received_at.python_value(oldest)
    return int(unanswered or 0), oldest_at, int(total or 0)


def inbox_page(now: pendulum.DateTime, limit: int = 300, owner_id: int | None = None) -> InboxPage:
    with database.connection_context():
        rows, _cursor = window(now, limit, owner_id=owner_id)
        unanswered, oldest, total = counts(owner_id)
    return InboxPage(
        rows=tuple(rows), unanswered=unanswered, oldest_unanswered_at=oldest, total=total
    )


@dataclass(frozen=True)
class InquiryPreview:
    """The highlighted inquiry in a line or two: who, their local time, what, Alibaba's clock."""

    inquiry_id: int
    buyer_name: str
    company: str
    country: str
    customer_zone: str | None
    products: str
    quantity: str
    port: str
    subject: str
    alibaba: AlibabaVerdict


def preview(inquiry_id: int, now: pendulum.DateTime) -> InquiryPreview | None:
    """Two bounded queries: the inquiry with its customer, and the buyer's other messages that
    Pacific day (Alibaba scores the reply from the day's first message)."""
    with database.connection_context():
        inquiry = (
            Inquiry.select(
                Inquiry, Customer.id, Customer.company, Customer.country, Customer.timezone
            )
            .join(Customer)
            .where(Inquiry.id == inquiry_id)
            .first()
        )
        if inquiry is None:
            return None
        window_start = inquiry.received_at.subtract(days=1)
        earlier = [
            row.received_at
            for row in Inquiry.select(Inquiry.received_at)
            .where(
                Inquiry.customer == inquiry.customer_id,
                Inquiry.received_at >= window_start,
                Inquiry.received_at < inquiry.received_at,
            )
            .limit(50)
        ]
    replies = [AlibabaReply(inquiry.first_reply_at)] if inquiry.first_reply_at else []
    return InquiryPreview(
        inquiry_id=inquiry.id,
        buyer_name=inquiry.buyer_name,
        company=inquiry.company or inquiry.customer.company,
        country=inquiry.customer.country,
        customer_zone=inquiry.customer.timezone,
        products=inquiry.products,
        quantity=inquiry.quantity,
        port=inquiry.port,
        subject=inquiry.subject,
        alibaba=alibaba_verdict(inquiry.received_at, replies, now, earlier),
    )
