"""Quotations and PIs (SOP 3.1): create from a customer or an inquiry, price lines from the
catalogue's tiers, revise, send, accept, expire — with a Today reminder before the price lapses.

The rules (numbers, revisions, states, tiers, guiding questions) are in sop/quotes.py and the
arithmetic in sop/money.py; this module reads and writes the store and returns frozen views.

- `draft_for_customer` / `draft_for_inquiry` give an unsaved `QuoteDraft` with sensible defaults
  (from an inquiry: the port, the matched products at the asked quantity with their tier price).
- `save` creates a quote (PI-YYYY-NNNN, the next number of the year), changes a draft in place,
  or — for a sent or expired quote — writes a new revision and supersedes the old one.
- `send`, `accept`, `expire` move the state (sop.quotes.TRANSITIONS); sending plans the expiry
  reminder (services/sales_tasks.py), accepting or superseding closes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, cast

import pendulum
from peewee import JOIN, fn

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services import catalog, sales_tasks
from sopdesk.services.cadence_facts import chunks
from sopdesk.services.timeline_events import Event, event_text
from sopdesk.sop import money
from sopdesk.sop import quotes as rules
from sopdesk.sop.stages import ActivityKind, Direction, Incoterm, QuoteStatus, TaskKind
from sopdesk.store.db import database
from sopdesk.store.models import (
    Activity,
    Customer,
    Inquiry,
    Quote,
    QuoteLine,
    format_customer_number,
)

MAX_LINES = 100
LIST_LIMIT = 50
REMINDER_BATCH = 300


class QuoteError(ValueError):
    """The quote cannot be saved or moved; the message says why (in the UI language)."""


class StaleQuoteError(QuoteError):
    """Someone else changed the quote since it was opened."""


# --- values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineDraft:
    product_id: int | None
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    photo: str = ""
    sku: str = ""
    below_moq: bool = False
    """The quantity is under the product's lowest tier (for a warning in the editor)."""


@dataclass(frozen=True)
class QuoteDraft:
    customer_id: int
    inquiry_id: int | None
    currency: str = "USD"
    incoterm: Incoterm = Incoterm.FOB
    port: str = ""
    payment_terms: str = rules.PAYMENT_PRESETS[0].text
    lead_time: str = ""
    packing: str = ""
    valid_until: date | None = None
    notes: str = ""
    lines: tuple[LineDraft, ...] = ()

    def totals(self) -> money.Totals:
        return money.quote_totals(
            [(line.quantity, line.unit_price) for line in self.lines], self.currency
        )


@dataclass(frozen=True)
class QuoteLineView:
    line_id: int
    product_id: int | None
    sku: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    total: Decimal
    photo: str


@dataclass(frozen=True)
class RevisionRef:
    quote_id: int
    revision: int
    status: QuoteStatus
    label: str


@dataclass(frozen=True)
class QuoteView:
    quote_id: int
    year: int
    seq: int
    revision: int
    number: str
    """PI-2026-0012."""
    label: str
    """PI-2026-0012 or PI-2026-0012-R2."""
    status: QuoteStatus
    customer_id: int
    customer_code: str
    customer_name: str
    customer_country: str
    inquiry_id: int | None
    currency: str
    incoterm: Incoterm
    port: str
    payment_terms: str
    lead_time: str
    packing: str
    valid_until: date | None
    notes: str
    created_at: pendulum.DateTime
    sent_at: pendulum.DateTime | None
    accepted_at: pendulum.DateTime | None
    version: int
    lines: tuple[QuoteLineView, ...]
    subtotal: Decimal
    total: Decimal
    revisions: tuple[RevisionRef, ...] = field(default=())
    """Every revision of this number, oldest first (this one included)."""

    def to_draft(self) -> QuoteDraft:
        return QuoteDraft(
            customer_id=self.customer_id,
            inquiry_id=self.inquiry_id,
            currency=self.currency,
            incoterm=self.incoterm,
            port=self.port,
            payment_terms=self.payment_terms,
            lead_time=self.lead_time,
            packing=self.packing,
            valid_until=self.valid_until,
            notes=self.notes,
            lines=tuple(
                LineDraft(
                    product_id=line.product_id,
                    description=line.description,
                    quantity=line.quantity,
                    unit=line.unit,
                    unit_price=line.unit_price,
                    photo=line.photo,
                    sku=line.sku,
                )
                for line in self.lines
            ),
        )


@dataclass(frozen=True)
class QuoteSummary:
    quote_id: int
    label: str
    status: QuoteStatus
    currency: str
    total: Decimal
    valid_until: date | None
    created_at: pendulum.DateTime
    sent_at: pendulum.DateTime | None


# --- drafts ----------------------------------------------------------------------------------

_QTY = re.compile(r"(\d[\d,.\s]*)")


def parse_quantity(text: str) -> Decimal | None:
    """'500 pcs' → 500, '1,000' → 1000, '2.000 units' (thousands dot) → 2000; None without one."""
    match = _QTY.search(text or "")
    if match is None:
        return None
    raw = match.group(1).strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", raw):
        raw = re.sub(r"[.,]", "", raw)
    else:
        raw = raw.replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value > 0 else None


def price_for(
    detail: catalog.ProductDetail, quantity: Decimal, currency: str
) -> rules.TierPrice | None:
    """The tier price of `detail` for `quantity`, from its tiers in `currency` only (tiers in
    another currency are not converted: the rep types the price)."""
    tiers = [t for t in detail.quote_tiers if t.currency == currency]
    return rules.tier_price(tiers, quantity)


def line_from_product(
    detail: catalog.ProductDetail, quantity: Decimal | None, currency: str
) -> LineDraft:
    """A line for `detail`: the quantity (the MOQ when none), the tier price in `currency`
    (zero when it has no tier in that currency), the first photo."""
    qty = quantity or Decimal(max(detail.moq, 1))
    found = price_for(detail, qty, currency)
    description = detail.name if not detail.specs else f"{detail.name}: {detail.specs}"
    return LineDraft(
        product_id=detail.product_id,
        description=description[:500],
        quantity=qty,
        unit=detail.unit,
        unit_price=found.unit_price if found else Decimal(0),
        photo=detail.photos[0] if detail.photos else "",
        sku=detail.sku,
        below_moq=bool(found and found.below_moq) or (detail.moq > 0 and qty < detail.moq),
    )


def reprice(draft: QuoteDraft) -> QuoteDraft:
    """Every catalogue line priced again from its tiers (after a quantity or currency change)."""
    details = catalog.products([ln.product_id for ln in draft.lines if ln.product_id is not None])
    lines = []
    for line in draft.lines:
        detail = details.get(line.product_id) if line.product_id is not None else None
        if detail is None:
            lines.append(line)
            continue
        found = price_for(detail, line.quantity, draft.currency)
        lines.append(
            replace(
                line,
                unit_price=found.unit_price if found else line.unit_price,
                below_moq=bool(found and found.below_moq),
            )
        )
    return replace(draft, lines=tuple(lines))


def _today(now: pendulum.DateTime, rep_zone: str) -> date:
    local = now.in_timezone(rep_zone)
    return date(local.year, local.month, local.day)


def draft_for_customer(
    customer_id: int, now: pendulum.DateTime | None = None, rep_zone: str = "UTC"
) -> QuoteDraft:
    now = now or clock.now()
    with database.connection_context():
        customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise QuoteError(_("there is no customer {id}").format(id=customer_id))
    currency = customer.expected_currency or "USD"
    return QuoteDraft(
        customer_id=customer_id,
        inquiry_id=None,
        currency=currency,
        valid_until=rules.default_valid_until(_today(now, rep_zone)),
    )


def draft_for_inquiry(
    inquiry_id: int, now: pendulum.DateTime | None = None, rep_zone: str = "UTC"
) -> QuoteDraft:
    """A draft prefilled from the inquiry: port, matched products at the asked quantity."""
    from sopdesk.services.drafting import match_products

    now = now or clock.now()
    with database.connection_context():
        inquiry = Inquiry.get_or_none(Inquiry.id == inquiry_id)
        if inquiry is None:
            raise QuoteError(_("there is no inquiry {id}").format(id=inquiry_id))
        customer = Customer.get_by_id(inquiry.customer_id)
        matched = match_products(inquiry.products or inquiry.subject)
    currency = customer.expected_currency or "USD"
    details = catalog.products([p.id for p in matched])
    quantity = parse_quantity(inquiry.quantity)
    lines = tuple(
        line_from_product(details[p.id], quantity, currency) for p in matched[:5] if p.id in details
    )
    lead_days = max((details[p.id].lead_time_days for p in matched if p.id in details), default=0)
    packing = next((details[p.id].packaging for p in matched if p.id in details), "")
    return QuoteDraft(
        customer_id=customer.id,
        inquiry_id=inquiry_id,
        currency=currency,
        # The buyer named where the goods go: quote to that port (CIF) rather than FOB ours.
        incoterm=Incoterm.CIF if inquiry.port.strip() else Incoterm.FOB,
        port=inquiry.port.strip()[:120],
        lead_time=_("{n} days after deposit").format(n=lead_days) if lead_days else "",
        packing=packing,
        valid_until=rules.default_valid_until(_today(now, rep_zone)),
        lines=lines,
    )


# --- reading ---------------------------------------------------------------------------------


def _line_views(rows: Iterable[Any], currency: str) -> tuple[QuoteLineView, ...]:
    views = []
    for row in rows:
        sku = row.product.sku if row.product_id is not None and row.product else ""
        views.append(
            QuoteLineView(
                line_id=row.id,
                product_id=row.product_id,
                sku=sku or "",
                description=row.description,
                quantity=Decimal(row.quantity),
                unit=row.unit,
                unit_price=row.unit_price,
                total=money.line_total(Decimal(row.quantity), row.unit_price, currency),
                photo=row.photo,
            )
        )
    return tuple(views)


def _view(quote: Quote) -> QuoteView:
    from sopdesk.store.models import Product

    lines = list(
        QuoteLine.select(QuoteLine, Product.id, Product.sku)
        .join(Product, JOIN.LEFT_OUTER, on=(QuoteLine.product == Product.id))
        .where(QuoteLine.quote == quote.id)
        .order_by(QuoteLine.position, QuoteLine.id)
        .limit(MAX_LINES)
    )
    line_views = _line_views(lines, quote.currency)
    totals = money.quote_totals([(ln.quantity, ln.unit_price) for ln in line_views], quote.currency)
    revisions = tuple(
        RevisionRef(r.id, r.revision, r.status, rules.format_label(r.year, r.seq, r.revision))
        for r in Quote.select(Quote.id, Quote.year, Quote.seq, Quote.revision, Quote.status)
        .where(Quote.year == quote.year, Quote.seq == quote.seq)
        .order_by(Quote.revision)
        .limit(100)
    )
    customer = (
        Customer.select(
            Customer.id, Customer.number, Customer.company, Customer.name, Customer.country
        )
        .where(Customer.id == quote.customer_id)
        .first()
    )
    return QuoteView(
        quote_id=quote.id,
        year=quote.year,
        seq=quote.seq,
        revision=quote.revision,
        number=rules.format_number(quote.year, quote.seq),
        label=rules.format_label(quote.year, quote.seq, quote.revision),
        status=quote.status,
        customer_id=quote.customer_id,
        customer_code=format_customer_number(customer.number) if customer else "",
        customer_name=(customer.company or customer.name) if customer else "",
        customer_country=customer.country if customer else "",
        inquiry_id=quote.inquiry_id,
        currency=quote.currency,
        incoterm=quote.incoterm,
        port=quote.port,
        payment_terms=quote.payment_terms,
        lead_time=quote.lead_time,
        packing=quote.packing,
        valid_until=quote.valid_until,
        notes=quote.notes,
        created_at=quote.created_at,
        sent_at=quote.sent_at,
        accepted_at=quote.accepted_at,
        version=quote.version,
        lines=line_views,
        subtotal=totals.subtotal,
        total=totals.total,
        revisions=revisions,
    )


def get(quote_id: int) -> QuoteView | None:
    with database.connection_context():
        quote = Quote.get_or_none(Quote.id == quote_id)
        return _view(quote) if quote is not None else None


def find(text: str) -> QuoteView | None:
    """A quote by its PI number: 'PI-2026-0012' is the latest revision, '-R2' a given one.
    QuoteError for text that is not a PI number."""
    try:
        wanted = rules.parse_number(text)
    except rules.QuoteRuleError as exc:
        raise QuoteError(str(exc)) from None
    with database.connection_context():
        query = Quote.select().where(Quote.year == wanted.year, Quote.seq == wanted.seq)
        if wanted.revision is not None:
            query = query.where(Quote.revision == wanted.revision)
        quote = query.order_by(Quote.revision.desc()).first()
        return _view(quote) if quote is not None else None


def for_customer(customer_id: int, limit: int = LIST_LIMIT) -> list[QuoteSummary]:
    """The customer's quotes, newest first (superseded revisions included)."""
    with database.connection_context():
        rows = list(
            Quote.select()
            .where(Quote.customer == customer_id)
            .order_by(Quote.created_at.desc(), Quote.id.desc())
            .limit(limit)
        )
        line_rows = (
            list(
                QuoteLine.select(QuoteLine.quote, QuoteLine.quantity, QuoteLine.unit_price)
                .where(QuoteLine.quote.in_([r.id for r in rows]))
                .limit(limit * MAX_LINES)
            )
            if rows
            else []
        )
    by_quote: dict[int, list[tuple[Decimal, Decimal]]] = {}
    for line in line_rows:
        by_quote.setdefault(line.quote_id, []).append((Decimal(line.quantity), line.unit_price))
    return [
        QuoteSummary(
            quote_id=r.id,
            label=rules.format_label(r.year, r.seq, r.revision),
            status=r.status,
            currency=r.currency,
            total=money.quote_totals(by_quote.get(r.id, []), r.currency).total,
            valid_until=r.valid_until,
            created_at=r.created_at,
            sent_at=r.sent_at,
        )
        for r in rows
    ]


def current_for(customer_id: int, inquiry_id: int | None = None) -> QuoteView | None:
    """The quote a conversation is about: the newest one that is not superseded, preferring one
    made from `inquiry_id`."""
    with database.connection_context():
        query = Quote.select().where(
            Quote.customer == customer_id, Quote.status != QuoteStatus.SUPERSEDED
        )
        order = [Quote.created_at.desc(), Quote.id.desc()]
        if inquiry_id is not None:
            order.insert(0, (Quote.inquiry == inquiry_id).desc())
        quote = query.order_by(*order).first()
        return _view(quote) if quote is not None else None


# --- writing ---------------------------------------------------------------------------------


def check(draft: QuoteDraft, today: date) -> QuoteDraft:
    """The draft cleaned up, or QuoteError listing what stops it."""
    try:
        currency = money.normalise_currency(draft.currency)
    except money.MoneyError as exc:
        raise QuoteError(str(exc)) from None
    if len(draft.lines) > MAX_LINES:
        raise QuoteError(_("at most {n} lines").format(n=MAX_LINES))
    lines = tuple(
        replace(
            line,
            description=line.description.strip()[:2000],
            unit=(line.unit.strip() or "pcs")[:16],
            photo=line.photo.strip()[:1000],
            quantity=money.to_decimal(line.quantity),
            unit_price=money.to_decimal(line.unit_price),
        )
        for line in draft.lines
    )
    found = rules.problems(
        [rules.LineInput(ln.description, ln.quantity, ln.unit_price) for ln in lines],
        draft.valid_until,
        today,
    )
    if found:
        raise QuoteError("; ".join(found))
    return replace(
        draft,
        currency=currency,
        port=" ".join(draft.port.split())[:120],
        payment_terms=" ".join(draft.payment_terms.split())[:255],
        lead_time=" ".join(draft.lead_time.split())[:255],
        packing=draft.packing.strip()[:2000],
        notes=draft.notes.strip()[:4000],
        lines=lines,
    )


def _header_values(draft: QuoteDraft) -> dict[str, Any]:
    return {
        "currency": draft.currency,
        "incoterm": draft.incoterm,
        "port": draft.port,
        "payment_terms": draft.payment_terms,
        "lead_time": draft.lead_time,
        "packing": draft.packing,
        "valid_until": draft.valid_until,
        "notes": draft.notes,
    }


def _write_lines(quote_id: int, draft: QuoteDraft, now: pendulum.DateTime) -> None:
    QuoteLine.delete().where(QuoteLine.quote == quote_id).execute()
    if not draft.lines:
        return
    QuoteLine.insert_many(
        [
            {
                "quote": quote_id,
                "product": line.product_id,
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": line.unit_price,
                "photo": line.photo,
                "position": index,
                "created_at": now,
                "updated_at": now,
            }
            for index, line in enumerate(draft.lines)
        ]
    ).execute()


def _next_seq(year: int) -> int:
    last = Quote.select(fn.MAX(Quote.seq)).where(Quote.year == year).scalar()
    return rules.next_seq(last)


def save(
    draft: QuoteDraft,
    quote_id: int | None = None,
    *,
    rep_id: int | None = None,
    expected_version: int | None = None,
    now: pendulum.DateTime | None = None,
    rep_zone: str = "UTC",
) -> QuoteView:
    """Create, change (a draft) or revise (a sent or expired quote) — see the module docstring."""
    now = now or clock.now()
    cleaned = check(draft, _today(now, rep_zone))
    with database.connection_context(), database.atomic():
        if quote_id is None:
            year = now.in_timezone(rep_zone).year
            new_id = Quote.insert(
                year=year,
                seq=_next_seq(year),
                revision=1,
                customer=cleaned.customer_id,
                inquiry=cleaned.inquiry_id,
                owner=rep_id,
                status=QuoteStatus.DRAFT,
                created_at=now,
                updated_at=now,
                **_header_values(cleaned),
            ).execute()
            _write_lines(int(new_id), cleaned, now)
            return _view(Quote.get_by_id(new_id))
        quote = Quote.get_or_none(Quote.id == quote_id)
        if quote is None:
            raise QuoteError(_("that quote no longer exists"))
        if expected_version is not None and quote.version != expected_version:
            raise StaleQuoteError(_("the quote was changed elsewhere; open it again"))
        if rules.editable_in_place(quote.status):
            Quote.update(
                **_header_values(cleaned), version=Quote.version + 1, updated_at=now
            ).where(Quote.id == quote.id).execute()
            _write_lines(quote.id, cleaned, now)
            return _view(Quote.get_by_id(quote.id))
        if not rules.can_revise(quote.status):
            raise QuoteError(
                _("a {status} quote is final; make a new quote instead").format(
                    status=quote.status.value
                )
            )
        revised = _revise(quote, cleaned, rep_id, now)
    _after_state_change(quote.id, now, rep_zone, rep_id)
    return revised


def _revise(
    quote: Quote, draft: QuoteDraft, rep_id: int | None, now: pendulum.DateTime
) -> QuoteView:
    last = (
        Quote.select(fn.MAX(Quote.revision))
        .where(Quote.year == quote.year, Quote.seq == quote.seq)
        .scalar()
    )
    new_id = Quote.insert(
        year=quote.year,
        seq=quote.seq,
        revision=(last or quote.revision) + 1,
        customer=quote.customer_id,
        inquiry=quote.inquiry_id,
        owner=rep_id if rep_id is not None else quote.owner_id,
        status=QuoteStatus.DRAFT,
        created_at=now,
        updated_at=now,
        **_header_values(draft),
    ).execute()
    _write_lines(int(new_id), draft, now)
    Quote.update(status=QuoteStatus.SUPERSEDED, version=Quote.version + 1, updated_at=now).where(
        Quote.id == quote.id
    ).execute()
    return _view(Quote.get_by_id(new_id))


def revise(
    quote_id: int,
    *,
    rep_id: int | None = None,
    now: pendulum.DateTime | None = None,
    rep_zone: str = "UTC",
) -> QuoteView:
    """A new revision (a draft) copying a sent or expired quote; the old one is superseded. The
    validity starts again from today when it had passed."""
    view = get(quote_id)
    if view is None:
        raise QuoteError(_("that quote no longer exists"))
    now = now or clock.now()
    today = _today(now, rep_zone)
    draft = view.to_draft()
    if draft.valid_until is None or draft.valid_until < today:
        draft = replace(draft, valid_until=rules.default_valid_until(today))
    if not rules.can_revise(view.status):
        raise QuoteError(_("a {status} quote cannot be revised").format(status=view.status.value))
    return save(draft, quote_id, rep_id=rep_id, now=now, rep_zone=rep_zone)


def _move(quote_id: int, to: QuoteStatus, now: pendulum.DateTime, **values: Any) -> Quote:
    quote = Quote.get_or_none(Quote.id == quote_id)
    if quote is None:
        raise QuoteError(_("that quote no longer exists"))
    try:
        rules.check_move(quote.status, to)
    except rules.QuoteRuleError as exc:
        raise QuoteError(str(exc)) from None
    Quote.update(status=to, version=Quote.version + 1, updated_at=now, **values).where(
        Quote.id == quote.id, Quote.status == quote.status
    ).execute()
    return cast(Quote, Quote.get_by_id(quote.id))


def _note(quote: Quote, text: str, now: pendulum.DateTime, rep_id: int | None) -> int:
    """A line on the customer's timeline (`text`: an event, worded when read); its id."""
    activity = Activity.create(
        customer=quote.customer_id,
        inquiry=quote.inquiry_id,
        kind=ActivityKind.SYSTEM,
        direction=Direction.NONE,
        at=now,
        subject=rules.format_label(quote.year, quote.seq, quote.revision),
        text=text,
        by=rep_id,
    )
    return int(activity.id)


def send(
    quote_id: int,
    *,
    rep_id: int | None = None,
    now: pendulum.DateTime | None = None,
    rep_zone: str = "UTC",
) -> QuoteView:
    """Mark the quote sent (the quote e-mail went out): the playbook's nudge and follow-ups
    start from its send time, and the expiry reminder is planned."""
    return _send(quote_id, rep_id, now or clock.now(), rep_zone)[0]


def _send(
    quote_id: int, rep_id: int | None, now: pendulum.DateTime, rep_zone: str, emailed: bool = False
) -> tuple[QuoteView, int]:
    """`send`, and the id of the timeline note recording it."""
    view = get(quote_id)
    if view is None:
        raise QuoteError(_("that quote no longer exists"))
    check(view.to_draft(), _today(now, rep_zone))
    with database.connection_context(), database.atomic():
        quote = _move(quote_id, QuoteStatus.SENT, now, sent_at=now)
        sent = event_text(
            Event.QUOTE_SENT,
            quote=view.label,
            total=str(view.total),
            currency=view.currency,
            incoterm=view.incoterm.value,
            port=view.port,
            valid_until=view.valid_until.isoformat() if view.valid_until else None,
            emailed=emailed,
        )
        note_id = _note(quote, sent, now, rep_id)
    _after_state_change(quote_id, now, rep_zone, rep_id)
    return cast(QuoteView, get(quote_id)), note_id


def accept(
    quote_id: int,
    *,
    rep_id: int | None = None,
    now: pendulum.DateTime | None = None,
    rep_zone: str = "UTC",
) -> QuoteView:
    """The buyer accepted: the quote is final and an order can be made from it."""
    now = now or clock.now()
    with database.connection_context(), database.atomic():
        quote = _move(quote_id, QuoteStatus.ACCEPTED, now, accepted_at=now)
        label = rules.format_label(quote.year, quote.seq, quote.revision)
        _note(quote, event_text(Event.QUOTE_ACCEPTED, quote=label), now, rep_id)
    _after_state_change(quote_id, now, rep_zone, rep_id)
    return cast(QuoteView, get(quote_id))


def expire(
    quote_id: int, *, now: pendulum.DateTime | None = None, rep_zone: str = "UTC"
) -> QuoteView:
    now = now or clock.now()
    with database.connection_context(), database.atomic():
        _move(quote_id, QuoteStatus.EXPIRED, now)
    _after_state_change(quote_id, now, rep_zone, None)
    return cast(QuoteView, get(quote_id))


def discard(quote_id: int, *, now: pendulum.DateTime | None = None) -> None:
    """A draft nobody will send: superseded (kept, never deleted: its number stays used)."""
    now = now or clock.now()
    with database.connection_context(), database.atomic():
        quote = Quote.get_or_none(Quote.id == quote_id)
        if quote is None or quote.status is not QuoteStatus.DRAFT:
            raise QuoteError(_("only a draft can be discarded"))
        _move(quote_id, QuoteStatus.SUPERSEDED, now)


def expire_lapsed(now: pendulum.DateTime, rep_zone: str) -> tuple[int, int]:
    """Sent quotes past their validity become expired (a bounded batch); (0, how many). Takes
    the write lock only when there is a quote to expire."""
    today = _today(now, rep_zone)
    with database.connection_context():
        ids = [
            q.id
            for q in Quote.select(Quote.id)
            .where(Quote.status == QuoteStatus.SENT, Quote.valid_until < today)
            .order_by(Quote.valid_until)
            .limit(REMINDER_BATCH)
        ]
        if not ids:
            return 0, 0
        with database.atomic():
            changed = (
                Quote.update(status=QuoteStatus.EXPIRED, version=Quote.version + 1, updated_at=now)
                .where(Quote.id.in_(ids), Quote.status == QuoteStatus.SENT)
                .execute()
            )
            closed = _sync_expiry(ids, now, rep_zone, None)[1]
    return 0, int(changed) + closed


# --- the expiry reminder ---------------------------------------------------------------------


def _expiry_wanted(
    quote: Any, now: pendulum.DateTime, where: sales_tasks.Where
) -> list[sales_tasks.Wanted]:
    if quote.status is not QuoteStatus.SENT or quote.valid_until is None:
        return []
    day = rules.expiry_reminder_day(quote.valid_until, _today(now, where.zone))
    label = rules.format_label(quote.year, quote.seq, quote.revision)
    valid = pendulum.date(
        quote.valid_until.year, quote.valid_until.month, quote.valid_until.day
    ).format("ddd D MMM")
    return [
        sales_tasks.Wanted(
            slot=quote.valid_until.isoformat(),
            kind=TaskKind.FOLLOW_UP,
            due_at=sales_tasks.due_on_day(day, where),
            title=_("Price valid until {day}: push quotation {quote}").format(
                day=valid, quote=label
            ),
            why=_(
                "Quote {quote} expires on {day}: create urgency with the real date, a small "
                "incentive, or a simple next step (closing templates)."
            ).format(quote=label, day=valid),
            inquiry_id=quote.inquiry_id,
        )
    ]


def _sync_expiry(
    quote_ids: Iterable[int], now: pendulum.DateTime, rep_zone: str, rep_id: int | None
) -> tuple[int, int]:
    """The quotes' expiry reminders exist exactly while they are sent: a few reads, then one
    write only for what changed (sales_tasks.sync_many). Call inside a connection."""
    ids = sorted(set(quote_ids))
    quotes: list[Any] = []
    for batch in chunks(ids, sales_tasks.CHUNK):
        quotes.extend(Quote.select().where(Quote.id.in_(batch)))
    wheres = sales_tasks.where_for_many([q.customer_id for q in quotes], rep_zone)
    totals = [0, 0]
    # The reason a reminder closes names the quote's state, so each state is its own sync.
    for status in QuoteStatus:
        plans = [
            sales_tasks.Plan(
                f"q{q.id}", wheres[q.customer_id], _expiry_wanted(q, now, wheres[q.customer_id])
            )
            for q in quotes
            if q.status is status
        ]
        reason = _("the quotation is {status}").format(status=status.value)
        made, shut = sales_tasks.sync_many(
            sales_tasks.RULE_QUOTE_EXPIRY, plans, now, reason, rep_id
        )
        totals[0] += made
        totals[1] += shut
    return totals[0], totals[1]


def _after_state_change(
    quote_id: int, now: pendulum.DateTime, rep_zone: str, rep_id: int | None
) -> None:
    """Bring the expiry reminders of the quote's whole number (every revision) up to date."""
    with database.connection_context():
        quote = Quote.get_or_none(Quote.id == quote_id)
        if quote is None:
            return
        others = [
            other.id
            for other in Quote.select(Quote.id)
            .where(Quote.year == quote.year, Quote.seq == quote.seq)
            .limit(100)
        ]
        _sync_expiry(others, now, rep_zone, rep_id)


def refresh_reminders(
    now: pendulum.DateTime, rep_zone: str, rep_id: int | None = None
) -> tuple[int, int]:
    """Every sent quote (newest first, bounded) and every open expiry reminder: in step."""
    with database.connection_context():
        ids = {
            q.id
            for q in Quote.select(Quote.id)
            .where(Quote.status == QuoteStatus.SENT)
            .order_by(Quote.sent_at.desc())
            .limit(REMINDER_BATCH)
        }
        ids.update(sales_tasks.open_subject_ids(sales_tasks.RULE_QUOTE_EXPIRY, "q", REMINDER_BATCH))
        return _sync_expiry(ids, now, rep_zone, rep_id)


# --- the quote e-mail ------------------------------------------------------------------------

QUOTE_EMAIL_TEMPLATE = "quote_email"
"""The reply template that summarises a quote (templates/reply/quote_email.j2)."""


def is_quote_email(template_id: str) -> bool:
    """The quote e-mail, or a language variant of it (quote_email_es)."""
    return template_id == QUOTE_EMAIL_TEMPLATE or template_id.startswith(QUOTE_EMAIL_TEMPLATE + "_")


def inquiry_for_email(view: QuoteView) -> int | None:
    """The inquiry the quote e-mail answers (the draft screen drafts for an inquiry): the one
    the quote was made from, else the customer's latest; None when the customer never wrote."""
    if view.inquiry_id is not None:
        return view.inquiry_id
    with database.connection_context():
        found = (
            Inquiry.select(Inquiry.id)
            .where(Inquiry.customer == view.customer_id)
            .order_by(Inquiry.received_at.desc(), Inquiry.id.desc())
            .first()
        )
    return found.id if found is not None else None


@dataclass(frozen=True)
class EmailedQuote:
    """A draft quote `emailed` marked sent, with what `undo_emailed` needs to take it back."""

    view: QuoteView
    sent_at: pendulum.DateTime
    note_id: int


def emailed(
    label: str,
    *,
    rep_id: int | None = None,
    now: pendulum.DateTime | None = None,
    rep_zone: str = "UTC",
) -> EmailedQuote | None:
    """The quote e-mail summarising quotation `label` was recorded as sent: a draft quote becomes
    sent, as with `send` (its timeline note says it went by e-mail). A quote that is already sent
    (or final) is left as it is: None. QuoteError when the draft cannot be sent (no lines, the
    validity passed …): the e-mail is recorded, the quote stays a draft."""
    view = find(label)
    if view is None:
        raise QuoteError(_("quotation {label} no longer exists").format(label=label))
    if view.status is not QuoteStatus.DRAFT:
        return None
    now = now or clock.now()
    sent, note_id = _send(view.quote_id, rep_id, now, rep_zone, emailed=True)
    return EmailedQuote(sent, now, note_id)


def undo_emailed(done: EmailedQuote, *, rep_zone: str = "UTC") -> QuoteView | None:
    """Take back what `emailed` did (the rep undid the mark-sent right after): the quote is a
    draft again, its note and its expiry reminder go. Not a move of the SOP's states — the quote
    never went out. A quote changed since (accepted, revised) is left alone: None."""
    now = clock.now()
    with database.connection_context(), database.atomic():
        undone = (
            Quote.update(
                status=QuoteStatus.DRAFT, sent_at=None, version=Quote.version + 1, updated_at=now
            )
            .where(
                Quote.id == done.view.quote_id,
                Quote.status == QuoteStatus.SENT,
                Quote.sent_at == done.sent_at,
            )
            .execute()
        )
        if not undone:
            return None
        Activity.delete().where(Activity.id == done.note_id).execute()
    _after_state_change(done.view.quote_id, now, rep_zone, None)
    return get(done.view.quote_id)


# --- the quote e-mail's guiding questions ----------------------------------------------------

TIMING_WORDS = re.compile(
    r"\b(by|before|until|deadline|deliver(?:y|ed)? (?:date|time|in|by)|need(?:ed)? (?:it|them|"
    r"the goods)? ?(?:in|by|before)|urgent|asap|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|next (?:week|month)|\d{1,2}/\d{1,2}|q[1-4])\b",
    re.IGNORECASE,
)


def knowns(
    view: QuoteView, inquiry_text: str, inquiry_quantity: str, inquiry_port: str
) -> rules.Knowns:
    """What the buyer has told us, from the inquiry and the quote."""
    from sopdesk.services.drafting import has_specs

    destination_known = bool(inquiry_port.strip()) or (
        view.incoterm not in rules.NAMES_ORIGIN and bool(view.port.strip())
    )
    return rules.Knowns(
        quantity=bool(inquiry_quantity.strip()) or view.inquiry_id is None,
        port=destination_known,
        specs=has_specs(inquiry_text),
        timing=bool(TIMING_WORDS.search(inquiry_text or "")),
    )


def questions_for(
    view: QuoteView, inquiry_text: str = "", inquiry_quantity: str = "", inquiry_port: str = ""
) -> tuple[str, ...]:
    return rules.guiding_questions(knowns(view, inquiry_text, inquiry_quantity, inquiry_port))


def lines_for_products(
    product_ids: Sequence[int], quantity: Decimal | None, currency: str
) -> tuple[LineDraft, ...]:
    details = catalog.products(product_ids)
    return tuple(
        line_from_product(details[pid], quantity, currency) for pid in product_ids if pid in details
    )


__all__ = [
    "QUOTE_EMAIL_TEMPLATE",
    "EmailedQuote",
    "LineDraft",
    "QuoteDraft",
    "QuoteError",
    "QuoteLineView",
    "QuoteSummary",
    "QuoteView",
    "RevisionRef",
    "StaleQuoteError",
    "accept",
    "check",
    "current_for",
    "discard",
    "draft_for_customer",
    "draft_for_inquiry",
    "emailed",
    "expire",
    "expire_lapsed",
    "find",
    "for_customer",
    "get",
    "inquiry_for_email",
    "is_quote_email",
    "line_from_product",
    "lines_for_products",
    "parse_quantity",
    "price_for",
    "questions_for",
    "refresh_reminders",
    "reprice",
    "revise",
    "save",
    "send",
    "undo_emailed",
]
