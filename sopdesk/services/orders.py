"""Orders and after-sales (SOP stage 5): an order from an accepted PI, its milestones with their
dates, the shipping documents checklist, feedback — and the reorder prompt.

The milestone order, the next milestone, the status and the step reminders are in sop/orders.py;
the reorder prediction is in sop/reorder.py. Writing a milestone fills the Order column the
playbook's cadence engine reads (deposit, production start, inspection, packing, shipping with
ETA, arrival, feedback), so the weekly production updates, the arrival check and the feedback
request follow by themselves; this module adds the steps the engine does not plan
(services/sales_tasks.py) and moves the customer to Order on the deposit (Loyal on a second order).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import pendulum
from peewee import fn

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services import sales_tasks
from sopdesk.services.cadence_facts import chunks
from sopdesk.services.timeline_events import Event, event_text
from sopdesk.sop import money
from sopdesk.sop import orders as rules
from sopdesk.sop import quotes as quote_rules
from sopdesk.sop.reorder import PastOrder, Prediction, predict
from sopdesk.sop.stages import ActivityKind, Direction, QuoteStatus, Stage, TaskKind
from sopdesk.store.db import database
from sopdesk.store.models import (
    Activity,
    Customer,
    Order,
    OrderDocument,
    OrderEvent,
    Quote,
    QuoteLine,
    format_customer_number,
)

EVENT_LIMIT = 100
LIST_LIMIT = 50
HISTORY_LIMIT = 60
"""Orders of one customer read for the reorder prediction."""
BATCH = 300
PRODUCTION_UPDATE = "production_update"


class OrderError(ValueError):
    """The order cannot be made or changed as asked; the message says why."""


@dataclass(frozen=True)
class MilestoneView:
    milestone: rules.Milestone
    title: str
    """In the UI language."""
    at: pendulum.DateTime | None
    applies: bool
    """False when the payment terms skip it (no deposit under L/C or O/A …)."""
    is_next: bool


@dataclass(frozen=True)
class EventView:
    event_id: int
    kind: str
    at: pendulum.DateTime
    note: str
    links: tuple[str, ...]


@dataclass(frozen=True)
class OrderView:
    order_id: int
    number: str
    customer_id: int
    customer_code: str
    customer_name: str
    quote_id: int | None
    quote_label: str
    status: str
    currency: str
    total: Decimal
    payment_terms: str
    deposit_percent: Decimal | None
    deposit_due: Decimal | None
    """What the terms ask as deposit."""
    deposit_amount: Decimal | None
    """What was received."""
    balance: Decimal
    ordered_at: pendulum.DateTime
    milestones: tuple[MilestoneView, ...]
    next_milestone: rules.Milestone | None
    inspected_by: str
    inspection_result: str
    vessel: str
    etd: pendulum.DateTime | None
    eta: pendulum.DateTime | None
    bl_number: str
    feedback_rating: int | None
    feedback_text: str
    case_permission: bool
    documents: tuple[rules.DocumentItem, ...]
    events: tuple[EventView, ...]
    warnings: tuple[str, ...]
    version: int

    def at(self, milestone: rules.Milestone) -> pendulum.DateTime | None:
        return next((m.at for m in self.milestones if m.milestone is milestone), None)

    @property
    def latest_production_update(self) -> EventView | None:
        updates = [e for e in self.events if e.kind == PRODUCTION_UPDATE]
        return updates[-1] if updates else None


@dataclass(frozen=True)
class OrderSummary:
    order_id: int
    number: str
    quote_id: int | None
    status: str
    currency: str
    total: Decimal
    ordered_at: pendulum.DateTime
    next_milestone: rules.Milestone | None


# --- reading ---------------------------------------------------------------------------------


def _done(order: Any) -> dict[rules.Milestone, Any]:
    return {m: getattr(order, m.column) for m in rules.MILESTONES}


def _links(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _extra_documents(extra: Sequence[Any] | None) -> tuple[str, ...]:
    return tuple(str(x) for x in (extra or ()) if isinstance(x, str) and x.strip())[:20]


def _view(order: Any, extra_documents: Sequence[str] = ()) -> OrderView:
    customer = (
        Customer.select(Customer.id, Customer.number, Customer.company, Customer.name)
        .where(Customer.id == order.customer_id)
        .first()
    )
    quote = (
        Quote.select(Quote.year, Quote.seq, Quote.revision, Quote.payment_terms)
        .where(Quote.id == order.quote_id)
        .first()
        if order.quote_id is not None
        else None
    )
    # Orders written before the terms were copied onto them (or by an import) use the PI's.
    terms = order.payment_terms or (quote.payment_terms if quote is not None else "")
    events = tuple(
        EventView(e.id, e.kind, e.at, e.note, _links(e.links))
        for e in OrderEvent.select()
        .where(OrderEvent.order == order.id)
        .order_by(OrderEvent.at, OrderEvent.id)
        .limit(EVENT_LIMIT)
    )
    sent = {
        d.kind: d.sent_at
        for d in OrderDocument.select(OrderDocument.kind, OrderDocument.sent_at)
        .where(OrderDocument.order == order.id)
        .limit(EVENT_LIMIT)
    }
    deposit_percent = quote_rules.deposit_percent(terms)
    done = _done(order)
    applicable = rules.applicable(deposit_percent)
    following = rules.next_milestone(done, deposit_percent)
    milestones = tuple(
        MilestoneView(
            milestone=m,
            title=_(rules.MILESTONE_TITLES[m]),
            at=done[m],
            applies=m in applicable,
            is_next=m is following,
        )
        for m in rules.MILESTONES
    )
    warnings = tuple(
        _("{later} is dated before {earlier}").format(
            later=_(rules.MILESTONE_TITLES[b]), earlier=_(rules.MILESTONE_TITLES[a])
        )
        for a, b in rules.out_of_order(done)
    )
    total = order.total or Decimal(0)
    return OrderView(
        order_id=order.id,
        number=order.number,
        customer_id=order.customer_id,
        customer_code=format_customer_number(customer.number) if customer else "",
        customer_name=(customer.company or customer.name) if customer else "",
        quote_id=order.quote_id,
        quote_label=quote_rules.format_label(quote.year, quote.seq, quote.revision)
        if quote
        else "",
        status=order.status.value,
        currency=order.currency,
        total=total,
        payment_terms=terms,
        deposit_percent=deposit_percent,
        deposit_due=money.percent_of(total, deposit_percent, order.currency)
        if deposit_percent is not None
        else None,
        deposit_amount=order.deposit_amount,
        balance=rules.balance_amount(total, order.deposit_amount),
        ordered_at=order.ordered_at,
        milestones=milestones,
        next_milestone=following,
        inspected_by=order.inspected_by,
        inspection_result=order.inspection_result,
        vessel=order.vessel,
        etd=order.etd,
        eta=order.eta,
        bl_number=order.bl_number,
        feedback_rating=order.feedback_rating,
        feedback_text=order.feedback_text,
        case_permission=order.case_permission,
        documents=rules.checklist(sent, extra_documents),
        events=events,
        warnings=warnings,
        version=order.version,
    )


def get(order_id: int, extra_documents: Sequence[str] | None = None) -> OrderView | None:
    with database.connection_context():
        order = Order.get_or_none(Order.id == order_id)
        return _view(order, _extra_documents(extra_documents)) if order is not None else None


def latest_for(customer_id: int, extra_documents: Sequence[str] | None = None) -> OrderView | None:
    with database.connection_context():
        order = (
            Order.select()
            .where(Order.customer == customer_id)
            .order_by(Order.ordered_at.desc(), Order.id.desc())
            .first()
        )
        return _view(order, _extra_documents(extra_documents)) if order is not None else None


def for_customer(customer_id: int, limit: int = LIST_LIMIT) -> list[OrderSummary]:
    with database.connection_context():
        rows = list(
            Order.select()
            .where(Order.customer == customer_id)
            .order_by(Order.ordered_at.desc(), Order.id.desc())
            .limit(limit)
        )
        missing = [r.quote_id for r in rows if not r.payment_terms and r.quote_id is not None]
        quote_terms = (
            {
                q.id: q.payment_terms
                for q in Quote.select(Quote.id, Quote.payment_terms).where(Quote.id.in_(missing))
            }
            if missing
            else {}
        )
    for row in rows:
        if not row.payment_terms and row.quote_id in quote_terms:
            row.payment_terms = quote_terms[row.quote_id]
    return [
        OrderSummary(
            order_id=r.id,
            number=r.number,
            quote_id=r.quote_id,
            status=r.status.value,
            currency=r.currency,
            total=r.total,
            ordered_at=r.ordered_at,
            next_milestone=rules.next_milestone(
                _done(r), quote_rules.deposit_percent(r.payment_terms)
            ),
        )
        for r in rows
    ]


# --- creating --------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    prefix = f"SO-{year}-"
    last = (
        Order.select(Order.number)
        .where(Order.number.startswith(prefix))
        .order_by(Order.number.desc())
        .limit(20)
    )
    seqs = [int(n.number[len(prefix) :]) for n in last if n.number[len(prefix) :].isdigit()]
    return f"{prefix}{max(seqs, default=0) + 1:04d}"


def create_from_quote(
    quote_id: int,
    *,
    rep_id: int | None = None,
    now: pendulum.DateTime | None = None,
    rep_zone: str = "UTC",
) -> OrderView:
    """An order from an accepted PI (one order per PI): its total, currency and payment terms."""
    from sopdesk.services import quotes

    now = now or clock.now()
    view = quotes.get(quote_id)
    if view is None:
        raise OrderError(_("that quote no longer exists"))
    if view.status is not QuoteStatus.ACCEPTED:
        raise OrderError(
            _("an order is made from an accepted PI; accept {quote} first").format(quote=view.label)
        )
    with database.connection_context(), database.atomic():
        existing = Order.get_or_none(Order.quote == quote_id)
        if existing is not None:
            raise OrderError(
                _("{quote} already has order {order}").format(
                    quote=view.label, order=existing.number
                )
            )
        number = _next_number(now.in_timezone(rep_zone).year)
        order_id = Order.insert(
            number=number,
            customer=view.customer_id,
            quote=quote_id,
            owner=rep_id,
            total=view.total,
            currency=view.currency,
            payment_terms=view.payment_terms,
            ordered_at=now,
            created_at=now,
            updated_at=now,
        ).execute()
        Activity.create(
            customer=view.customer_id,
            inquiry=view.inquiry_id,
            kind=ActivityKind.SYSTEM,
            direction=Direction.NONE,
            at=now,
            subject=number,
            text=event_text(  # worded when read, in the reader's language (timeline_events)
                Event.ORDER_CREATED,
                order=number,
                quote=view.label,
                total=str(view.total),
                currency=view.currency,
                terms=view.payment_terms,
            ),
            by=rep_id,
        )
    if quote_rules.deposit_percent(view.payment_terms) is None:
        # No deposit under L/C or O/A: the order itself makes an order customer.
        _promote(view.customer_id, number, rep_id, now)
    plan_reorder(view.customer_id, now, rep_zone, rep_id)
    found = get(int(order_id))
    assert found is not None
    return found


def _promote(customer_id: int, number: str, rep_id: int | None, now: pendulum.DateTime) -> None:
    """Order on the first paid order, Loyal on the next (GLOSSARY: loyal = ordered again)."""
    from sopdesk.services import records

    with database.connection_context():
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None or customer.merged_into_id is not None:
            return
        paid = (
            Order.select()
            .where(
                Order.customer == customer_id,
                Order.deposit_received_at.is_null(False)
                | Order.payment_terms.in_(
                    [p.text for p in quote_rules.PAYMENT_PRESETS if p.deposit_percent is None]
                ),
            )
            .count()
        )
    stage = customer.stage
    if stage in (Stage.ORDER, Stage.LOYAL) and not (stage is Stage.ORDER and paid >= 2):
        return
    target = Stage.LOYAL if stage is Stage.ORDER else Stage.ORDER
    event = Event.ORDERED_AGAIN if target is Stage.LOYAL else Event.DEPOSIT_RECEIVED
    with contextlib.suppress(records.RecordError):  # merged meanwhile: nothing to move
        records.change_stage(
            customer_id, target, rep_id, confirm_skip=True, now=now,
            event=event_text(event, order=number),
        )  # fmt: skip


# --- milestones ------------------------------------------------------------------------------

_FIELDS: dict[str, tuple[str, ...]] = {
    rules.Milestone.DEPOSIT_RECEIVED.value: ("deposit_amount",),
    rules.Milestone.INSPECTED.value: ("inspected_by", "inspection_result"),
    rules.Milestone.SHIPPED.value: ("vessel", "etd", "eta", "bl_number"),
    rules.Milestone.FEEDBACK.value: ("feedback_rating", "feedback_text", "case_permission"),
}
"""The details each milestone records beside its date."""


def _clean_details(
    milestone: rules.Milestone, details: Mapping[str, Any], currency: str
) -> dict[str, Any]:
    allowed = _FIELDS.get(milestone.value, ())
    unknown = set(details) - set(allowed)
    if unknown:
        raise OrderError(
            _("{milestone} does not record {fields}").format(
                milestone=milestone.value, fields=", ".join(sorted(unknown))
            )
        )
    values: dict[str, Any] = {}
    for name, value in details.items():
        if name == "deposit_amount":
            if value is None or value == "":
                values[name] = None
                continue
            try:
                amount = money.round_money(value, currency)
            except money.MoneyError as exc:
                raise OrderError(str(exc)) from None
            if amount < 0:
                raise OrderError(_("an amount cannot be negative"))
            values[name] = amount
        elif name in ("etd", "eta"):
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                raise OrderError(_("{name} must be a date and time with a zone").format(name=name))
            values[name] = value
        elif name == "feedback_rating":
            if value is not None and (not isinstance(value, int) or not 1 <= value <= 5):
                raise OrderError(_("the rating is 1 to 5"))
            values[name] = value
        elif name == "case_permission":
            values[name] = bool(value)
        else:
            values[name] = " ".join(str(value or "").split())[:2000]
    return values


def record_milestone(
    order_id: int,
    milestone: rules.Milestone,
    at: datetime | None,
    *,
    details: Mapping[str, Any] | None = None,
    note: str = "",
    links: Sequence[str] = (),
    rep_id: int | None = None,
    now: pendulum.DateTime | None = None,
    rep_zone: str = "UTC",
    expected_version: int | None = None,
) -> OrderView:
    """Date a milestone (None clears it) with its details; an event keeps the note and links."""
    now = now or clock.now()
    if at is not None and at.tzinfo is None:
        raise OrderError(_("a milestone's time needs a zone"))
    if at is not None and at > now.add(days=1) and milestone is not rules.Milestone.SHIPPED:
        raise OrderError(_("a milestone cannot be dated in the future"))
    with database.connection_context(), database.atomic():
        order = Order.get_or_none(Order.id == order_id)
        if order is None:
            raise OrderError(_("that order no longer exists"))
        if expected_version is not None and order.version != expected_version:
            raise OrderError(_("the order was changed elsewhere; open it again"))
        values = _clean_details(milestone, details or {}, order.currency)
        values[milestone.column] = at
        done = _done(order)
        done[milestone] = at
        values["status"] = rules.status_for(done)
        Order.update(**values, version=Order.version + 1, updated_at=now).where(
            Order.id == order_id
        ).execute()
        clean_links = "\n".join(link.strip() for link in links if link.strip())[:4000]
        if at is not None:
            OrderEvent.create(
                order=order_id, kind=milestone.value, at=at, note=note.strip()[:2000],
                links=clean_links, created_at=now, updated_at=now,
            )  # fmt: skip
        customer_id = order.customer_id
        number = order.number
    if milestone is rules.Milestone.DEPOSIT_RECEIVED and at is not None:
        _promote(customer_id, number, rep_id, now)
    plan_steps(order_id, now, rep_zone, rep_id)
    found = get(order_id)
    assert found is not None
    return found


def add_production_update(
    order_id: int,
    at: datetime,
    note: str,
    links: Sequence[str] = (),
    *,
    now: pendulum.DateTime | None = None,
) -> OrderView:
    """A weekly production update (photos/videos given as links or paths); the playbook's
    weekly reminder counts from the production start, the draft links these."""
    now = now or clock.now()
    with database.connection_context(), database.atomic():
        if Order.get_or_none(Order.id == order_id) is None:
            raise OrderError(_("that order no longer exists"))
        OrderEvent.create(
            order=order_id,
            kind=PRODUCTION_UPDATE,
            at=at,
            note=note.strip()[:2000],
            links="\n".join(link.strip() for link in links if link.strip())[:4000],
            created_at=now,
            updated_at=now,
        )
        Order.update(version=Order.version + 1, updated_at=now).where(
            Order.id == order_id
        ).execute()
    found = get(order_id)
    assert found is not None
    return found


def set_document(
    order_id: int,
    kind: str,
    sent_at: datetime | None,
    *,
    extra_documents: Sequence[str] | None = None,
    now: pendulum.DateTime | None = None,
    rep_zone: str = "UTC",
) -> OrderView:
    """Tick (or untick) a shipping document; when the whole checklist is sent, the "documents
    sent" milestone takes the last document's time."""
    now = now or clock.now()
    kind = rules.document_kind(kind)
    extras = _extra_documents(extra_documents)
    with database.connection_context(), database.atomic():
        order = Order.get_or_none(Order.id == order_id)
        if order is None:
            raise OrderError(_("that order no longer exists"))
        existing = (
            OrderDocument.select()
            .where(OrderDocument.order == order_id, OrderDocument.kind == kind)
            .first()
        )
        if existing is None:
            OrderDocument.create(
                order=order_id, kind=kind, sent_at=sent_at, created_at=now, updated_at=now
            )
        else:
            OrderDocument.update(sent_at=sent_at, updated_at=now).where(
                OrderDocument.id == existing.id
            ).execute()
        view = _view(order, extras)
        values: dict[str, Any] = {}
        if rules.all_sent(view.documents) and order.documents_sent_at is None:
            values["documents_sent_at"] = max(
                d.sent_at for d in view.documents if d.sent_at is not None
            )
        elif not rules.all_sent(view.documents) and order.documents_sent_at is not None:
            values["documents_sent_at"] = None
        if values:
            done = _done(order)
            done[rules.Milestone.DOCUMENTS_SENT] = values["documents_sent_at"]
            values["status"] = rules.status_for(done)
        Order.update(**values, version=Order.version + 1, updated_at=now).where(
            Order.id == order_id
        ).execute()
    plan_steps(order_id, now, rep_zone, None)
    found = get(order_id, extras)
    assert found is not None
    return found


# --- reminders -------------------------------------------------------------------------------

_DAYS = re.compile(r"(\d{1,3})\s*(?:-\s*\d{1,3}\s*)?(?:working\s+)?days?", re.IGNORECASE)


def lead_time_days(text: str) -> int | None:
    """'25 days after deposit' → 25; '15-20 days' → 20 (the later end); None without days."""
    match = re.search(r"(\d{1,3})\s*-\s*(\d{1,3})\s*(?:working\s+)?days?", text or "", re.I)
    if match:
        return int(match.group(2))
    found = _DAYS.search(text or "")
    return int(found.group(1)) if found else None


def _order_dates(order: Any, lead_time: str) -> rules.OrderDates:
    return rules.OrderDates(
        production_since=order.production_started_at or order.deposit_received_at,
        lead_time_days=lead_time_days(lead_time),
        inspected_at=order.inspected_at,
        shipped_at=order.shipped_at,
        documents_sent_at=order.documents_sent_at,
        balance_received_at=order.balance_received_at,
        deposit_percent=quote_rules.deposit_percent(order.payment_terms),
    )


def _step_wanted(order: Any, lead_time: str, where: sales_tasks.Where) -> list[sales_tasks.Wanted]:
    return [
        sales_tasks.Wanted(
            slot=reminder.slot,
            kind=TaskKind.OTHER,
            due_at=sales_tasks.due_at_moment(reminder.due, where),
            title=_(reminder.title).format(order=order.number),
            why=_("Order {order}: template {template}").format(
                order=order.number, template=reminder.template_id
            ),
        )
        for reminder in rules.reminders(_order_dates(order, lead_time))
    ]


def _step_plans(
    order_ids: Sequence[int], rep_zone: str, wheres: Mapping[int, sales_tasks.Where] | None = None
) -> list[sales_tasks.Plan]:
    """The step reminders each order wants (orders that no longer exist want nothing and are
    left alone). Reads the orders, their quotes and customers in a few queries. Call inside a
    connection."""
    orders: list[Any] = []
    ids = sorted(set(order_ids))
    for batch in chunks(ids, sales_tasks.CHUNK):
        orders.extend(Order.select().where(Order.id.in_(batch)))
    quote_ids = sorted({o.quote_id for o in orders if o.quote_id is not None})
    quotes: dict[int, Any] = {}
    for batch in chunks(quote_ids, sales_tasks.CHUNK):
        for found in Quote.select(Quote.id, Quote.lead_time, Quote.payment_terms).where(
            Quote.id.in_(batch)
        ):
            quotes[found.id] = found
    if wheres is None:
        wheres = sales_tasks.where_for_many([o.customer_id for o in orders], rep_zone)
    plans = []
    for order in orders:
        quote: Any = quotes.get(order.quote_id) if order.quote_id is not None else None
        if not order.payment_terms and quote is not None:
            order.payment_terms = quote.payment_terms
        where = wheres[order.customer_id]
        wanted = _step_wanted(order, quote.lead_time if quote else "", where)
        plans.append(sales_tasks.Plan(f"o{order.id}", where, wanted))
    return plans


def plan_steps(
    order_id: int, now: pendulum.DateTime, rep_zone: str, rep_id: int | None
) -> tuple[int, int]:
    """Bring the order's step reminders in line with its milestones (after a write)."""
    with database.connection_context():
        return sales_tasks.sync_many(
            sales_tasks.RULE_ORDER_STEP,
            _step_plans([order_id], rep_zone),
            now,
            _("the order moved on"),
            rep_id,
        )


def histories(customer_ids: Iterable[int], rep_zone: str) -> dict[int, list[PastOrder]]:
    """Each customer's newest HISTORY_LIMIT orders as (local day, total quantity), newest first,
    for the reorder prediction: two queries per CHUNK customers (orders ranked per customer by
    a window function, and the quantities of their quotes). Call inside a connection."""
    ids = sorted(set(customer_ids))
    result: dict[int, list[PastOrder]] = {i: [] for i in ids}
    for chunk in chunks(ids, sales_tasks.CHUNK):
        rank = (
            fn.ROW_NUMBER()
            .over(
                partition_by=[Order.customer], order_by=[Order.ordered_at.desc(), Order.id.desc()]
            )
            .alias("n")
        )
        ranked = (
            Order.select(Order.customer, Order.quote, Order.ordered_at, rank)
            .where(Order.customer.in_(chunk))
            .alias("ranked")
        )
        rows = cast(
            list[tuple[int, int | None, Any]],
            list(
                Order.select(ranked.c.customer_id, ranked.c.quote_id, ranked.c.ordered_at)
                .from_(ranked)
                .where(ranked.c.n <= HISTORY_LIMIT)
                .order_by(ranked.c.customer_id, ranked.c.n)
                .tuples()
            ),
        )
        quote_ids = sorted({quote for _c, quote, _at in rows if quote is not None})
        quantities: dict[int, Decimal] = {}
        for batch in chunks(quote_ids, sales_tasks.CHUNK):
            sums = (
                QuoteLine.select(QuoteLine.quote, fn.SUM(QuoteLine.quantity))
                .where(QuoteLine.quote.in_(batch))
                .group_by(QuoteLine.quote)
                .tuples()
            )
            for summed_id, total in cast(Iterable[tuple[int, Any]], sums):
                quantities[summed_id] = Decimal(str(total))
        for customer_id, quote_id, ordered_at in rows:
            at = Order.ordered_at.python_value(ordered_at)
            if at is None:
                continue
            local = at.in_timezone(rep_zone)
            qty = quantities.get(quote_id) if quote_id is not None else None
            result[customer_id].append(PastOrder(date(local.year, local.month, local.day), qty))
    return result


def history(customer_id: int, rep_zone: str) -> list[PastOrder]:
    """The customer's orders as (local day, total quantity) for the reorder prediction."""
    with database.connection_context():
        return histories([customer_id], rep_zone)[customer_id]


def reorder_prediction(customer_id: int, rep_zone: str) -> Prediction | None:
    return predict(history(customer_id, rep_zone))


def _reorder_wanted(
    prediction: Prediction | None, now: pendulum.DateTime, where: sales_tasks.Where
) -> list[sales_tasks.Wanted]:
    if prediction is None:
        return []
    due_day = max(prediction.ask_on, now.in_timezone(where.zone).date())
    next_day = pendulum.date(
        prediction.next_order_on.year, prediction.next_order_on.month, prediction.next_order_on.day
    ).format("D MMM YYYY")
    return [
        sales_tasks.Wanted(
            slot=prediction.next_order_on.isoformat(),
            kind=TaskKind.NURTURE,
            due_at=sales_tasks.due_on_day(due_day, where),
            title=_("Ask about the next order (due about {day})").format(day=next_day),
            why=_(
                "{n} orders, one every {days} days on average: the next is due about "
                "{day}. Ask in time for production (template reorder_prompt)."
            ).format(n=prediction.orders, days=prediction.mean_interval_days, day=next_day),
        )
    ]


def _reorder_plans(
    customer_ids: Sequence[int],
    now: pendulum.DateTime,
    rep_zone: str,
    wheres: Mapping[int, sales_tasks.Where] | None = None,
) -> list[sales_tasks.Plan]:
    pasts = histories(customer_ids, rep_zone)
    if wheres is None:
        wheres = sales_tasks.where_for_many(customer_ids, rep_zone)
    return [
        sales_tasks.Plan(
            f"c{customer_id}",
            wheres[customer_id],
            _reorder_wanted(predict(past), now, wheres[customer_id]),
        )
        for customer_id, past in pasts.items()
    ]


def plan_reorder(
    customer_id: int, now: pendulum.DateTime, rep_zone: str, rep_id: int | None
) -> tuple[int, int]:
    """The "ask about the next order" task, ahead of the predicted next order."""
    with database.connection_context():
        return sales_tasks.sync_many(
            sales_tasks.RULE_REORDER,
            _reorder_plans([customer_id], now, rep_zone),
            now,
            _("a newer order changed the prediction"),
            rep_id,
        )


def refresh_reminders(
    now: pendulum.DateTime, rep_zone: str, rep_id: int | None = None
) -> tuple[int, int]:
    """Step reminders of the orders still under way, and reorder prompts of customers with two
    or more orders (each bounded; open reminders of orders outside the window are kept in step
    too). Reads in batches and writes only what changed (sales_tasks.sync_many)."""
    with database.connection_context():
        under_way = [
            o.id
            for o in Order.select(Order.id)
            .where(Order.arrived_at.is_null(), Order.ordered_at >= now.subtract(days=365))
            .order_by(Order.ordered_at.desc())
            .limit(BATCH)
        ]
        under_way.extend(sales_tasks.open_subject_ids(sales_tasks.RULE_ORDER_STEP, "o", BATCH))
        repeat = [
            row.customer_id
            for row in Order.select(Order.customer)
            .group_by(Order.customer)
            .having(fn.COUNT(Order.id) >= 2)
            .order_by(fn.MAX(Order.ordered_at).desc())
            .limit(BATCH)
        ]
        steps = sales_tasks.sync_many(
            sales_tasks.RULE_ORDER_STEP,
            _step_plans(under_way, rep_zone),
            now,
            _("the order moved on"),
            rep_id,
        )
        reorders = sales_tasks.sync_many(
            sales_tasks.RULE_REORDER,
            _reorder_plans(repeat, now, rep_zone),
            now,
            _("a newer order changed the prediction"),
            rep_id,
        )
    return steps[0] + reorders[0], steps[1] + reorders[1]


def quotes_without_order(customer_id: int) -> list[Any]:
    """The customer's accepted quotes that have no order yet (QuoteSummary values)."""
    from sopdesk.services import quotes

    accepted = [q for q in quotes.for_customer(customer_id) if q.status is QuoteStatus.ACCEPTED]
    if not accepted:
        return []
    with database.connection_context():
        taken = {
            o.quote_id
            for o in Order.select(Order.quote).where(
                Order.quote.in_([q.quote_id for q in accepted])
            )
        }
    return [q for q in accepted if q.quote_id not in taken]


__all__ = [
    "PRODUCTION_UPDATE",
    "EventView",
    "MilestoneView",
    "OrderError",
    "OrderSummary",
    "OrderView",
    "add_production_update",
    "create_from_quote",
    "for_customer",
    "get",
    "history",
    "latest_for",
    "lead_time_days",
    "plan_reorder",
    "plan_steps",
    "quotes_without_order",
    "record_milestone",
    "refresh_reminders",
    "reorder_prediction",
    "set_document",
]
