"""What reply templates know about the customer's quote, order, sample, next holiday and next
order: plain frozen records (draft_sandbox.Record), read in a handful of bounded queries.

`values(customer_id, inquiry_id, country, zone, now)` is called by drafting.build_context; each
group is absent when there is nothing to say (no quote yet …), so templates test
`{% if quote is defined %}`. Money is preformatted in the currency's own digits (JPY 1,235;
KWD 1.235), dates as "12 Dec" / "Saturday 12 December 2026"; times stay times for `local()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, cast

import pendulum
from peewee import JOIN

from sopdesk.i18n import N_
from sopdesk.services.draft_sandbox import Record
from sopdesk.sop import money
from sopdesk.sop import orders as order_rules
from sopdesk.sop import quotes as quote_rules
from sopdesk.sop.reorder import PastOrder, predict
from sopdesk.sop.stages import QuoteStatus
from sopdesk.store.models import (
    Order,
    OrderDocument,
    OrderEvent,
    Product,
    Quote,
    QuoteLine,
    Sample,
)

LINE_LIMIT = 20
HISTORY_LIMIT = 60
HOLIDAY_DAYS = 21
"""A holiday this close is the draft's `holiday`."""


# --- the records -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteLineValues(Record):
    _label: ClassVar[str] = N_("quote line")
    product: str
    """The product's name (or the line's description when it is not from the catalogue)."""
    sku: str
    description: str
    quantity: str
    """"600" — grouped, no trailing zeros."""
    unit: str
    unit_price: str
    """"25.80" in the quote's currency digits."""
    total: str
    """"15,480.00"."""


@dataclass(frozen=True)
class QuoteValues(Record):
    _label: ClassVar[str] = N_("quote")
    _words: ClassVar[dict[str, str]] = {
        "port": N_("named port"),
        "lead_time": N_("lead time"),
        "payment_terms": N_("payment terms"),
        "valid_until": N_("validity date"),
    }
    number: str
    label: str
    """PI-2026-0012 or PI-2026-0012-R2."""
    status: str
    sent: bool
    currency: str
    incoterm: str
    port: str
    trade_term: str
    """"FOB Ningbo"."""
    payment_terms: str
    deposit_percent: int | None
    deposit: str | None
    """"USD 6,180.00" (the deposit the terms ask for) or None."""
    lead_time: str
    packing: str
    notes: str
    valid_until: str | None
    """"12 Dec"."""
    valid_until_long: str | None
    """"Saturday 12 December 2026"."""
    days_left: int | None
    """Days until the validity ends (0: today is the last day; negative: expired)."""
    confirm_by: str
    """The day to confirm by for the small incentive: the coming Friday (the next one when that
    is less than two days away), or the validity date when that is sooner ("Fri 4 Dec")."""
    total: str
    """"USD 20,600.00"."""
    lines: tuple[QuoteLineValues, ...]
    questions: tuple[str, ...]
    """1–2 of "quantity", "port", "specs", "timing": what is still unknown (sop/quotes.py)."""


@dataclass(frozen=True)
class OrderValues(Record):
    _label: ClassVar[str] = N_("order")
    _words: ClassVar[dict[str, str]] = {
        "eta": N_("ETA"),
        "etd": N_("ETD"),
        "bl_number": N_("B/L number"),
        "vessel": N_("vessel or flight"),
    }
    number: str
    status: str
    quote_label: str
    products: str
    """"600 pcs LED UFO high bay 150W and 400 pcs LED linear trunking light 40W" (when the
    order's PI is known)."""
    total: str
    payment_terms: str
    deposit_due: str | None
    deposit_received: str | None
    balance: str
    deposit_received_at: pendulum.DateTime | None
    production_started_at: pendulum.DateTime | None
    production_week: int | None
    """Week of production this is (1 in the first week)."""
    lead_time_days: int | None
    update_note: str
    update_links: tuple[str, ...]
    """Photos and videos of the latest production update (or of the packing)."""
    inspected_at: pendulum.DateTime | None
    inspected_by: str
    inspection_result: str
    shipped_at: pendulum.DateTime | None
    vessel: str
    etd: pendulum.DateTime | None
    eta: pendulum.DateTime | None
    bl_number: str
    documents_sent: tuple[str, ...]
    documents_pending: tuple[str, ...]
    arrived_at: pendulum.DateTime | None
    feedback_rating: int | None
    case_permission: bool
    next_milestone: str | None
    deposit_day: str | None
    """Days in the customer's zone, "12 Dec" (None when not reached)."""
    production_day: str | None
    finish_day: str | None
    """When production should end: the production start plus the PI's lead time."""
    shipped_day: str | None
    etd_day: str | None
    eta_day: str | None
    arrived_day: str | None


@dataclass(frozen=True)
class SampleValues(Record):
    _label: ClassVar[str] = N_("sample")
    _words: ClassVar[dict[str, str]] = {"courier_account": N_("courier account")}
    product: str
    sku: str
    paid: bool
    amount: str | None
    refundable_on_order: bool
    freight_collect: bool
    courier: str
    courier_account: str
    tracking: str
    sent_at: pendulum.DateTime | None
    delivered_at: pendulum.DateTime | None
    feedback: str
    sent_day: str | None
    delivered_day: str | None


@dataclass(frozen=True)
class HolidayValues(Record):
    _label: ClassVar[str] = N_("holiday")
    name: str
    day: str
    """"Thu 24 Dec"."""
    days_to: int


@dataclass(frozen=True)
class ReorderValues(Record):
    _label: ClassVar[str] = N_("next order")
    next_order: str
    """"early March 2027"-style: "about 2 Mar 2027"."""
    last_order: str
    interval_days: int
    orders: int


@dataclass(frozen=True)
class SalesValues:
    quote: QuoteValues | None = None
    order: OrderValues | None = None
    sample: SampleValues | None = None
    holiday: HolidayValues | None = None
    reorder: ReorderValues | None = None


# --- building ---------------------------------------------------------------------------------


def _day(value: date | None, fmt: str = "D MMM") -> str | None:
    if value is None:
        return None
    return pendulum.date(value.year, value.month, value.day).format(fmt)


def _moment(value: Any, zone: str | None, fmt: str = "D MMM") -> str | None:
    if value is None:
        return None
    return str(pendulum.instance(value).in_timezone(zone or "UTC").format(fmt))


def _confirm_by(today: date, valid_until: date | None) -> str:
    local = pendulum.date(today.year, today.month, today.day)
    friday = local.next(pendulum.FRIDAY)
    if (friday - local).days < 2:  # Thursday or Friday today: the Friday after
        friday = friday.add(weeks=1)
    chosen = friday
    if valid_until is not None and today <= valid_until < friday:
        chosen = pendulum.date(valid_until.year, valid_until.month, valid_until.day)
    return chosen.format("ddd D MMM", locale="en")  # buyer-facing: English


def _quote(
    quote: Any,
    lines: Sequence[Any],
    today: date,
    inquiry: Any,
) -> QuoteValues:
    currency = quote.currency
    line_values = []
    amounts = []
    for line in lines:
        total = money.line_total(Decimal(str(line.quantity)), line.unit_price, currency)
        amounts.append(total)
        product = line.product if line.product_id is not None else None
        line_values.append(
            QuoteLineValues(
                product=(product.name if product else "") or line.description.split(":")[0][:80],
                sku=product.sku if product else "",
                description=line.description,
                quantity=money.format_quantity(line.quantity),
                unit=line.unit,
                unit_price=money.format_unit_price(line.unit_price, currency),
                total=money.format_money(total, currency, with_code=False),
            )
        )
    grand = money.round_money(sum(amounts, Decimal(0)), currency)
    deposit_percent = quote_rules.deposit_percent(quote.payment_terms)
    days_left = (quote.valid_until - today).days if quote.valid_until else None
    knowns = quote_rules.Knowns(
        quantity=bool(inquiry is not None and inquiry.quantity.strip()) or inquiry is None,
        port=bool(inquiry is not None and inquiry.port.strip())
        or (quote.incoterm not in quote_rules.NAMES_ORIGIN and bool(quote.port.strip())),
        specs=_has_specs(inquiry),
        timing=_has_timing(inquiry, quote.notes),
    )
    return QuoteValues(
        number=quote_rules.format_number(quote.year, quote.seq),
        label=quote_rules.format_label(quote.year, quote.seq, quote.revision),
        status=quote.status.value,
        sent=quote.sent_at is not None,
        currency=currency,
        incoterm=quote.incoterm.value,
        port=quote.port,
        trade_term=f"{quote.incoterm.value} {quote.port}".strip(),
        payment_terms=quote.payment_terms,
        deposit_percent=int(deposit_percent) if deposit_percent is not None else None,
        deposit=money.format_money(money.percent_of(grand, deposit_percent, currency), currency)
        if deposit_percent is not None
        else None,
        lead_time=quote.lead_time,
        packing=quote.packing,
        notes=quote.notes,
        valid_until=_day(quote.valid_until),
        valid_until_long=_day(quote.valid_until, "dddd D MMMM YYYY"),
        days_left=days_left,
        confirm_by=_confirm_by(today, quote.valid_until),
        total=money.format_money(grand, currency),
        lines=tuple(line_values),
        questions=quote_rules.guiding_questions(knowns),
    )


def _has_specs(inquiry: Any) -> bool:
    from sopdesk.services.drafting import has_specs

    return inquiry is not None and has_specs(inquiry.products, inquiry.body)


def _has_timing(inquiry: Any, notes: str) -> bool:
    from sopdesk.services.quotes import TIMING_WORDS

    text = f"{inquiry.body if inquiry is not None else ''} {notes}"
    return bool(TIMING_WORDS.search(text))


def _products_text(lines: Iterable[QuoteLineValues]) -> str:
    parts = [f"{line.quantity} {line.unit} {line.product}" for line in lines]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _order(
    order: Any,
    quote: QuoteValues | None,
    update: Any,
    sent_docs: dict[str, Any],
    lead_time: str,
    now: pendulum.DateTime,
    zone: str | None,
) -> OrderValues:
    """`quote` and `lead_time` are the order's own PI's (None and "" when it is another one)."""
    from sopdesk.services.orders import lead_time_days

    currency = order.currency
    total = order.total or Decimal(0)
    terms = order.payment_terms
    if not terms and quote is not None:
        terms = quote.payment_terms
    deposit_percent = quote_rules.deposit_percent(terms)
    done = {m: getattr(order, m.column) for m in order_rules.MILESTONES}
    following = order_rules.next_milestone(done, deposit_percent)
    since = order.production_started_at or order.deposit_received_at
    checklist = order_rules.checklist(sent_docs)
    lead = lead_time_days(lead_time) if lead_time else None
    return OrderValues(
        number=order.number,
        status=order.status.value,
        quote_label=quote.label if quote is not None else "",
        products=_products_text(quote.lines) if quote is not None else "",
        total=money.format_money(total, currency),
        payment_terms=terms,
        deposit_due=money.format_money(money.percent_of(total, deposit_percent, currency), currency)
        if deposit_percent is not None
        else None,
        deposit_received=money.format_money(order.deposit_amount, currency)
        if order.deposit_amount is not None
        else None,
        balance=money.format_money(
            order_rules.balance_amount(total, order.deposit_amount), currency
        ),
        deposit_received_at=order.deposit_received_at,
        production_started_at=order.production_started_at,
        production_week=((now - since).days // 7 + 1) if since is not None else None,
        lead_time_days=lead,
        update_note=update.note if update is not None else "",
        update_links=tuple(
            line.strip()
            for line in (update.links if update is not None else "").splitlines()
            if line.strip()
        ),
        inspected_at=order.inspected_at,
        inspected_by=order.inspected_by,
        inspection_result=order.inspection_result,
        shipped_at=order.shipped_at,
        vessel=order.vessel,
        etd=order.etd,
        eta=order.eta,
        bl_number=order.bl_number,
        documents_sent=tuple(d.label for d in checklist if d.sent_at is not None),
        documents_pending=tuple(d.label for d in checklist if d.sent_at is None),
        arrived_at=order.arrived_at,
        feedback_rating=order.feedback_rating,
        case_permission=order.case_permission,
        next_milestone=following.value if following is not None else None,
        deposit_day=_moment(order.deposit_received_at, zone),
        production_day=_moment(since, zone),
        finish_day=_moment(since.add(days=lead), zone) if since is not None and lead else None,
        shipped_day=_moment(order.shipped_at, zone),
        etd_day=_moment(order.etd, zone),
        eta_day=_moment(order.eta, zone),
        arrived_day=_moment(order.arrived_at, zone),
    )


def _sample(row: Any, zone: str | None) -> SampleValues:
    product = row.product if row.product_id is not None else None
    return SampleValues(
        product=product.name if product else "",
        sku=product.sku if product else "",
        paid=row.paid,
        amount=money.format_money(row.amount, row.currency) if row.amount is not None else None,
        refundable_on_order=row.refundable_on_order,
        freight_collect=row.freight_by == "customer",
        courier=row.courier,
        courier_account=row.courier_account,
        tracking=row.tracking,
        sent_at=row.sent_at,
        delivered_at=row.delivered_at,
        feedback=row.feedback,
        sent_day=_moment(row.sent_at, zone),
        delivered_day=_moment(row.delivered_at, zone),
    )


def values(
    customer_id: int,
    inquiry: Any,
    country: str | None,
    zone: str | None,
    now: pendulum.DateTime,
    *,
    quote_id: int | None = None,
) -> SalesValues:
    """Inside the caller's connection: at most six bounded queries. The quote is `quote_id`
    when given (one of the customer's), else the newest not superseded, the inquiry's first."""
    local = now.in_timezone(zone or "UTC")
    today = date(local.year, local.month, local.day)
    inquiry_id = inquiry.id if inquiry is not None else None
    order_by = [Quote.created_at.desc(), Quote.id.desc()]
    if inquiry_id is not None:
        order_by.insert(0, (Quote.inquiry == inquiry_id).desc())
    query = Quote.select().where(Quote.customer == customer_id)
    if quote_id is not None:
        query = query.where(Quote.id == quote_id)
    else:
        query = query.where(Quote.status != QuoteStatus.SUPERSEDED)
    quote_row = query.order_by(*order_by).first()
    quote: QuoteValues | None = None
    if quote_row is not None:
        lines = list(
            QuoteLine.select(QuoteLine, Product.id, Product.name, Product.sku)
            .join(Product, JOIN.LEFT_OUTER, on=(QuoteLine.product == Product.id))
            .where(QuoteLine.quote == quote_row.id)
            .order_by(QuoteLine.position, QuoteLine.id)
            .limit(LINE_LIMIT)
        )
        quote = _quote(quote_row, lines, today, inquiry)
    orders = list(
        Order.select()
        .where(Order.customer == customer_id)
        .order_by(Order.ordered_at.desc(), Order.id.desc())
        .limit(HISTORY_LIMIT)
    )
    order: OrderValues | None = None
    reorder: ReorderValues | None = None
    if orders:
        latest = orders[0]
        update = (
            OrderEvent.select(OrderEvent.note, OrderEvent.links, OrderEvent.at)
            .where(
                OrderEvent.order == latest.id, OrderEvent.kind.in_(["production_update", "packed"])
            )
            .order_by(OrderEvent.at.desc(), OrderEvent.id.desc())
            .first()
        )
        documents = {
            d.kind: d.sent_at
            for d in OrderDocument.select(OrderDocument.kind, OrderDocument.sent_at)
            .where(OrderDocument.order == latest.id)
            .limit(LINE_LIMIT)
        }
        linked = quote_row is not None and latest.quote_id == quote_row.id
        order = _order(
            latest,
            quote if linked else None,
            update,
            documents,
            quote_row.lead_time if quote_row is not None and linked else "",
            now,
            zone,
        )
        history = [PastOrder(o.ordered_at.in_timezone(zone or "UTC").date()) for o in orders]
        prediction = predict(history)
        if prediction is not None:
            reorder = ReorderValues(
                next_order=cast(str, _day(prediction.next_order_on, "D MMM YYYY")),
                last_order=cast(str, _day(prediction.last_order_on, "D MMM YYYY")),
                interval_days=prediction.mean_interval_days,
                orders=prediction.orders,
            )
    sample_row = (
        Sample.select(Sample, Product.id, Product.name, Product.sku)
        .join(Product, JOIN.LEFT_OUTER, on=(Sample.product == Product.id))
        .where(Sample.customer == customer_id)
        .order_by(Sample.created_at.desc(), Sample.id.desc())
        .first()
    )
    holiday = _holiday(country, today)
    return SalesValues(
        quote=quote,
        order=order,
        sample=_sample(sample_row, zone) if sample_row is not None else None,
        holiday=holiday,
        reorder=reorder,
    )


def _holiday(country: str | None, today: date) -> HolidayValues | None:
    from sopdesk.services.greetings import next_holiday

    found = next_holiday(country, today, HOLIDAY_DAYS)
    if found is None:
        return None
    return HolidayValues(
        name=found.name,
        day=cast(str, _day(found.day, "ddd D MMM")),
        days_to=(found.day - today).days,
    )


__all__ = [
    "HolidayValues",
    "OrderValues",
    "QuoteLineValues",
    "QuoteValues",
    "ReorderValues",
    "SalesValues",
    "SampleValues",
    "values",
]
