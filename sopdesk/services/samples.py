"""Samples (SOP 4.2): free with freight collect (the customer's courier account) or paid
(an amount, refundable on the first order or not); courier and tracking; sent → delivered →
feedback.

`check` is pure (the sample dialog shows its reason before anything is written); `record` makes
a sample, `update` edits one the way customer records are edited: against the version it was
read at (a stale edit is refused, naming what someone else changed), with a note on the
customer's timeline saying what changed. Every write moves the version on.

The playbook's `sample_feedback` cadence reads `Sample.sent_at`, `delivered_at` and
`feedback_at` (services/cadence_facts.py), so recording the shipment is all it takes for the
"ask for sample feedback" task to come; the sample → order KPI counts these rows (issue 7).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pendulum
from peewee import JOIN

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services.timeline_events import Event, event_text, money_value, sample_field
from sopdesk.sop import money
from sopdesk.sop.stages import ActivityKind, Direction
from sopdesk.store.db import database
from sopdesk.store.models import Activity, Product, Sample

LIST_LIMIT = 50


class SampleError(ValueError):
    """The sample cannot be recorded as given; the message says why, `field` (a SampleInput
    field name, when there is one) where."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class StaleSampleError(SampleError):
    """Someone saved the sample since this edit began; `changed` names what they changed."""

    def __init__(self, changed: tuple[str, ...]) -> None:
        super().__init__(
            _("the sample was changed elsewhere meanwhile ({fields}); open it again").format(
                fields=", ".join(changed) or _("its state")
            )
        )
        self.changed = changed


class SampleState(StrEnum):
    PREPARING = "preparing"
    SENT = "sent"
    DELIVERED = "delivered"
    FEEDBACK = "feedback"


@dataclass(frozen=True)
class SampleInput:
    customer_id: int
    product_id: int | None
    paid: bool = False
    amount: Decimal | None = None
    currency: str = "USD"
    refundable_on_order: bool = False
    """Paid samples only: the amount comes off the first order."""
    freight_by: str = "customer"
    """"customer" (freight collect, on their courier account) or "us"."""
    courier: str = ""
    courier_account: str = ""
    tracking: str = ""
    note: str = ""
    """What is sent (models, quantities, variants); a product not in the catalogue is described
    here."""


@dataclass(frozen=True)
class SampleView:
    sample_id: int
    customer_id: int
    product_id: int | None
    product: str
    """The product's name ("" when none was recorded)."""
    sku: str
    paid: bool
    amount: Decimal | None
    currency: str
    refundable_on_order: bool
    freight_by: str
    courier: str
    courier_account: str
    tracking: str
    note: str
    sent_at: pendulum.DateTime | None
    delivered_at: pendulum.DateTime | None
    feedback: str
    feedback_at: pendulum.DateTime | None
    version: int = 1

    @property
    def state(self) -> SampleState:
        if self.feedback_at is not None:
            return SampleState.FEEDBACK
        if self.delivered_at is not None:
            return SampleState.DELIVERED
        if self.sent_at is not None:
            return SampleState.SENT
        return SampleState.PREPARING

    def to_input(self) -> SampleInput:
        """The sample as the form edits it."""
        return SampleInput(
            customer_id=self.customer_id,
            product_id=self.product_id,
            paid=self.paid,
            amount=self.amount,
            currency=self.currency,
            refundable_on_order=self.refundable_on_order,
            freight_by=self.freight_by,
            courier=self.courier,
            courier_account=self.courier_account,
            tracking=self.tracking,
            note=self.note,
        )


def _one_line(text: str) -> str:
    return " ".join(text.split())[:64]


def check(data: SampleInput) -> SampleInput:
    """The input cleaned up, or SampleError naming the first problem and its field. Pure: the
    dialog calls it before closing. A free sample carries no amount and is not refundable."""
    if data.freight_by not in ("customer", "us"):
        raise SampleError(_("freight is paid by the customer or by us"), "freight_by")
    try:
        currency = money.normalise_currency(data.currency)
    except money.MoneyError as exc:
        raise SampleError(str(exc), "currency") from None
    amount: Decimal | None = None
    if data.paid:
        if data.amount is None:
            raise SampleError(_("a paid sample needs its amount"), "amount")
        try:
            amount = money.round_money(data.amount, currency)
        except money.MoneyError as exc:
            raise SampleError(str(exc), "amount") from None
        if amount <= 0:
            raise SampleError(_("a paid sample's amount must be above zero"), "amount")
    account = _one_line(data.courier_account)
    if data.freight_by == "customer" and not account:
        raise SampleError(
            _("freight collect needs the customer's courier account"), "courier_account"
        )
    return replace(
        data,
        paid=data.paid,
        amount=amount,
        currency=currency,
        refundable_on_order=data.paid and data.refundable_on_order,
        courier=_one_line(data.courier),
        courier_account=account if data.freight_by == "customer" else "",
        tracking=_one_line(data.tracking),
        note=data.note.strip()[:2000],
    )


def _values(data: SampleInput) -> dict[str, Any]:
    """Column values of a checked input."""
    return {
        "customer": data.customer_id,
        "product": data.product_id,
        "paid": data.paid,
        "amount": data.amount,
        "currency": data.currency,
        "refundable_on_order": data.refundable_on_order,
        "freight_by": data.freight_by,
        "courier": data.courier,
        "courier_account": data.courier_account,
        "tracking": data.tracking,
        "note": data.note,
    }


def _check_product(product_id: int | None) -> None:
    """Inside the caller's connection: the product is still in the catalogue."""
    if product_id is not None and not Product.select().where(Product.id == product_id).exists():
        raise SampleError(_("that product is no longer in the catalogue"), "product_id")


def _view(row: Any) -> SampleView:
    product = row.product if row.product_id is not None else None
    return SampleView(
        sample_id=row.id,
        customer_id=row.customer_id,
        product_id=row.product_id,
        product=product.name if product else "",
        sku=product.sku if product else "",
        paid=row.paid,
        amount=row.amount,
        currency=row.currency,
        refundable_on_order=row.refundable_on_order,
        freight_by=row.freight_by,
        courier=row.courier,
        courier_account=row.courier_account,
        tracking=row.tracking,
        note=row.note,
        sent_at=row.sent_at,
        delivered_at=row.delivered_at,
        feedback=row.feedback,
        feedback_at=row.feedback_at,
        version=row.version,
    )


def _select() -> Any:
    return Sample.select(Sample, Product.id, Product.name, Product.sku).join(
        Product, JOIN.LEFT_OUTER, on=(Sample.product == Product.id)
    )


def get(sample_id: int) -> SampleView | None:
    with database.connection_context():
        row = _select().where(Sample.id == sample_id).first()
        return _view(row) if row is not None else None


def for_customer(customer_id: int, limit: int = LIST_LIMIT) -> list[SampleView]:
    with database.connection_context():
        rows = list(
            _select()
            .where(Sample.customer == customer_id)
            .order_by(Sample.created_at.desc(), Sample.id.desc())
            .limit(limit)
        )
    return [_view(r) for r in rows]


def latest_for(customer_id: int) -> SampleView | None:
    found = for_customer(customer_id, limit=1)
    return found[0] if found else None


def record(data: SampleInput, *, now: pendulum.DateTime | None = None) -> SampleView:
    """A new sample, not sent yet."""
    now = now or clock.now()
    cleaned = check(data)
    with database.connection_context(), database.atomic():
        _check_product(cleaned.product_id)
        sample_id = Sample.insert(**_values(cleaned), created_at=now, updated_at=now).execute()
    found = get(int(sample_id))
    assert found is not None
    return found


def _stored(view: SampleView, name: str) -> object:
    """A field's value as the "sample changed" event keeps it: codes and the rep's text, no words
    (timeline_events words them when read)."""
    if name == "product_id":
        return f"{view.sku} {view.product}".strip() or None
    if name == "amount":
        return money_value(view.amount, view.currency)
    value = getattr(view, name)
    return value if isinstance(value, bool | str) or value is None else str(value)


def _changed(before: SampleInput, after: SampleInput) -> list[str]:
    return [
        f.name
        for f in fields(SampleInput)
        if f.name != "customer_id" and getattr(before, f.name) != getattr(after, f.name)
    ]


def update(
    base: SampleView,
    data: SampleInput,
    *,
    rep_id: int | None = None,
    now: pendulum.DateTime | None = None,
) -> SampleView:
    """Store the edited sample `base` was read as: SampleError when a value is refused,
    StaleSampleError when someone saved it since (nothing is written either way). What changed
    goes on the customer's timeline; the sent/delivered/feedback dates are not edited here."""
    now = now or clock.now()
    cleaned = replace(check(data), customer_id=base.customer_id)
    changed = _changed(base.to_input(), cleaned)
    if not changed:
        current = get(base.sample_id)
        if current is None:
            raise SampleError(_("that sample no longer exists"))
        return current
    with database.connection_context(), database.atomic():
        _check_product(cleaned.product_id)
        written = (
            Sample.update(**_values(cleaned), version=Sample.version + 1, updated_at=now)
            .where(Sample.id == base.sample_id, Sample.version == base.version)
            .execute()
        )
        if not written:
            raise _stale(base)
        after = _view(_select().where(Sample.id == base.sample_id).get())
        changes = [[name, _stored(base, name), _stored(after, name)] for name in changed]
        _touch(after, event_text(Event.SAMPLE_CHANGED, changes=changes), now, rep_id)
    return after


def _stale(base: SampleView) -> SampleError:
    current = get(base.sample_id)
    if current is None:
        return SampleError(_("that sample no longer exists"))
    names = [f.name for f in fields(SampleInput) if f.name != "customer_id"]
    names += ["sent_at", "delivered_at", "feedback"]
    changed = tuple(
        sample_field(n.removesuffix("_at"))
        for n in names
        if getattr(current, n) != getattr(base, n)
    )
    return StaleSampleError(changed)


def _touch(row: Any, text: str, at: datetime, rep_id: int | None) -> None:
    """A system touch holding an event (`text`); the timeline words it in the reader's language."""
    Activity.create(
        customer=row.customer_id,
        kind=ActivityKind.SYSTEM,
        direction=Direction.NONE,
        at=at,
        subject=f"{row.courier} {row.tracking}".strip(),
        text=text,
        by=rep_id,
    )


def mark_sent(
    sample_id: int,
    at: datetime,
    courier: str = "",
    tracking: str = "",
    *,
    rep_id: int | None = None,
    now: pendulum.DateTime | None = None,
) -> SampleView:
    """Shipped: the playbook plans the feedback request from this date."""
    now = now or clock.now()
    if at.tzinfo is None:
        raise SampleError(_("the time needs a zone"))
    with database.connection_context(), database.atomic():
        row = Sample.get_or_none(Sample.id == sample_id)
        if row is None:
            raise SampleError(_("that sample no longer exists"))
        values: dict[str, Any] = {
            "sent_at": at,
            "updated_at": now,
            "version": Sample.version + 1,
        }
        if courier.strip():
            values["courier"] = " ".join(courier.split())[:64]
        if tracking.strip():
            values["tracking"] = " ".join(tracking.split())[:64]
        Sample.update(**values).where(Sample.id == sample_id).execute()
        row = Sample.get_by_id(sample_id)
        sent = event_text(Event.SAMPLE_SENT, courier=row.courier, tracking=row.tracking)
        _touch(row, sent, at, rep_id)
    found = get(sample_id)
    assert found is not None
    return found


def mark_delivered(
    sample_id: int, at: datetime, *, now: pendulum.DateTime | None = None
) -> SampleView:
    now = now or clock.now()
    with database.connection_context(), database.atomic():
        row = Sample.get_or_none(Sample.id == sample_id)
        if row is None:
            raise SampleError(_("that sample no longer exists"))
        if row.sent_at is None:
            raise SampleError(_("record the shipment first"))
        if at < row.sent_at:
            raise SampleError(_("a sample cannot arrive before it was sent"))
        Sample.update(delivered_at=at, updated_at=now, version=Sample.version + 1).where(
            Sample.id == sample_id
        ).execute()
    found = get(sample_id)
    assert found is not None
    return found


def record_feedback(
    sample_id: int,
    feedback: str,
    at: datetime,
    *,
    rep_id: int | None = None,
    now: pendulum.DateTime | None = None,
) -> SampleView:
    """The customer's verdict on the sample; the feedback task closes by itself."""
    now = now or clock.now()
    text = feedback.strip()[:4000]
    if not text:
        raise SampleError(_("write down what the customer said"))
    with database.connection_context(), database.atomic():
        row = Sample.get_or_none(Sample.id == sample_id)
        if row is None:
            raise SampleError(_("that sample no longer exists"))
        Sample.update(
            feedback=text, feedback_at=at, updated_at=now, version=Sample.version + 1
        ).where(Sample.id == sample_id).execute()
        _touch(row, event_text(Event.SAMPLE_FEEDBACK, feedback=text), at, rep_id)
    found = get(sample_id)
    assert found is not None
    return found


__all__ = [
    "SampleError",
    "SampleInput",
    "SampleState",
    "SampleView",
    "StaleSampleError",
    "check",
    "for_customer",
    "get",
    "latest_for",
    "mark_delivered",
    "mark_sent",
    "record",
    "record_feedback",
    "update",
]
