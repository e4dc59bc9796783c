"""What the cadence engine knows: the store's facts, read in bounded batches for one run.

Each reader takes the newest facts of its time window (with a LIMIT) plus the rows behind open
generated tasks (by id), so open tasks can be closed when their fact changed even when it has
left the window. Customers are read once per run, by id lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pendulum
from peewee import JOIN, fn

from sopdesk.i18n import _
from sopdesk.sop.cadence_rules import (
    FirstReplyFact,
    NurtureFact,
    OrderFact,
    Party,
    QuoteFact,
    SampleFact,
)
from sopdesk.sop.playbook import Playbook, Trigger
from sopdesk.sop.stages import Direction, QuoteStatus, Stage, TaskKind
from sopdesk.store.models import (
    Activity,
    Customer,
    Inquiry,
    Order,
    Product,
    Quote,
    Sample,
    Task,
    format_customer_number,
    format_pi_number,
)

FACT_LIMIT = 300
"""Facts read per trigger and run: the newest ones; older ones were handled by earlier runs."""
CHUNK = 400
"""Ids per IN (…) list."""

WINDOWS: dict[Trigger, timedelta] = {
    Trigger.FIRST_REPLY: timedelta(days=30),
    Trigger.QUOTE_SENT: timedelta(days=45),
    Trigger.SAMPLE_SHIPPED: timedelta(days=60),
    Trigger.PRODUCTION: timedelta(days=240),
    Trigger.ETA: timedelta(days=90),
    Trigger.DELIVERED: timedelta(days=60),
}
"""How far back each trigger's facts are read."""
NURTURE_STAGES = (Stage.ORDER, Stage.LOYAL, Stage.DORMANT)


@dataclass(frozen=True)
class OpenTask:
    """A generated task as the refresh sees it."""

    task_id: int
    key: str
    open: bool
    kind: TaskKind


def chunks(ids: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """`ids` in lists of at most `size`, one per IN (…) query."""
    batch: list[Any] = []
    for ident in ids:
        batch.append(ident)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pairs(query: Any) -> list[tuple[Any, Any]]:
    return list(query.tuples())


class Customers:
    """Customers by id, read in batches, each once per run."""

    def __init__(self) -> None:
        self.rows: dict[int, Any] = {}
        self._inbound: dict[int, pendulum.DateTime | None] = {}

    def load(self, ids: Iterable[int]) -> None:
        missing = sorted({i for i in ids if i not in self.rows})
        for batch in chunks(missing):
            query = Customer.select(
                Customer.id,
                Customer.number,
                Customer.company,
                Customer.name,
                Customer.country,
                Customer.timezone,
                Customer.potential,
                Customer.stage,
                Customer.stage_since,
                Customer.background_check_done,
                Customer.last_activity_at,
                Customer.first_contact_at,
                Customer.owner,
                Customer.merged_into,
            ).where(Customer.id.in_(batch))
            for row in query:
                self.rows[row.id] = row

    def party(self, customer_id: int) -> Party | None:
        row = self.rows.get(customer_id)
        if row is None:
            return None
        return Party(
            customer_id=row.id,
            name=row.company or row.name or format_customer_number(row.number),
            zone=row.timezone,
            country=row.country or None,
        )

    def last_inbound(self, customer_id: int) -> pendulum.DateTime | None:
        return self._inbound.get(customer_id)

    def load_inbound(self, ids: Iterable[int]) -> None:
        """The customer's latest inbound touch or inquiry: two grouped queries per batch."""
        missing = sorted({i for i in ids if i not in self._inbound})
        for batch in chunks(missing):
            latest: dict[int, pendulum.DateTime | None] = dict.fromkeys(batch)
            touches = _pairs(
                Activity.select(Activity.customer, fn.MAX(Activity.at))
                .where(Activity.customer.in_(batch), Activity.direction == Direction.IN)
                .group_by(Activity.customer)
            )
            inquiries = _pairs(
                Inquiry.select(Inquiry.customer, fn.MAX(Inquiry.received_at))
                .where(Inquiry.customer.in_(batch))
                .group_by(Inquiry.customer)
            )
            for customer_id, at in [*touches, *inquiries]:
                when = Activity.at.python_value(at) if at else None
                current = latest.get(customer_id)
                if when is not None and (current is None or when > current):
                    latest[customer_id] = when
            self._inbound.update(latest)


def first_reply_facts(
    customers: Customers, since: pendulum.DateTime, inquiry_ids: Sequence[int]
) -> list[FirstReplyFact]:
    rows: list[Any] = []
    recent = (
        Inquiry.select(Inquiry.id, Inquiry.customer, Inquiry.first_reply_at)
        .where(Inquiry.first_reply_at >= since, ~Inquiry.archived)
        .order_by(Inquiry.first_reply_at.desc())
        .limit(FACT_LIMIT)
    )
    rows.extend(recent)
    for batch in chunks(inquiry_ids):
        rows.extend(
            Inquiry.select(Inquiry.id, Inquiry.customer, Inquiry.first_reply_at).where(
                Inquiry.id.in_(batch)
            )
        )
    customers.load(r.customer_id for r in rows)
    customers.load_inbound(r.customer_id for r in rows)
    facts: dict[int, FirstReplyFact] = {}
    for row in sorted(rows, key=lambda r: (r.first_reply_at or since, r.id)):
        party = customers.party(row.customer_id)
        if party is None or row.first_reply_at is None or row.id in facts:
            continue
        facts[row.id] = FirstReplyFact(
            party=party,
            inquiry_id=row.id,
            replied_at=row.first_reply_at,
            background_check_done=customers.rows[row.customer_id].background_check_done,
            stage=customers.rows[row.customer_id].stage,
            last_inbound_at=customers.last_inbound(row.customer_id),
        )
    return list(facts.values())


def background_facts(customers: Customers, customer_ids: Sequence[int]) -> list[FirstReplyFact]:
    """For open background-check tasks: is the check recorded now?"""
    customers.load(customer_ids)
    facts = []
    for customer_id in customer_ids:
        party = customers.party(customer_id)
        if party is None:
            continue
        row = customers.rows[customer_id]
        facts.append(
            FirstReplyFact(
                party=party,
                inquiry_id=None,
                replied_at=row.first_contact_at or row.stage_since,
                background_check_done=row.background_check_done,
                stage=row.stage,
                last_inbound_at=None,
            )
        )
    return facts


def quote_facts(
    customers: Customers, since: pendulum.DateTime, quote_ids: Sequence[int]
) -> list[QuoteFact]:
    fields = (Quote.id, Quote.customer, Quote.year, Quote.seq, Quote.status, Quote.sent_at)
    rows: list[Any] = list(
        Quote.select(*fields)
        .where(Quote.status == QuoteStatus.SENT, Quote.sent_at >= since)
        .order_by(Quote.sent_at.desc())
        .limit(FACT_LIMIT)
    )
    for batch in chunks(quote_ids):
        rows.extend(Quote.select(*fields).where(Quote.id.in_(batch)))
    customers.load(r.customer_id for r in rows)
    customers.load_inbound(r.customer_id for r in rows)
    facts: dict[int, QuoteFact] = {}
    for row in rows:
        party = customers.party(row.customer_id)
        if party is None:
            continue
        facts[row.id] = QuoteFact(
            party=party,
            quote_id=row.id,
            number=format_pi_number(row.year, row.seq),
            sent_at=row.sent_at,
            still_sent=row.status is QuoteStatus.SENT,
            last_inbound_at=customers.last_inbound(row.customer_id),
        )
    return list(facts.values())


def sample_facts(
    customers: Customers, since: pendulum.DateTime, sample_ids: Sequence[int]
) -> list[SampleFact]:
    fields = (
        Sample.id,
        Sample.customer,
        Sample.sent_at,
        Sample.delivered_at,
        Sample.feedback_at,
        Product.name,
    )
    base = Sample.select(*fields).join(Product, JOIN.LEFT_OUTER, on=(Sample.product == Product.id))
    rows: list[Any] = list(
        base.where(Sample.sent_at >= since, Sample.feedback_at.is_null())
        .order_by(Sample.sent_at.desc())
        .limit(FACT_LIMIT)
    )
    for batch in chunks(sample_ids):
        rows.extend(base.where(Sample.id.in_(batch)))
    customers.load(r.customer_id for r in rows)
    facts: dict[int, SampleFact] = {}
    for row in rows:
        party = customers.party(row.customer_id)
        if party is None:
            continue
        product = row.product.name if row.product_id is not None else ""
        facts[row.id] = SampleFact(
            party=party,
            sample_id=row.id,
            product=product or _("sample"),
            sent_at=row.sent_at,
            delivered_at=row.delivered_at,
            feedback_at=row.feedback_at,
        )
    return list(facts.values())


_ORDER_FIELDS = (
    Order.id,
    Order.customer,
    Order.number,
    Order.production_started_at,
    Order.deposit_received_at,
    Order.inspected_at,
    Order.packed_at,
    Order.shipped_at,
    Order.eta,
    Order.arrived_at,
    Order.feedback_at,
)


def order_facts(
    customers: Customers, now: pendulum.DateTime, order_ids: Sequence[int]
) -> list[OrderFact]:
    rows: list[Any] = []
    in_production = (
        Order.select(*_ORDER_FIELDS)
        .where(
            Order.shipped_at.is_null(),
            Order.arrived_at.is_null(),
            (Order.production_started_at >= now - WINDOWS[Trigger.PRODUCTION])
            | (
                Order.production_started_at.is_null()
                & (Order.deposit_received_at >= now - WINDOWS[Trigger.PRODUCTION])
            ),
        )
        .order_by(Order.ordered_at.desc())
        .limit(FACT_LIMIT)
    )
    on_the_way = (
        Order.select(*_ORDER_FIELDS)
        .where(
            Order.arrived_at.is_null(),
            Order.eta >= now - WINDOWS[Trigger.ETA],
            Order.eta <= now + WINDOWS[Trigger.ETA],
        )
        .order_by(Order.eta)
        .limit(FACT_LIMIT)
    )
    delivered = (
        Order.select(*_ORDER_FIELDS)
        .where(Order.arrived_at >= now - WINDOWS[Trigger.DELIVERED], Order.feedback_at.is_null())
        .order_by(Order.arrived_at.desc())
        .limit(FACT_LIMIT)
    )
    for query in (in_production, on_the_way, delivered):
        rows.extend(query)
    for batch in chunks(order_ids):
        rows.extend(Order.select(*_ORDER_FIELDS).where(Order.id.in_(batch)))
    customers.load(r.customer_id for r in rows)
    facts: dict[int, OrderFact] = {}
    for row in rows:
        party = customers.party(row.customer_id)
        if party is None:
            continue
        facts[row.id] = OrderFact(
            party=party,
            order_id=row.id,
            number=row.number,
            production_since=row.production_started_at or row.deposit_received_at,
            finished_at=row.inspected_at or row.packed_at,
            shipped_at=row.shipped_at,
            eta=row.eta,
            arrived_at=row.arrived_at,
            feedback_at=row.feedback_at,
        )
    return list(facts.values())


def nurture_facts(
    customers: Customers,
    now: pendulum.DateTime,
    playbook: Playbook,
    customer_ids: Sequence[int],
) -> list[NurtureFact]:
    rule_ids = [c.id for c in playbook.cadences_for(Trigger.NURTURE)]
    intervals = [
        o.delta for c in playbook.cadences_for(Trigger.NURTURE) for o in c.intervals.values()
    ]
    if not rule_ids or not intervals:
        return []
    quiet_since = now - min(intervals)
    delivered = Order.select(Order.customer).where(Order.arrived_at.is_null(False))
    candidates = (
        Customer.select(Customer.id)
        .where(
            Customer.stage.in_(list(NURTURE_STAGES)),
            Customer.merged_into.is_null(),
            Customer.id.in_(delivered),
            (Customer.last_activity_at < quiet_since) | Customer.last_activity_at.is_null(),
        )
        .order_by(Customer.last_activity_at)
        .limit(FACT_LIMIT)
    )
    ids = sorted({c.id for c in candidates} | set(customer_ids))
    customers.load(ids)
    last_delivery: dict[int, pendulum.DateTime | None] = {}
    last_nurture: dict[int, pendulum.DateTime | None] = {}
    for batch in chunks(ids):
        for customer_id, at in _pairs(
            Order.select(Order.customer, fn.MAX(Order.arrived_at))
            .where(Order.customer.in_(batch), Order.arrived_at.is_null(False))
            .group_by(Order.customer)
        ):
            last_delivery[customer_id] = Order.arrived_at.python_value(at)
        for customer_id, at in _pairs(
            Task.select(Task.customer, fn.MAX(Task.done_at))
            .where(Task.customer.in_(batch), Task.source.in_(rule_ids), Task.done_at.is_null(False))
            .group_by(Task.customer)
        ):
            last_nurture[customer_id] = Task.done_at.python_value(at)
    facts = []
    for customer_id in ids:
        party = customers.party(customer_id)
        row = customers.rows.get(customer_id)
        if party is None or row is None:
            continue
        times = [
            t
            for t in (
                row.last_activity_at,
                last_delivery.get(customer_id),
                last_nurture.get(customer_id),
            )
            if t is not None
        ]
        facts.append(
            NurtureFact(
                party=party,
                potential=row.potential,
                last_touch_at=max(times) if times else row.stage_since,
                delivered=customer_id in last_delivery
                and row.stage in NURTURE_STAGES
                and row.merged_into_id is None,
            )
        )
    return facts
